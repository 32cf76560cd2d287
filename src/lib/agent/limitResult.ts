/**
 * Cuts a function result that is too long for the prompt (see sizeLimits.ts), so one chatty function
 * cannot push everything else out of the model's context.
 *
 * The cut applies to what the model is given (the JSON text, or the error text) and to what is kept
 * with the conversation (the card shows the same text, so the user sees what the model saw, and a
 * multi-megabyte result is not written to IndexedDB on every save). The model gets a marker saying
 * the text was cut, so it does not take the partial JSON for the whole answer; the card says so too
 * (`truncatedFrom`).
 */
import type { DispatchResult } from '../types/dispatch.ts';
import { formatCount } from './sizeLimits.ts';

/** The marker appended to a cut result, as the model reads it. */
export function truncationMarker(originalChars: number, keptChars: number): string {
  return `\n[… truncated by Callama: the result was ${formatCount(originalChars)} characters; only the first ${formatCount(keptChars)} are shown]`;
}

/** Keeps at most `maxChars` characters, without splitting a surrogate pair (an emoji, say). */
function head(text: string, maxChars: number): string {
  const end = maxChars > 0 && /[\uD800-\uDBFF]/.test(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
  return text.slice(0, Math.max(0, end));
}

/** @returns `result` unchanged when it fits, else a copy cut to `maxChars` with a marker and `truncatedFrom`. */
export function limitResult(result: DispatchResult, maxChars: number): DispatchResult {
  if (result.ok) {
    if (result.json.length <= maxChars) return result;
    const kept = head(result.json, maxChars);
    // `value` would keep the whole result in storage; the cut text is what the model had to go on.
    return {
      ok: true,
      value: null,
      json: kept + truncationMarker(result.json.length, kept.length),
      ms: result.ms,
      truncatedFrom: result.json.length,
    };
  }
  const message = result.error.message;
  if (message.length <= maxChars) return result;
  const kept = head(message, maxChars);
  return {
    ok: false,
    error: { kind: result.error.kind, message: kept + truncationMarker(message.length, kept.length) },
    ms: result.ms,
    truncatedFrom: message.length,
  };
}
