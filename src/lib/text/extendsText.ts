/** How many characters at each end of the previous text `extendsText` compares. */
const SAMPLE = 32;

/**
 * Whether `text` goes on from `previous` (starts with it), decided in constant time: by the lengths,
 * and by `previous`'s first and last SAMPLE characters at their places in `text`.
 *
 * Why not `text.startsWith(previous)`: the streaming readers (the Markdown view's block stream, the
 * call preview) are handed the whole answer on every update, and a full comparison then costs the
 * answer's length each time, which adds up to the square of it over an answer. Their texts only
 * grow; a text that does not is a replaced one (another answer, a prose part cut back when a call was
 * recognised, a reasoning block taken out), and those differ from the old text at one end or the
 * other. A text that changed only in its middle, keeping both ends in place, would be taken for a
 * continuation; no stream produces one.
 */
export function extendsText(text: string, previous: string): boolean {
  const n = previous.length;
  if (text.length < n) return false;
  if (n <= 2 * SAMPLE) return text.startsWith(previous);
  return text.startsWith(previous.slice(0, SAMPLE)) && text.startsWith(previous.slice(n - SAMPLE), n - SAMPLE);
}
