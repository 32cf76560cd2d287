/**
 * One function-calling test: a question, the functions offered, and the calls that count as correct.
 * The shape follows the Berkeley Function-Calling Leaderboard (BFCL) so its files load directly
 * (see loadBfcl.ts), with the categories Callama reports on.
 */
import type { FunctionSpec } from '../types/functionSpec.ts';

export type EvalCategory = 'simple' | 'multiple' | 'parallel' | 'irrelevance';

export const EVAL_CATEGORIES: readonly EvalCategory[] = ['simple', 'multiple', 'parallel', 'irrelevance'];

/**
 * A call that counts as correct. Each argument lists its acceptable values (BFCL's possible_answer):
 * `{ unit: ['celsius', ''] }` accepts "celsius", or the argument left out (the empty string means
 * "may be omitted"). Inside an object value, each key again maps to a list of acceptable values.
 */
export interface ExpectedCall {
  name: string;
  arguments: Record<string, unknown[]>;
}

export interface EvalCase {
  id: string;
  /**
   * simple: one function, one call · multiple: several functions, pick the right one ·
   * parallel: several calls in one answer · irrelevance: no function fits, so no call is correct.
   */
  category: EvalCategory;
  question: string;
  functions: FunctionSpec[];
  /** [] for irrelevance. For parallel cases, any order is accepted. */
  expected: ExpectedCall[];
}

export function isEvalCategory(value: unknown): value is EvalCategory {
  return typeof value === 'string' && (EVAL_CATEGORIES as readonly string[]).includes(value);
}
