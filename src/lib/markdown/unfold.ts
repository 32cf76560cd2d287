/**
 * Finished content shown from scratch is built a slice per task, not whole in the task that shows it.
 * - A finished answer (a conversation opened, a list shown again) is parsed and rendered a slice at a
 *   time: a 100 KB answer was one task of over a second (`npm run bench:stream`, "reopen"). Until its
 *   turn, the rest is shown as plain text, so nothing is missing meanwhile.
 * - A conversation opened shows its newest messages first, and older ones a batch per task
 *   (`olderStart`): twenty answers of 2 KB each were one task of about half a second.
 *
 * How much one task can take depends on the machine and on the text (building a highlighted code
 * block costs far more than a paragraph of the same length), so each slice is sized from how long
 * the one before took (`nextSliceSize`), aiming at TARGET_TASK_MS.
 */

/** Characters parsed in the task that first shows an answer: most answers are shorter, and appear whole. */
export const FIRST_SLICE = 2_000;
/** What a slice's parse and render should take, in ms: well under a 50 ms long task, leaving room for the layout and garbage collection that follow. */
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

/** About how many characters of plain text go in one element (`plainPieces`). */
export const PIECE = 4_000;

export interface PlainPiece {
  /** Where the piece ends in the text: the same for as long as the piece is shown. */
  key: number;
  text: string;
}

/**
 * Plain text from `from` (the rest of an answer not parsed yet, or the text a long block got after
 * its last parse) as pieces, one element each. The pieces end at fixed places in the text, whatever
 * `from` is and however much text follows: the piece that covers a multiple of PIECE, `mark`, ends at
 * the first line break within PIECE - 1 characters of it (the break is left out: the next piece
 * starts on a new line anyway); else, once those characters have arrived, just after the last space
 * among them (a line without breaks, the one-line answer that is not parsed again while it streams);
 * else after PIECE - 1 of them. So as the slices move `from` on, only the first piece changes, and as
 * text arrives only the last does; the others stay the same elements, which the browser does not lay
 * out again. As one element, the whole rest (90 KB for a 16k-token answer) was laid out again after
 * every slice (over 40 ms each time, `npm run bench:stream` reopen), and a one-line answer's growing
 * text after every update (layout was half the main thread's time for the `bold` answer).
 */
export function plainPieces(text: string, from: number): PlainPiece[] {
  const pieces: PlainPiece[] = [];
  let start = from;
  while (start < text.length) {
    const { end, next } = pieceEnd(text, (Math.floor(start / PIECE) + 1) * PIECE);
    pieces.push({ key: end, text: text.slice(start, end) });
    start = next;
  }
  return pieces;
}

/**
 * Where the piece that covers `mark` ends, and where the one after it starts. Both are before the
 * next multiple of PIECE, so the next piece covers that one: each piece covers one multiple.
 */
function pieceEnd(text: string, mark: number): { end: number; next: number } {
  if (mark >= text.length) return { end: text.length, next: text.length };
  const limit = mark + PIECE - 1;
  // Looked for within the window only: on a line of thousands of characters, each piece would
  // otherwise read on to the text's end.
  const found = text.slice(mark, limit).indexOf('\n');
  if (found !== -1) return { end: mark + found, next: mark + found + 1 };
  // Not decided until the text reaches the limit: a line break may still come.
  if (text.length < limit) return { end: text.length, next: text.length };
  const space = text.lastIndexOf(' ', limit - 1);
  let end = space >= mark ? space + 1 : limit;
  // Not between the two halves of a surrogate pair (an emoji), which would show as two broken characters.
  if (end === limit && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return { end, next: end };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Where the next batch of older items starts: the first of the items before `from` (newest last)
 * whose sizes, summed back from `from`, stay within `budget` characters; at least one item.
 */
export function olderStart(sizes: readonly number[], from: number, budget: number): number {
  if (from <= 0) return 0;
  let start = from - 1;
  let total = sizes[start] ?? 0;
  while (start > 0 && total + (sizes[start - 1] ?? 0) <= budget) {
    start -= 1;
    total += sizes[start] ?? 0;
  }
  return start;
}
