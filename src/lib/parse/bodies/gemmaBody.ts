/**
 * Gemma 4 call bodies, `call:get_weather{city:<|"|>Paris<|"|>,days:3}` (inside `<|tool_call>` …
 * `<tool_call|>`; shared/TOOL-FORMATS.md §3(b)), read by the final parser and — through
 * `readGemmaValue` in partial mode — by the streaming preview (previewGemma.ts).
 *
 * Values: strings between `<|"|>` delimiters (anything inside, quotes, braces and newlines included;
 * nothing is escaped), numbers, `true`/`false`/`null`, objects `{key:value}` with bare keys, arrays
 * `[…]`. Tolerated drift: spaces and newlines between tokens, a missing `call:` prefix, trailing
 * commas, JSON `"strings"` and `"keys"`, `<|"|>`-quoted keys (the declaration style). What the model
 * left unclosed at the end of the context (a string, a brace) is closed there, as repairJson does for
 * JSON; a key with no value, or anything else, makes the call `malformed` (naming the function).
 * Argument objects are built without a prototype and then copied, so a key `__proto__` stays a plain
 * key (never a prototype).
 */
import type { FoundItem, FoundSpan, ScanContext } from '../candidate.ts';

const QUOTE = '<|"|>';
const NAME = /[A-Za-z_][\w.-]*/y;
const KEY = /[A-Za-z_$][\w$.-]*/y;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const JSON_STRING = /"(?:[^"\\]|\\.)*"/y;

/** A syntax error inside a body (internal: it becomes a `malformed` item). */
class GemmaSyntaxError extends Error {
  override name = 'GemmaSyntaxError';
}

/** A value read so far: `done` false means the text ended inside it (`value` is then what has arrived, if anything shows yet). */
export interface ReadValue {
  value: unknown;
  done: boolean;
  end: number;
}

/** Reads Gemma values from `text` up to `limit`. `partial`: the text is still streaming (a value touching the end may grow). */
export class GemmaValueReader {
  constructor(
    readonly text: string,
    public pos: number,
    readonly limit: number,
    readonly partial: boolean,
  ) {}

  skipSpace(): void {
    while (this.pos < this.limit && /\s/.test(this.text.charAt(this.pos))) this.pos += 1;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.limit;
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m || m.index + m[0].length > this.limit) return undefined;
    return m[0];
  }

  /** `call:name` (the prefix is optional); undefined when no name is there yet. */
  readName(): string | undefined {
    this.skipSpace();
    if (this.text.startsWith('call:', this.pos)) this.pos += 5;
    const name = this.match(NAME);
    if (name !== undefined) this.pos += name.length;
    return name;
  }

  value(): ReadValue {
    if (this.atEnd()) return { value: undefined, done: false, end: this.pos };
    const c = this.text.charAt(this.pos);
    if (
      this.text.startsWith(QUOTE, this.pos) ||
      (this.limit - this.pos < QUOTE.length && QUOTE.startsWith(this.text.slice(this.pos, this.limit)))
    ) {
      return this.gemmaString();
    }
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.jsonString();
    return this.scalar();
  }

  private gemmaString(): ReadValue {
    const start = this.pos + QUOTE.length;
    const close = this.text.indexOf(QUOTE, start);
    if (close !== -1 && close + QUOTE.length <= this.limit) {
      this.pos = close + QUOTE.length;
      return { value: this.text.slice(start, close), done: true, end: this.pos };
    }
    // Unclosed so far: the text up to the end, minus a delimiter that is still arriving (`<|"`).
    let body = start <= this.limit ? this.text.slice(start, this.limit) : '';
    for (let n = Math.min(QUOTE.length - 1, body.length); n > 0; n--) {
      if (body.endsWith(QUOTE.slice(0, n))) {
        body = body.slice(0, -n);
        break;
      }
    }
    this.pos = this.limit;
    return { value: body, done: !this.partial, end: this.limit };
  }

  private jsonString(): ReadValue {
    const raw = this.match(JSON_STRING);
    if (raw === undefined) {
      if (!this.partial) throw new GemmaSyntaxError('a string is not closed');
      this.pos = this.limit;
      return { value: undefined, done: false, end: this.limit };
    }
    this.pos += raw.length;
    return { value: JSON.parse(raw) as unknown, done: true, end: this.pos };
  }

  private scalar(): ReadValue {
    const number = this.match(NUMBER);
    const rest = this.text.slice(this.pos, Math.min(this.limit, this.pos + 5));
    const literal = ['true', 'false', 'null'].find((w) => rest.startsWith(w));
    const token = number ?? literal;
    const touchesEnd = token !== undefined && this.pos + token.length >= this.limit;
    // A number or literal that reaches the end of streamed text may still grow (`1` → `12`).
    if (
      this.partial &&
      (touchesEnd || (token === undefined && ['true', 'false', 'null'].some((w) => w.startsWith(rest))))
    ) {
      this.pos = this.limit;
      return { value: undefined, done: false, end: this.limit };
    }
    if (token === undefined) throw new GemmaSyntaxError(`unexpected "${this.text.slice(this.pos, this.pos + 12)}"`);
    this.pos += token.length;
    const value = literal === token ? (token === 'null' ? null : token === 'true') : Number(token);
    return { value, done: true, end: this.pos };
  }

  /** A key: bare, `<|"|>`-quoted or JSON-quoted; undefined when the text ends before it is whole. */
  private key(): string | undefined {
    if (this.text.startsWith(QUOTE, this.pos)) {
      const read = this.gemmaString();
      return read.done || !this.partial ? String(read.value) : undefined;
    }
    if (this.text.charAt(this.pos) === '"') {
      const read = this.jsonString();
      return read.done ? String(read.value) : undefined;
    }
    const key = this.match(KEY);
    if (key === undefined)
      throw new GemmaSyntaxError(`expected a key at "${this.text.slice(this.pos, this.pos + 12)}"`);
    this.pos += key.length;
    return key;
  }

  /** `{key:value,…}`; a partial object holds the members whose values have started to show. */
  object(): ReadValue {
    this.pos += 1; // `{`
    const members: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const result = (done: boolean): ReadValue => ({ value: { ...members }, done, end: this.pos });
    for (;;) {
      if (this.atEnd()) return this.unclosed(result);
      if (this.text.charAt(this.pos) === '}') {
        this.pos += 1;
        return result(true);
      }
      const key = this.key();
      if (key === undefined || this.atEnd()) return this.unclosed(result, key !== undefined);
      if (this.text.charAt(this.pos) !== ':') throw new GemmaSyntaxError(`expected ":" after ${key}`);
      this.pos += 1;
      const read = this.value();
      if (read.value !== undefined) members[key] = read.value;
      if (!read.done) return this.unclosed(result, read.value === undefined);
      if (this.atEnd()) return this.unclosed(result);
      const c = this.text.charAt(this.pos);
      if (c === ',') this.pos += 1;
      else if (c !== '}') throw new GemmaSyntaxError(`expected "," or "}" after the value of ${key}`);
    }
  }

  /** `[value,…]`. */
  private array(): ReadValue {
    this.pos += 1; // `[`
    const items: unknown[] = [];
    const result = (done: boolean): ReadValue => ({ value: [...items], done, end: this.pos });
    for (;;) {
      if (this.atEnd()) return this.unclosed(result);
      if (this.text.charAt(this.pos) === ']') {
        this.pos += 1;
        return result(true);
      }
      const read = this.value();
      if (read.value !== undefined) items.push(read.value);
      if (!read.done) return this.unclosed(result, read.value === undefined);
      if (this.atEnd()) return this.unclosed(result);
      const c = this.text.charAt(this.pos);
      if (c === ',') this.pos += 1;
      else if (c !== ']') throw new GemmaSyntaxError('expected "," or "]" in a list');
    }
  }

  /**
   * The text ended inside an object or list. Streaming: what has arrived. Final: closed here (the
   * model stopped one brace short), unless a key still waits for its value.
   */
  private unclosed(result: (done: boolean) => ReadValue, valueMissing = false): ReadValue {
    if (this.partial) return result(false);
    if (valueMissing) throw new GemmaSyntaxError('a key has no value');
    return result(true);
  }
}

function skipSpace(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && /\s/.test(text.charAt(i))) i += 1;
  return i;
}

/** Whether a Gemma call starts at `from` (after whitespace): `call:name{`, or `name{` without the prefix. */
export function startsGemmaCall(text: string, from: number, limit: number): boolean {
  const i = skipSpace(text, from, limit);
  return /^(?:call:\s*[A-Za-z_][\w.-]*|[A-Za-z_][\w.-]*\s*\{)/.test(text.slice(i, Math.min(limit, i + 200)));
}

/** Reads one call at `from`; a call that cannot be read runs to `limit`. */
function readOne(text: string, from: number, limit: number): { item: FoundItem; end: number } {
  const reader = new GemmaValueReader(text, from, limit, false);
  const name = reader.readName();
  if (name === undefined) {
    return {
      item: {
        kind: 'malformed',
        message: 'The call has no readable function name.',
        raw: text.slice(from, limit).trim(),
      },
      end: limit,
    };
  }
  try {
    if (reader.atEnd())
      return { item: { kind: 'call', name, args: {}, raw: text.slice(from, reader.pos) }, end: reader.pos };
    if (text.charAt(reader.pos) !== '{') throw new GemmaSyntaxError(`expected "{" after ${name}`);
    const read = reader.object();
    return { item: { kind: 'call', name, args: read.value, raw: text.slice(from, read.end) }, end: read.end };
  } catch (error) {
    if (!(error instanceof GemmaSyntaxError)) throw error;
    const message = `The arguments of ${name} could not be read (${error.message}).`;
    return { item: { kind: 'malformed', name, message, raw: text.slice(from, limit).trim() }, end: limit };
  }
}

/** Every Gemma call from `from` up to `limit` (normally one per `<|tool_call>`); returns the items found. */
export function readGemmaCalls(
  text: string,
  from: number,
  limit: number,
  _scan: ScanContext,
  spans: FoundSpan[],
): number {
  let found = 0;
  let i = skipSpace(text, from, limit);
  while (i < limit && startsGemmaCall(text, i, limit)) {
    const { item, end } = readOne(text, i, limit);
    spans.push({ start: i, end, items: [item] });
    found += 1;
    i = skipSpace(text, end, limit);
  }
  return found;
}
