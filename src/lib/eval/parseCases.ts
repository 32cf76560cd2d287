/**
 * Reads Callama's own test-set format (public/eval/callama-eval.jsonl): one EvalCase per line.
 * Each line is checked; a bad line is skipped with its reason instead of failing the whole file.
 */
import type { FunctionSpec } from '../types/functionSpec.ts';
import { isEvalCategory, type EvalCase, type ExpectedCall } from './evalCase.ts';
import { JsonlError, parseJsonl } from './parseJsonl.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isFunctionSpec(v: unknown): v is FunctionSpec {
  return isRecord(v) && typeof v.name === 'string' && isRecord(v.parameters);
}

function isExpectedCall(v: unknown): v is ExpectedCall {
  return (
    isRecord(v) &&
    typeof v.name === 'string' &&
    isRecord(v.arguments) &&
    Object.values(v.arguments).every(Array.isArray)
  );
}

function toCase(value: unknown): EvalCase | string {
  if (!isRecord(value)) return 'not an object';
  const { id, category, question, functions, expected } = value;
  if (typeof id !== 'string' || id === '') return 'missing "id"';
  if (!isEvalCategory(category)) return `"${id}": category must be simple, multiple, parallel or irrelevance`;
  if (typeof question !== 'string') return `"${id}": missing "question"`;
  if (!Array.isArray(functions) || !functions.every(isFunctionSpec))
    return `"${id}": "functions" must be a list of {name, parameters}`;
  if (!Array.isArray(expected) || !expected.every(isExpectedCall)) {
    return `"${id}": "expected" must be a list of {name, arguments: {arg: [acceptable values]}}`;
  }
  return { id, category, question, functions, expected };
}

export function parseCases(text: string): { cases: EvalCase[]; errors: JsonlError[] } {
  const { lines, errors } = parseJsonl(text);
  const cases: EvalCase[] = [];
  for (const { line, value } of lines) {
    const result = toCase(value);
    if (typeof result === 'string') errors.push(new JsonlError(line, result));
    else cases.push(result);
  }
  return { cases, errors };
}
