/**
 * `npm run bench:recovery`: how many raw model answers parseToolCalls reads exactly right, against a
 * naive JSON.parse of the whole output, on the generated corpus in tests/fixtures/corpus/.
 *
 * - recovered exactly: the calls returned equal the expected calls (names, arguments, order); for
 *   answers with nothing valid to call, that means no calls.
 * - wrong call: at least one returned call is not an expected one (an unknown function or invalid
 *   arguments passed through, or data taken for a call) — the dangerous failure.
 * Writes bench/results/recovery.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { parseToolCalls } from '../src/lib/index.ts';
import type { ToolCall } from '../src/lib/types/toolCall.ts';
import { corpusFunctions } from '../tests/fixtures/corpus/functions.ts';
import { buildRecoveryCorpus, type CorpusEntry } from '../tests/fixtures/corpus/recoveryCorpus.ts';
import { round, table } from './lib/measure.ts';
import { naiveParse } from './lib/naiveParse.ts';

interface Score {
  exact: number;
  wrong: number;
  failures: { id: string; kind: string }[];
}

function score(corpus: CorpusEntry[], read: (output: string) => ToolCall[]): Score {
  const s: Score = { exact: 0, wrong: 0, failures: [] };
  for (const entry of corpus) {
    const calls = read(entry.output);
    if (isDeepStrictEqual(calls, entry.expected)) s.exact += 1;
    else s.failures.push({ id: entry.id, kind: entry.kind });
    if (calls.some((c) => !entry.expected.some((e) => isDeepStrictEqual(c, e)))) s.wrong += 1;
  }
  return s;
}

const corpus = buildRecoveryCorpus();
const readers = {
  parseToolCalls: (output: string) => parseToolCalls(output, corpusFunctions).calls,
  'naive JSON.parse': naiveParse,
};
const pct = (n: number) => round((100 * n) / corpus.length, 1);
const results = Object.fromEntries(
  Object.entries(readers).map(([name, read]) => {
    const s = score(corpus, read);
    return [
      name,
      {
        recoveredExactlyPct: pct(s.exact),
        wrongCallPct: pct(s.wrong),
        exact: s.exact,
        wrong: s.wrong,
        failures: s.failures,
      },
    ];
  }),
);

/** Per answer family (shape, damage, negative), the exact rate of each reader. */
const families = [...new Set(corpus.map((e) => e.kind.split('/')[0] ?? e.kind))];
const byFamily = families.map((family) => {
  const subset = corpus.filter((e) => (e.kind.split('/')[0] ?? e.kind) === family);
  return [
    family,
    subset.length,
    ...Object.values(readers).map((read) => `${round((100 * score(subset, read).exact) / subset.length, 0)}%`),
  ];
});

console.log(`${corpus.length} answers, ${corpusFunctions.length} registered functions\n`);
console.log(
  table(
    ['reader', 'recovered exactly %', 'wrong call %'],
    Object.entries(results).map(([n, r]) => [n, r.recoveredExactlyPct, r.wrongCallPct]),
  ),
);
console.log(`\n${table(['answer family', 'n', ...Object.keys(readers)], byFamily)}`);

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/recovery.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), answers: corpus.length, results, byFamily }, null, 2)}\n`,
);
console.log('\nwrote bench/results/recovery.json');
