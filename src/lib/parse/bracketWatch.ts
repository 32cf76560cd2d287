/**
 * Watches a growing text from one position, reading each character once, for what would end a
 * bracketed value there: a bracket that brings the depth back to zero, or a Markdown fence (```).
 * It reads strings, comments and fences as scanBalanced.ts does, so it sees a value close exactly
 * where scanBalanced would end it; unlike scanBalanced it goes on past that point (a call context
 * holds several values in a row).
 *
 * The streaming call preview (previewCalls.ts) uses it to tell, from the new characters alone,
 * whether a long open region may have ended, instead of reading the whole region again. With
 * `parens`, parentheses count as brackets too (a pythonic call `f(a=[1], b="x")` ends at its `)`).
 * With `outside`, any character but a space read outside every value counts as well: in a call
 * context, what follows a value (another call, a closing tag, or prose that ends the context).
 */
import {
  BACKSLASH,
  BACKTICK,
  CLOSE_CURLY,
  CLOSE_SQUARE,
  DOUBLE_QUOTE,
  NEWLINE,
  OPEN_CURLY,
  OPEN_SQUARE,
  SINGLE_QUOTE,
  SLASH,
  STAR,
} from './scanBalanced.ts';

const WHITESPACE = /\s/;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;

const CODE = 0;
const STRING = 1;
const LINE_COMMENT = 2;
const BLOCK_COMMENT = 3;

export class BracketWatch {
  #pos: number;
  #depth = 0;
  #mode = CODE;
  /** In a string: its quote, and where it opened (a single-quoted one that meets a line end was an apostrophe). */
  #quote = 0;
  #stringStart = 0;

  readonly #parens: boolean;
  readonly #outside: boolean;

  constructor(start: number, { parens = false, outside = false }: { parens?: boolean; outside?: boolean } = {}) {
    this.#pos = start;
    this.#parens = parens;
    this.#outside = outside;
  }

  /**
   * Reads `text` (the text so far: it only grows) up to its end, or up to a character whose meaning
   * depends on what comes next. Whether a value closed or a fence began in what it read.
   */
  read(text: string): boolean {
    let ended = false;
    let i = this.#pos;
    const end = text.length;
    while (i < end) {
      if (this.#mode === STRING) {
        const c = text.charCodeAt(i);
        if (c === BACKSLASH) i += 2;
        else if (c === this.#quote) {
          i += 1;
          this.#mode = CODE;
        } else if (c === NEWLINE && this.#quote === SINGLE_QUOTE) {
          // As skipString: not a string after all; read on from just after the quote.
          i = this.#stringStart + 1;
          this.#mode = CODE;
        } else i += 1;
        continue;
      }
      if (this.#mode === LINE_COMMENT) {
        const eol = text.indexOf('\n', i);
        if (eol === -1) i = end;
        else {
          i = eol;
          this.#mode = CODE;
        }
        continue;
      }
      if (this.#mode === BLOCK_COMMENT) {
        const close = text.indexOf('*/', i);
        if (close === -1) {
          // The `*` of a closer may be the last character so far.
          i = Math.max(i, end - 1);
          break;
        }
        i = close + 2;
        this.#mode = CODE;
        continue;
      }
      const c = text.charCodeAt(i);
      if (this.#outside && this.#depth === 0 && !WHITESPACE.test(text.charAt(i))) ended = true;
      if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
        this.#mode = STRING;
        this.#quote = c;
        this.#stringStart = i;
        i += 1;
      } else if (c === SLASH) {
        if (i + 1 >= end) break; // a comment or not: the next character decides
        const next = text.charCodeAt(i + 1);
        if (next === SLASH) this.#mode = LINE_COMMENT;
        else if (next === STAR) {
          this.#mode = BLOCK_COMMENT;
          i += 2;
          continue;
        }
        i += 1;
      } else if (c === BACKTICK) {
        if (i + 3 > end && '```'.startsWith(text.slice(i))) break; // a fence or not: the next characters decide
        if (text.startsWith('```', i)) ended = true;
        i += 1;
      } else {
        if (c === OPEN_CURLY || c === OPEN_SQUARE || (this.#parens && c === OPEN_PAREN)) this.#depth += 1;
        else if ((c === CLOSE_CURLY || c === CLOSE_SQUARE || (this.#parens && c === CLOSE_PAREN)) && this.#depth > 0) {
          this.#depth -= 1;
          if (this.#depth === 0) ended = true;
        }
        i += 1;
      }
    }
    this.#pos = i;
    return ended;
  }
}
