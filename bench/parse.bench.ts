/**
 * `npm run bench:parse`: whether reading an answer is linear in its length (issue 12). For 16k, 64k,
 * 256k and 1M characters of pathological and ordinary answers it times parseToolCalls on the whole
 * answer, a whole simulated stream (deltas of 4 characters through the incremental CallPreviewer,
 * as the chat does) and the Markdown view's parse of it (MarkdownStream, complete), then gives each its per-character cost and the ratio
 * of the largest to the smallest: about 1 when linear, about 64 (the size ratio) when quadratic.
 * Writes bench/results/parse.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { CallPreviewer } from '../src/lib/parse/callPreviewer.ts';
import { parseToolCalls } from '../src/lib/parse/parseToolCalls.ts';
import { MarkdownStream } from '../src/lib/markdown/markdownStream.ts';
import { corpusFunctions } from '../tests/fixtures/corpus/functions.ts';
import { round, table } from './lib/measure.ts';

const SIZES = [16_384, 65_536, 262_144, 1_048_576];
const DELTA = 4;
const INPUTS: Record<string, string> = {
  '{': '{',
  '{"a":': '{"a":',
  '[': '[',
  '**a ': '**a ',
  calls: '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris", "days": 3}}\n</tool_call>\n',
  prose: 'The weather in Paris is mild today, with a light breeze from the west. ',
};

function fill(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Best of `runs` timings in ms (the least disturbed by other work on the machine). */
function best(fn: () => void, runs: number): number {
  let min = Infinity;
  for (let r = 0; r < runs; r += 1) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

function stream(text: string): void {
  const previewer = new CallPreviewer(corpusFunctions);
  // Slices of one flat string, as a stream's texts would be without the cost of building them.
  for (let end = DELTA; end < text.length + DELTA; end += DELTA)
    previewer.update(text.slice(0, Math.min(end, text.length)));
}

type Row = { input: string; size: number; parseMs: number; streamMs: number | null; markdownMs: number };
/** A stream whose previous size took longer than this is not run at the next (4× the text): null. */
const STREAM_CAP_MS = 4_000;
const rows: Row[] = [];
// Warm-up, so that the smallest size is not charged with compiling the code (it would inflate the spread).
for (const unit of Object.values(INPUTS)) {
  const text = fill(unit, SIZES[0] ?? 16_384);
  for (let r = 0; r < 3; r += 1) {
    parseToolCalls(text, corpusFunctions);
    stream(text);
    new MarkdownStream().update(text, true);
  }
}
for (const [input, unit] of Object.entries(INPUTS)) {
  let lastStream = 0;
  for (const size of SIZES) {
    const text = fill(unit, size);
    const runs = size <= 65_536 ? 3 : 1;
    const streamMs =
      lastStream > STREAM_CAP_MS
        ? null
        : round(
            best(() => stream(text), runs),
            1,
          );
    lastStream = streamMs ?? Infinity;
    const row = {
      input,
      size,
      parseMs: round(
        best(() => parseToolCalls(text, corpusFunctions), runs),
        1,
      ),
      streamMs,
      markdownMs: round(
        best(() => new MarkdownStream().update(text, true), runs),
        1,
      ),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}

/** Largest over smallest per-character cost across the sizes of one input. */
function spread(input: string, key: 'parseMs' | 'streamMs' | 'markdownMs'): number {
  const perChar = rows
    .filter((r) => r.input === input)
    .flatMap((r) => {
      const ms = r[key];
      return ms === null ? [] : [Math.max(ms, 0.05) / r.size];
    });
  return round(Math.max(...perChar) / Math.min(...perChar), 1);
}

const spreads = Object.fromEntries(
  Object.keys(INPUTS).map((input) => [
    input,
    { parse: spread(input, 'parseMs'), stream: spread(input, 'streamMs'), markdown: spread(input, 'markdownMs') },
  ]),
);

console.log(
  table(
    ['input', 'chars', 'parse ms', 'stream ms', 'markdown ms'],
    rows.map((r) => [r.input, r.size, r.parseMs, r.streamMs ?? 'skipped', r.markdownMs]),
  ),
);
console.log('');
console.log(
  table(
    ['input', 'parse spread', 'stream spread', 'markdown spread'],
    Object.entries(spreads).map(([input, s]) => [input, s.parse, s.stream, s.markdown]),
  ),
);
console.log('\nspread: largest / smallest ms per character over the sizes (1 = linear, 64 = quadratic)');

mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/parse.json',
  `${JSON.stringify({ date: new Date().toISOString(), deltaChars: DELTA, rows, spreads }, null, 2)}\n`,
);
