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
import {
  OPEN_CURLY,
  CLOSE_CURLY,
  OPEN_SQUARE,
  CLOSE_SQUARE,
  DOUBLE_QUOTE,
  SINGLE_QUOTE,
  SLASH,
  STAR,
  BACKTICK,
  skipString,
} from './scanBalanced.ts';

export interface Balanced {
  end: number;
  closed: boolean;
}

/** Characters strict JSON may have outside strings; anything else makes JSON.parse fail. */
const JSON_CHAR = new Uint8Array(128);
for (const ch of ' \t\n\r{}[],:-+.0123456789truefalsnE') JSON_CHAR[ch.charCodeAt(0)] = 1;

/**
 * Tokens outside strings, and which may come before each kind (a bit per token), so that values
 * like `{{…}}` or `[1,]`, whose every character is a JSON one, are known not to be JSON without
 * JSON.parse reading them (which copies the slice first: quadratic over nested values).
 */
const T_NONE = 0;
const T_OPEN_OBJECT = 1;
const T_OPEN_ARRAY = 2;
const T_COMMA = 3;
const T_COLON = 4;
const T_VALUE = 5;
const T_LITERAL = 6;
const bits = (...tokens: number[]): number => tokens.reduce((a, t) => a | (1 << t), 0);
const BEFORE_OPEN = bits(T_NONE, T_OPEN_ARRAY, T_COMMA, T_COLON);
const BEFORE_STRING = bits(T_NONE, T_OPEN_OBJECT, T_OPEN_ARRAY, T_COMMA, T_COLON);
const BEFORE_LITERAL = bits(T_NONE, T_OPEN_ARRAY, T_COMMA, T_COLON, T_LITERAL);
const BEFORE_SEPARATOR = bits(T_VALUE, T_LITERAL);
const BEFORE_CLOSE_OBJECT = bits(T_OPEN_OBJECT, T_VALUE, T_LITERAL);
const BEFORE_CLOSE_ARRAY = bits(T_OPEN_ARRAY, T_VALUE, T_LITERAL);
const COMMA = 44;
const COLON = 58;
const isBracket = (c: number): boolean =>
  c === OPEN_CURLY || c === CLOSE_CURLY || c === OPEN_SQUARE || c === CLOSE_SQUARE;

/** How a recorded scan ended (the fence or limit kinds matter only for reading the code). */
const NONE = 0;
const CLOSED = 1;
const AT_FENCE = 2;
const AT_LIMIT = 3;

export class BalancedCache {
  private ends: Int32Array | undefined;
  private kinds: Uint8Array | undefined;
  private limits: Int32Array | undefined;
  /** The openers of the scan under way, and whether each is surely not JSON (scan's stacks). */
  private stack: Int32Array | undefined;
  private bad: Uint8Array | undefined;
  /** The limit of the scan under way, recorded with its results. */
  private limit = 0;
  /** 1: the closed value holds a character JSON never has there, so JSON.parse would fail on it. */
  private notJson: Uint8Array | undefined;

  constructor(private readonly text: string) {}

  /** Same result as scanBalanced(text, start, limit). */
  scan(start: number, limit: number): Balanced {
    const known = this.lookup(start, limit);
    if (known) return known;
    this.limit = limit;
    const { text } = this;
    // Typed stacks, allocated once per text: a scan's depth is at most the text's length.
    this.stack ??= new Int32Array(this.text.length + 1);
    this.bad ??= new Uint8Array(this.text.length + 1);
    const { stack, bad } = this;
    let depth = 0;
    // Per open frame: whether it (or a value inside it) is surely not strict JSON.
    const markBad = (): void => {
      if (depth > 0) bad[depth - 1] = 1;
    };
    let prev = T_NONE; // the last token outside strings, for JSON's order of tokens
    const token = (next: number, allowed: number): void => {
      if ((allowed & (1 << prev)) === 0) markBad();
      prev = next;
    };
    let i = start;
    while (i < limit) {
      const c = text.charCodeAt(i);
      if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
        if (c === SINGLE_QUOTE) markBad();
        token(T_VALUE, BEFORE_STRING);
        i = skipString(text, i, limit, c);
        continue;
      }
      if (!JSON_CHAR[c]) markBad();
      if (c === COMMA || c === COLON) token(c === COMMA ? T_COMMA : T_COLON, BEFORE_SEPARATOR);
      else if (c > 32 && c !== SLASH && c !== BACKTICK && !isBracket(c)) token(T_LITERAL, BEFORE_LITERAL);
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
        token(c === OPEN_CURLY ? T_OPEN_OBJECT : T_OPEN_ARRAY, BEFORE_OPEN);
        if (inner?.closed) {
          prev = T_VALUE;
          if (this.notJson?.[i] === 1) markBad();
          i = inner.end; // the same value the recorded scan closed: nothing in it changes our depth
          continue;
        }
        if (inner) return this.stop(depth, inner.end, this.kindAt(i));
        stack[depth] = i;
        bad[depth] = 0;
        depth += 1;
      } else if (c === CLOSE_CURLY || c === CLOSE_SQUARE) {
        token(T_VALUE, c === CLOSE_CURLY ? BEFORE_CLOSE_OBJECT : BEFORE_CLOSE_ARRAY);
        depth -= 1;
        const opener = depth >= 0 ? stack[depth] : undefined;
        // A `[` closed by `}` (or the reverse) is no JSON either.
        const mismatched =
          opener !== undefined && text.charCodeAt(opener) !== (c === CLOSE_CURLY ? OPEN_CURLY : OPEN_SQUARE);
        const wasBad = (depth >= 0 && bad[depth] === 1) || mismatched;
        depth = Math.max(depth, 0);
        if (opener !== undefined) this.record(opener, i + 1, CLOSED);
        if (opener !== undefined && wasBad && this.notJson) this.notJson[opener] = 1;
        if (wasBad) markBad(); // a broken value breaks every value around it
        if (depth === 0) return { end: i + 1, closed: true };
      } else if (c === BACKTICK && text.startsWith('```', i)) {
        return this.stop(depth, i, AT_FENCE);
      }
      i += 1;
    }
    return this.stop(depth, limit, AT_LIMIT);
  }

  /** Every opener still open when the scan stopped at `end` stays open to there. */
  private stop(depth: number, end: number, kind: number): Balanced {
    const { stack } = this;
    for (let d = 0; d < depth && stack; d += 1) this.record(stack[d] ?? 0, end, kind);
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
    // Only a scan under the same limit: a string's end may be read past a smaller one (an
    // apostrophe runs to its line end, a comment to its closer), so results differ across limits.
    if (kind === NONE || end === undefined || this.limits?.[start] !== limit) return undefined;
    return { end, closed: kind === CLOSED };
  }

  private record(opener: number, end: number, kind: number): void {
    // Allocated on the first opener, so prose without brackets costs nothing.
    this.ends ??= new Int32Array(this.text.length + 1);
    this.kinds ??= new Uint8Array(this.text.length + 1);
    this.notJson ??= new Uint8Array(this.text.length + 1);
    this.limits ??= new Int32Array(this.text.length + 1);
    this.limits[opener] = this.limit;
    this.ends[opener] = end;
    this.kinds[opener] = kind;
  }
}
