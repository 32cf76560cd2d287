/**
 * `npm run bench:core`: per-call time of buildTrelisPrompt and parseToolCalls on a 1 KB answer with
 * 20 registered functions (target: both under 50 µs median). Writes bench/results/core.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { buildTrelisPrompt, parseToolCalls } from '../src/lib/index.ts';
import { corpusFunctions } from '../tests/fixtures/corpus/functions.ts';
import { answer1kb, answer1kbCall } from './lib/answer1kb.ts';
import { measure, table } from './lib/measure.ts';

const TARGET_US = 50;
const functions = corpusFunctions;
if (functions.length !== 20) throw new Error(`expected 20 functions, got ${functions.length}`);

// Check the work is real before timing it.
const parsed = parseToolCalls(answer1kb, functions);
if (!isDeepStrictEqual(parsed.calls, [answer1kbCall]) || parsed.errors.length > 0) {
  throw new Error(`parseToolCalls did not read the benchmark answer: ${JSON.stringify(parsed)}`);
}
const promptArgs = {
  style: 'llama' as const,
  functions,
  system: 'You are a helpful assistant.',
  user: 'Save our chat about kites as KiteDiscussion.',
};
const prompt = buildTrelisPrompt(promptArgs);

const results = {
  buildTrelisPrompt: { ...measure(() => buildTrelisPrompt(promptArgs)), promptChars: prompt.length },
  // New spec objects every call: nothing cached (the first prompt after the functions change).
  'buildTrelisPrompt (new specs)': {
    ...measure(() => buildTrelisPrompt({ ...promptArgs, functions: functions.map((f) => ({ ...f })) })),
    promptChars: prompt.length,
  },
  parseToolCalls: { ...measure(() => parseToolCalls(answer1kb, functions)), answerChars: answer1kb.length },
};

const rows = Object.entries(results).map(([name, r]) => [
  name,
  r.medianUs,
  r.p95Us,
  r.meanUs,
  r.medianUs < TARGET_US ? 'yes' : 'NO',
]);
console.log(`20 functions, ${answer1kb.length}-char answer, ${prompt.length}-char prompt (Node ${process.version})\n`);
console.log(table(['', 'median µs', 'p95 µs', 'mean µs', `< ${TARGET_US} µs`], rows));

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/core.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, functions: functions.length, targetUs: TARGET_US, results }, null, 2)}\n`,
);
console.log('\nwrote bench/results/core.json');
