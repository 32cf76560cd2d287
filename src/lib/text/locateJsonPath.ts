/**
 * Where a value sits in JSON text, for an editor that marks a problem at its place: `path` is the
 * keys (and array indexes, as text) from the root down, as validateFunctionSpec reports them.
 *
 * A small scanner rather than a JSON parser with positions: the text has already been read by
 * JSON.parse, so it is valid, and only the offsets are wanted. When the path leads to something that
 * is not there (a required property left out), the deepest value that is there is returned.
 */

export interface TextRange {
  /** Offset of the value's first character. */
  from: number;
  /** Offset just past its last character. */
  to: number;
}

/** @returns the range of the value at `path`, or of its deepest existing parent; undefined for text that is not JSON. */
export function locateJsonPath(text: string, path: readonly string[]): TextRange | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.skipSpace();
    return scanner.find(path, 0);
  } catch {
    return undefined;
  }
}

class Scanner {
  #pos = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  skipSpace(): void {
    while (/\s/.test(this.#text.charAt(this.#pos))) this.#pos++;
  }

  /** Reads the value at the current position; returns the range of the one `path[depth…]` names. */
  find(path: readonly string[], depth: number): TextRange {
    const from = this.#pos;
    const char = this.#text.charAt(from);
    let found: TextRange | undefined;
    if (char === '{' || char === '[') {
      const isObject = char === '{';
      this.#pos++;
      this.skipSpace();
      let index = 0;
      while (this.#text.charAt(this.#pos) !== (isObject ? '}' : ']')) {
        let key = String(index++);
        if (isObject) {
          const keyStart = this.#pos;
          this.#skipString();
          key = JSON.parse(this.#text.slice(keyStart, this.#pos)) as string;
          this.skipSpace();
          this.#expect(':');
          this.skipSpace();
        }
        const wanted = depth < path.length && path[depth] === key;
        const child = wanted ? this.find(path, depth + 1) : this.#skipValue();
        if (wanted) found = child;
        this.skipSpace();
        if (this.#text.charAt(this.#pos) === ',') {
          this.#pos++;
          this.skipSpace();
        }
      }
      this.#pos++;
    } else {
      this.#skipValue();
    }
    return found ?? { from, to: this.#pos };
  }

  #skipValue(): TextRange {
    const from = this.#pos;
    const char = this.#text.charAt(from);
    if (char === '{' || char === '[') return this.find([], 0);
    if (char === '"') this.#skipString();
    else {
      // Numbers, true, false, null.
      while (this.#pos < this.#text.length && /[^\s,\]}]/.test(this.#text.charAt(this.#pos))) this.#pos++;
    }
    if (this.#pos === from) throw new Error(`unexpected ${JSON.stringify(char)} at ${from}`);
    return { from, to: this.#pos };
  }

  #skipString(): void {
    this.#expect('"');
    while (this.#pos < this.#text.length) {
      const char = this.#text.charAt(this.#pos++);
      if (char === '\\') this.#pos++;
      else if (char === '"') return;
    }
    throw new Error('unterminated string');
  }

  #expect(char: string): void {
    if (this.#text.charAt(this.#pos) !== char) throw new Error(`expected ${char} at ${this.#pos}`);
    this.#pos++;
  }
}
