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
 *
 * A cut can also fall before the parser sees a call at all (`Sure. <tool_call>`, `{"name": "get_we`):
 * then the live preview (previewCalls.ts, which recognises call openings while they stream) has an
 * unfinished call at the end. That is reported as a cut call too, and its fragment leaves the prose,
 * so the user gets an error card instead of a stray tag or half an object.
 */
import type { FinishReason } from '../types/generation.ts';
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { ParseError, ParseResult } from '../types/toolCall.ts';
import { parseToolCalls } from '../parse/parseToolCalls.ts';
import { completePrefix } from './completePrefix.ts';
import { previewStreamingCalls } from '../parse/previewCalls.ts';

export interface AnswerParse {
  /** What the loop acts on; a cut call appears among `errors`, never among `calls`. */
  parsed: ParseResult;
  /** The error reported for the call the token limit cut off, if any (also in `parsed.errors`). */
  cut?: ParseError;
}

export const CUT_MESSAGE =
  'The answer reached the token limit in the middle of this call, so it was not run. Raise the maximum answer length, or ask for less at once.';

/**
 * What the user (and the model) is told about the cut call. The name is given only when it is one of
 * the offered functions: a cut can also fall inside the name, and "a call to get_wea" would mislead.
 */
export function cutMessage(name: string | undefined, maxTokens: number | undefined): string {
  if (name === undefined && maxTokens === undefined) return CUT_MESSAGE;
  const limit =
    maxTokens === undefined ? 'the token limit' : `the token limit (${maxTokens.toLocaleString('en-US')} tokens)`;
  const call = name === undefined ? 'a function call' : `a call to ${name}`;
  return `The answer hit ${limit} in the middle of ${call}; the call was not run. Raise the maximum answer length in Settings, or ask for less at once.`;
}

/**
 * @param maxTokens the generation's token limit, for the message about a cut call
 * @param answerPrefix what the prompt wrote at the start of the answer (BuiltPrompt.answerPrefix)
 */
export function parseAnswer(
  text: string,
  finishReason: FinishReason,
  functions: FunctionSpec[],
  maxTokens?: number,
  answerPrefix = '',
): AnswerParse {
  const whole = parseToolCalls(text, functions, { answerPrefix });
  if (finishReason !== 'length') return { parsed: whole };
  const prefix = completePrefix(text);
  const before = prefix === text ? whole : parseToolCalls(prefix, functions, { answerPrefix });
  const extraCalls = whole.calls.length > before.calls.length;
  const extraErrors = whole.errors.length > before.errors.length;
  if (!extraCalls && !extraErrors)
    return openingCut(text, whole, functions, maxTokens, answerPrefix) ?? { parsed: whole };

  const name = extraCalls ? whole.calls.at(-1)?.name : whole.errors.at(-1)?.name;
  const offered = offeredName(name, functions);
  const cut: ParseError = {
    kind: 'malformed',
    message: cutMessage(offered, maxTokens),
    raw: text.slice(prefix.length).trim(),
    cut: true,
  };
  if (offered !== undefined) cut.name = offered;
  const calls = extraCalls ? whole.calls.slice(0, -1) : whole.calls;
  const errors = extraCalls ? [...whole.errors, cut] : [...whole.errors.slice(0, -1), cut];
  return { parsed: { ...whole, calls, errors }, cut };
}

function offeredName(name: string | undefined, functions: FunctionSpec[]): string | undefined {
  return name !== undefined && functions.some((f) => f.name === name) ? name : undefined;
}

/** A call the parser did not see yet, left open at the end by the token limit (see the header). */
function openingCut(
  text: string,
  whole: ParseResult,
  functions: FunctionSpec[],
  maxTokens: number | undefined,
  answerPrefix: string,
): AnswerParse | null {
  const preview = previewStreamingCalls(text, functions, answerPrefix);
  // A cut inside the reasoning is no cut call: the model was still thinking.
  if (preview.thinking) return null;
  const last = preview.calls.at(-1);
  if (!last || last.complete) return null;
  const offered = offeredName(last.name, functions);
  const trimmed = text.trim();
  const raw = trimmed.startsWith(preview.prose) ? trimmed.slice(preview.prose.length).trim() : trimmed;
  const cut: ParseError = { kind: 'malformed', message: cutMessage(offered, maxTokens), raw, cut: true };
  if (offered !== undefined) cut.name = offered;
  return { parsed: { ...whole, errors: [...whole.errors, cut], text: preview.prose }, cut };
}
