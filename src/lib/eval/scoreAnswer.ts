/**
 * Scores one raw model answer against a test case, parsing it exactly as the app does (parseToolCalls,
 * with the token-limit rule of the agent loop), so the evaluation measures what users get.
 */
import type { FinishReason } from '../types/generation.ts';
import type { ParseError, ToolCall } from '../types/toolCall.ts';
import { parseAnswer } from '../agent/parseAnswer.ts';
import type { EvalCase, EvalCategory } from './evalCase.ts';
import { checkCalls } from './checkCalls.ts';

export interface ItemScore {
  id: string;
  category: EvalCategory;
  correct: boolean;
  /** Why the answer is wrong, in words; '' when correct. */
  reason: string;
  output: string;
  calls: ToolCall[];
  errors: ParseError[];
}

/**
 * Irrelevance: correct when the model calls nothing (no valid call, and no attempted call naming a
 * function). Other categories: correct when the calls match the expected ones and nothing else in the
 * answer was an unusable call.
 */
export function scoreAnswer(testCase: EvalCase, output: string, finishReason: FinishReason = 'stop'): ItemScore {
  const { parsed } = parseAnswer(output, finishReason, testCase.functions);
  const base = { id: testCase.id, category: testCase.category, output, calls: parsed.calls, errors: parsed.errors };
  const verdict = (correct: boolean, reason = '') => ({ ...base, correct, reason });

  if (testCase.category === 'irrelevance' || testCase.expected.length === 0) {
    const attempted = parsed.calls[0]?.name ?? parsed.errors.find((e) => e.name !== undefined)?.name;
    return attempted === undefined ? verdict(true) : verdict(false, `called ${attempted} although no function fits`);
  }
  const firstError = parsed.errors[0];
  if (firstError) return verdict(false, `unusable call: ${firstError.message}`);
  if (parsed.calls.length === 0) return verdict(false, 'no function call in the answer');
  const check = checkCalls(testCase.expected, parsed.calls, testCase.functions);
  return check.ok ? verdict(true) : verdict(false, check.reason);
}
