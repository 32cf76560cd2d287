/**
 * scanBalanced for every opener of one text, each position scanned a bounded number of times.
 *
 * Scanning from an opener is deterministic once the scan is outside strings and comments, so the
 * scan from an opener `k` that an earlier scan passed in that state is a suffix of the earlier one:
 * its result is known the moment the earlier scan closes `k` (closed) or stops with `k` still open
 * (unclosed, at the same fence or limit). One scan therefore records the result of every opener it
 * passes, and a later scan that reaches a recorded opener jumps over its closed value, or stops
 * where it stopped when it never closed. Without this, scanRegion's retry at every `{` of
 * `{"a":{"a":…` would rescan to the end each time: quadratic. Same results as scanBalanced.ts.
 */
export interface Balanced {
  end: number;
  closed: boolean;
}

const OPEN_CURLY = 123;
const CLOSE_CURLY = 125;
const OPEN_SQUARE = 91;
const CLOSE_SQUARE = 93;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKSLASH = 92;
const SLASH = 47;
const STAR = 42;
const NEWLINE = 10;
const BACKTICK = 96;

/** Characters strict JSON may have outside strings; anything else makes JSON.parse fail. */
const JSON_CHAR = new Uint8Array(128);
for (const ch of ' \t\n\r{}[],:-+.0123456789truefalsnE') JSON_CHAR[ch.charCodeAt(0)] = 1;

/** How a recorded scan ended: the result holds for other limits only when the limit did not stop it. */
const NONE = 0;
const CLOSED = 1;
const AT_FENCE = 2;
const AT_LIMIT = 3;

export class BalancedCache {
  private ends: Int32Array | undefined;
  private kinds: Uint8Array | undefined;
  /** 1: the closed value holds a character JSON never has there, so JSON.parse would fail on it. */
  private notJson: Uint8Array | undefined;

  constructor(private readonly text: string) {}

  /** Same result as scanBalanced(text, start, limit). */
  scan(start: number, limit: number): Balanced {
    const known = this.lookup(start, limit);
    if (known) return known;
    const { text } = this;
    const stack: number[] = [];
    // Per open frame: whether it (or a value inside it) is surely not strict JSON.
    const bad: boolean[] = [];
    const markBad = (): void => {
      if (bad.length > 0) bad[bad.length - 1] = true;
    };
    let i = start;
    while (i < limit) {
      const c = text.charCodeAt(i);
      if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
        if (c === SINGLE_QUOTE) markBad();
        i = skipString(text, i, limit, c);
        continue;
      }
      if (!JSON_CHAR[c]) markBad();
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
        const inner = i === start ? undefined : this.lookup(i, limit);
        if (inner?.closed) {
          if (this.notJson?.[i] === 1) markBad();
          i = inner.end; // the same value the recorded scan closed: nothing in it changes our depth
          continue;
        }
        if (inner) return this.stop(stack, inner.end, this.kindAt(i));
        stack.push(i);
        bad.push(false);
      } else if (c === CLOSE_CURLY || c === CLOSE_SQUARE) {
        const opener = stack.pop();
        const wasBad = bad.pop() === true;
        if (opener !== undefined) this.record(opener, i + 1, CLOSED);
        if (opener !== undefined && wasBad && this.notJson) this.notJson[opener] = 1;
        if (wasBad) markBad(); // a broken value breaks every value around it
        if (stack.length === 0) return { end: i + 1, closed: true };
      } else if (c === BACKTICK && text.startsWith('```', i)) {
        return this.stop(stack, i, AT_FENCE);
      }
      i += 1;
    }
    return this.stop(stack, limit, AT_LIMIT);
  }

  /** Every opener still open when the scan stopped at `end` stays open to there. */
  private stop(stack: readonly number[], end: number, kind: number): Balanced {
    for (const opener of stack) this.record(opener, end, kind);
    return { end, closed: false };
  }

  /** Whether JSON.parse would surely fail on the closed value at `start` (a cheap pre-check). */
  surelyNotJson(start: number): boolean {
    return this.notJson?.[start] === 1;
  }

  private kindAt(i: number): number {
    return this.kinds?.[i] ?? NONE;
  }

  private lookup(start: number, limit: number): Balanced | undefined {
    const kind = this.kindAt(start);
    const end = this.ends?.[start];
    if (kind === NONE || end === undefined) return undefined;
    if (kind === CLOSED && end <= limit) return { end, closed: true };
    if (kind === AT_FENCE && end <= limit) return { end, closed: false };
    if (kind === AT_LIMIT && end === limit) return { end, closed: false };
    return undefined;
  }

  private record(opener: number, end: number, kind: number): void {
    // Allocated on the first opener, so prose without brackets costs nothing.
    this.ends ??= new Int32Array(this.text.length + 1);
    this.kinds ??= new Uint8Array(this.text.length + 1);
    this.notJson ??= new Uint8Array(this.text.length + 1);
    this.ends[opener] = end;
    this.kinds[opener] = kind;
  }
}

/** As scanBalanced's: index after the string at `start`; an apostrophe runs to its line end only. */
function skipString(text: string, start: number, limit: number, quote: number): number {
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
