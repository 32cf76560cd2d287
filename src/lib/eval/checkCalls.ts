/**
 * BFCL-style AST check of the calls a model made against the calls a test case expects. Returns the
 * first reason a call is wrong, in words, so a report can show why an item failed.
 */
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { ToolCall } from '../types/toolCall.ts';
import type { ExpectedCall } from './evalCase.ts';
import { matchesAny } from './valueMatches.ts';

export type CheckResult = { ok: true } | { ok: false; reason: string };

const OK: CheckResult = { ok: true };
const fail = (reason: string): CheckResult => ({ ok: false, reason });

function show(value: unknown): string {
  return value === undefined ? '(missing)' : JSON.stringify(value);
}

/** One call against one expected call. */
export function checkCall(expected: ExpectedCall, actual: ToolCall, functions: FunctionSpec[]): CheckResult {
  if (actual.name !== expected.name) return fail(`called ${actual.name} instead of ${expected.name}`);
  const required = functions.find((f) => f.name === expected.name)?.parameters.required ?? [];
  for (const name of required) {
    if (!(name in actual.arguments)) return fail(`${actual.name}: required argument "${name}" is missing`);
  }
  for (const name of Object.keys(actual.arguments)) {
    if (!(name in expected.arguments)) return fail(`${actual.name}: unexpected argument "${name}"`);
  }
  for (const [name, options] of Object.entries(expected.arguments)) {
    const value = actual.arguments[name];
    if (!matchesAny(options, value)) {
      const accepted = options
        .filter((o) => o !== '')
        .map(show)
        .join(' or ');
      return fail(`${actual.name}: ${name} = ${show(value)}, expected ${accepted || 'it left out'}`);
    }
  }
  return OK;
}

/**
 * All calls of an answer against all expected calls. Order does not matter (parallel answers may come
 * in any order): each expected call must be matched by a different actual call.
 */
export function checkCalls(expected: ExpectedCall[], actual: ToolCall[], functions: FunctionSpec[]): CheckResult {
  if (actual.length !== expected.length) {
    return fail(`made ${actual.length} call${actual.length === 1 ? '' : 's'}, expected ${expected.length}`);
  }
  // Small n (a handful of calls): try every assignment with backtracking.
  const used = new Set<number>();
  let firstReason = '';
  const assign = (i: number): boolean => {
    const want = expected[i];
    if (!want) return true;
    for (let j = 0; j < actual.length; j++) {
      const call = actual[j];
      if (used.has(j) || !call) continue;
      const result = checkCall(want, call, functions);
      if (!result.ok) {
        firstReason ||= result.reason;
        continue;
      }
      used.add(j);
      if (assign(i + 1)) return true;
      used.delete(j);
    }
    return false;
  };
  return assign(0) ? OK : fail(firstReason || 'the calls do not match');
}
