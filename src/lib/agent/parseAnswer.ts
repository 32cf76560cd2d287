/**
 * parseToolCalls plus the one thing only the loop knows: the finish reason. When the token limit ended
 * the answer, a call still open at the end was cut, not forgotten, so it must not be repaired and run
 * (STYLE.md rule 8). Calls complete before the cut stay valid.
 *
 * How the cut call is found: `before` parses the text up to the structure still open at the end (all
 * complete); `whole` parses everything. What `whole` has beyond `before` came from the open structure:
 * - extra calls: the last of them is the one being written when the limit hit (the parser repaired
 *   it); earlier ones were closed siblings (e.g. the first items of a JSON array of calls) and run.
 * - no extra calls but extra errors: the last error is the cut call; it is replaced by the cut error,
 *   so a cut that dropped a required argument does not turn into a question to the user.
 * - neither: the open tail is prose (an unclosed parenthesis, say) and nothing changes.
 * A complete call followed by a fragment the parser ignores is reported as cut too: wrongly holding a
 * call back is safer than running one with truncated arguments.
 */
import type { FinishReason } from '../types/generation.ts';
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { ParseError, ParseResult } from '../types/toolCall.ts';
import { parseToolCalls } from '../parse/parseToolCalls.ts';
import { completePrefix } from './completePrefix.ts';

export interface AnswerParse {
  /** What the loop acts on; a cut call appears among `errors`, never among `calls`. */
  parsed: ParseResult;
  /** The error reported for the call the token limit cut off, if any (also in `parsed.errors`). */
  cut?: ParseError;
}

export const CUT_MESSAGE =
  'The answer reached the token limit in the middle of this call, so it was not run. Raise the maximum answer length, or ask for less at once.';

export function parseAnswer(text: string, finishReason: FinishReason, functions: FunctionSpec[]): AnswerParse {
  const whole = parseToolCalls(text, functions);
  if (finishReason !== 'length') return { parsed: whole };
  const prefix = completePrefix(text);
  if (prefix === text) return { parsed: whole };

  const before = parseToolCalls(prefix, functions);
  const extraCalls = whole.calls.length > before.calls.length;
  const extraErrors = whole.errors.length > before.errors.length;
  if (!extraCalls && !extraErrors) return { parsed: whole };

  const name = extraCalls ? whole.calls.at(-1)?.name : whole.errors.at(-1)?.name;
  const cut: ParseError = { kind: 'malformed', message: CUT_MESSAGE, raw: text.slice(prefix.length).trim() };
  if (name !== undefined) cut.name = name;
  const calls = extraCalls ? whole.calls.slice(0, -1) : whole.calls;
  const errors = extraCalls ? [...whole.errors, cut] : [...whole.errors.slice(0, -1), cut];
  return { parsed: { calls, errors, text: whole.text }, cut };
}
