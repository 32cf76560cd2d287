/**
 * Finds where a JSON-ish value that starts at `{` or `[` ends, without parsing it: counts brackets,
 * skips strings in either quote style (models write Python and JavaScript literals too) and `//` or
 * `/* *\/` comments. A Markdown fence (```) outside a string ends the search, so an unclosed call
 * inside a fence does not swallow the prose after the fence.
 */
export const OPEN_CURLY = 123;
export const CLOSE_CURLY = 125;
export const OPEN_SQUARE = 91;
export const CLOSE_SQUARE = 93;
export const DOUBLE_QUOTE = 34;
export const SINGLE_QUOTE = 39;
export const BACKSLASH = 92;
export const SLASH = 47;
export const STAR = 42;
export const NEWLINE = 10;
export const BACKTICK = 96;

/** `end` is the index after the closing bracket, or where the search stopped when `closed` is false. */
export function scanBalanced(text: string, start: number, limit = text.length): { end: number; closed: boolean } {
  let depth = 0;
  let i = start;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      i = skipString(text, i, limit, c);
      continue;
    }
    if (c === SLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === SLASH) {
        const eol = text.indexOf('\n', i);
        i = eol === -1 || eol > limit ? limit : eol;
        continue;
      }
      if (next === STAR) {
        const close = text.indexOf('*/', i + 2);
        i = close === -1 || close + 2 > limit ? limit : close + 2;
        continue;
      }
    } else if (c === OPEN_CURLY || c === OPEN_SQUARE) {
      depth += 1;
    } else if (c === CLOSE_CURLY || c === CLOSE_SQUARE) {
      depth -= 1;
      if (depth === 0) return { end: i + 1, closed: true };
    } else if (c === BACKTICK && text.startsWith('```', i)) {
      return { end: i, closed: false };
    }
    i += 1;
  }
  return { end: limit, closed: false };
}

/**
 * Index after the string that opens at `start`. A single-quoted "string" that reaches a line end is
 * taken as an apostrophe in an unquoted word instead (`{note: it's}`), so it ends there.
 */
export function skipString(text: string, start: number, limit: number, quote: number): number {
  let i = start + 1;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      i += 2;
      continue;
    }
    if (c === quote) return i + 1;
    if (c === NEWLINE && quote === SINGLE_QUOTE) return start + 1;
    i += 1;
  }
  return limit;
}
