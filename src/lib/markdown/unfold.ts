/**
 * A finished answer shown from scratch (a conversation opened, a list shown again) is parsed and
 * rendered a slice at a time, one slice per task, instead of whole in the task that shows it: a
 * 100 KB answer was one task of over a second (`npm run bench:stream`, "reopen"). Until its turn,
 * the rest is shown as plain text, so nothing is missing meanwhile.
 *
 * How much one task can take depends on the machine and on the text (building a highlighted code
 * block costs far more than a paragraph of the same length), so each slice is sized from how long
 * the one before took (`nextSliceSize`), aiming at TARGET_TASK_MS.
 */

/** Characters parsed in the task that first shows an answer: most answers are shorter, and appear whole. */
export const FIRST_SLICE = 2_000;
/** What a slice's parse and render should take, in ms: well under a 50 ms long task, GC included. */
export const TARGET_TASK_MS = 12;
export const MIN_SLICE = 500;
export const MAX_SLICE = 32_000;

/**
 * The size of the next slice, from the last one's size and how long it took to parse and render:
 * scaled to take TARGET_TASK_MS, at most twice the last (one fast slice says little), within
 * MIN_SLICE and MAX_SLICE.
 */
export function nextSliceSize(size: number, elapsedMs: number): number {
  const scaled = elapsedMs > 0 ? (size * TARGET_TASK_MS) / elapsedMs : size * 2;
  return Math.round(Math.min(MAX_SLICE, Math.max(MIN_SLICE, Math.min(size * 2, scaled))));
}

/**
 * Where the next prefix to parse ends: `slice` characters past `from`, moved back to just after the
 * last line break before that (a prefix ending inside a line would show half a line's constructs),
 * or the text's end. Always past `from` while text remains.
 */
export function nextPrefixEnd(text: string, from: number, slice: number): number {
  const limit = from + slice;
  if (limit >= text.length) return text.length;
  const lineEnd = text.lastIndexOf('\n', limit - 1);
  return lineEnd >= from ? lineEnd + 1 : limit;
}
