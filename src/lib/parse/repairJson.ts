/**
 * Reads JSON the way models write it: strict JSON.parse first (the common, fast case), then
 * jsonrepair, which fixes single quotes, trailing commas, missing closing brackets, Python
 * True/False/None, unquoted keys, comments and cut-off strings.
 */
import { jsonrepair } from 'jsonrepair';
import { errorMessage } from '../errors.ts';

export type LooseJson = { ok: true; value: unknown; repaired: boolean } | { ok: false; reason: string };

export function parseLooseJson(text: string): LooseJson {
  try {
    return { ok: true, value: JSON.parse(text), repaired: false };
  } catch {
    // not strict JSON: try to repair it below
  }
  try {
    return { ok: true, value: JSON.parse(jsonrepair(text)), repaired: true };
  } catch (error) {
    return { ok: false, reason: errorMessage(error) };
  }
}

/**
 * For a value that never closed: the text may be a call followed by prose (`{"function": … }` one
 * bracket short, then "Let me know…"). Retry on the text cut after each of the last few closing
 * brackets, longest first, so the prose is dropped and the missing bracket repaired.
 */
export function parseLooseJsonPrefix(text: string, attempts = 6): { value: unknown; length: number } | undefined {
  let cut = text.length;
  for (let n = 0; n < attempts; n += 1) {
    const curly = text.lastIndexOf('}', cut - 1);
    const square = text.lastIndexOf(']', cut - 1);
    const at = Math.max(curly, square);
    if (at <= 0) return undefined;
    const parsed = parseLooseJson(text.slice(0, at + 1));
    if (parsed.ok) return { value: parsed.value, length: at + 1 };
    cut = at;
  }
  return undefined;
}
