/**
 * `npm run eval -- --answers answers.jsonl [--cases public/eval/callama-eval.jsonl] [--json out.json]`
 *
 * Scores recorded model answers (one `{"id": …, "output": "…", "finishReason"?: "stop"|"length"}` per
 * line) with the same scorer the app uses, and prints accuracy by category. Case files may be
 * Callama's format, or a BFCL question file given with `--bfcl-answers possible_answer.jsonl`.
 * Exits 0 after printing a report; 2 on bad usage or unreadable files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { EvalCase } from '../src/lib/eval/evalCase.ts';
import { loadBfcl } from '../src/lib/eval/loadBfcl.ts';
import { parseCases } from '../src/lib/eval/parseCases.ts';
import { parseJsonl } from '../src/lib/eval/parseJsonl.ts';
import { scoreAnswer } from '../src/lib/eval/scoreAnswer.ts';
import { formatReportTable, summarize, type EvalItemResult, type EvalReport } from '../src/lib/eval/summarize.ts';
import type { FinishReason } from '../src/lib/types/generation.ts';

export const DEFAULT_CASES = 'public/eval/callama-eval.jsonl';

export interface EvalCliResult {
  code: number;
  report?: EvalReport;
  items?: EvalItemResult[];
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function readArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i] ?? '';
    const value = argv[i + 1];
    if (!key.startsWith('--') || value === undefined || value.startsWith('--'))
      throw new UsageError(`Expected "--option value", got "${key}".`);
    args.set(key.slice(2), value);
    i++;
  }
  return args;
}

function loadCases(path: string, bfclAnswers: string | undefined, log: (s: string) => void): EvalCase[] {
  const text = readFileSync(path, 'utf8');
  const { cases, errors } =
    bfclAnswers === undefined
      ? parseCases(text)
      : (({ cases: c, skipped }) => ({ cases: c, errors: skipped }))(loadBfcl(text, readFileSync(bfclAnswers, 'utf8')));
  for (const e of errors) log(`skipped case: ${e.message}`);
  return cases;
}

const isFinish = (v: unknown): v is FinishReason => v === 'stop' || v === 'length' || v === 'abort';

/** Runs the CLI with the given arguments; `log` receives every printed line. */
export function main(argv: string[], log: (line: string) => void = console.log): EvalCliResult {
  let args: Map<string, string>;
  try {
    args = readArgs(argv);
    if (!args.has('answers')) throw new UsageError('Missing --answers <file.jsonl>.');
  } catch (err) {
    log(
      `${err instanceof Error ? err.message : String(err)}\nUsage: npm run eval -- --answers answers.jsonl [--cases ${DEFAULT_CASES}] [--bfcl-answers possible_answer.jsonl] [--json report.json]`,
    );
    return { code: 2 };
  }
  let cases: EvalCase[];
  let answersText: string;
  try {
    cases = loadCases(args.get('cases') ?? DEFAULT_CASES, args.get('bfcl-answers'), log);
    answersText = readFileSync(args.get('answers') ?? '', 'utf8');
  } catch (err) {
    log(`Cannot read a file: ${err instanceof Error ? err.message : String(err)}`);
    return { code: 2 };
  }

  const answers = parseJsonl(answersText);
  for (const e of answers.errors) log(`skipped answer: ${e.message}`);
  const byId = new Map(cases.map((c) => [c.id, c]));
  const items: EvalItemResult[] = [];
  for (const { line, value } of answers.lines) {
    const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const testCase = typeof record.id === 'string' ? byId.get(record.id) : undefined;
    if (!testCase || typeof record.output !== 'string') {
      log(`skipped answer: line ${line}: needs an "id" of a known case and an "output" string`);
      continue;
    }
    items.push(scoreAnswer(testCase, record.output, isFinish(record.finishReason) ? record.finishReason : 'stop'));
  }

  const report = summarize(items);
  log(`Scored ${items.length} answer(s) against ${cases.length} case(s).\n`);
  log(formatReportTable(report));
  const wrong = items.filter((item) => !item.correct);
  if (wrong.length > 0) log(`\nWrong answers:\n${wrong.map((w) => `  ${w.id}: ${w.reason}`).join('\n')}`);
  const jsonPath = args.get('json');
  if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify({ report, items }, null, 2)}\n`);
  return { code: 0, report, items };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2)).code;
}
