/**
 * Pythonic calls, as Llama 3.2 writes them: `[get_weather(city='Paris', days=3), get_time()]`, and
 * Llama 3.1's built-in form `brave_search.call(query="…")` after <|python_tag|>.
 *
 * In prose, only a registered name followed by `(` that parses completely (keyword or positional
 * arguments whose values are literals) counts as a call, so "see f(x)" stays prose. Positional
 * arguments are given the function's argument names in declaration order.
 */
import type { FoundItem, ScanContext } from './candidate.ts';
import { parseLooseJson } from './repairJson.ts';
import { setOwnKey } from '../validate/reservedKeys.ts';

const LITERAL_WORDS = new Set(['True', 'False', 'None', 'true', 'false', 'null']);

type Parsed = { item: FoundItem; end: number } | { error: string; end: number };

export function isIdentifierStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

export function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || (c >= 48 && c <= 57);
}

export function identifierEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && isIdentifierPart(text.charCodeAt(i))) i += 1;
  return i;
}

function skipSpace(text: string, start: number, limit: number): number {
  let i = start;
  while (i < limit && /\s/.test(text.charAt(i))) i += 1;
  return i;
}

/**
 * Parses `name(args)` at `start`. Returns undefined when it is not a call of a known function (in
 * prose) or an error (in a call context, where the text was meant as a call).
 */
export function parsePythonicCall(
  text: string,
  start: number,
  limit: number,
  scan: ScanContext,
  inContext: boolean,
): Parsed | undefined {
  const nameEnd = identifierEnd(text, start);
  const name = text.slice(start, nameEnd);
  if (name === '' || (!inContext && !scan.names.has(name))) return undefined;
  let i = nameEnd;
  if (text.startsWith('.call', i)) i += 5; // Llama 3.1 built-in tools: brave_search.call(…)
  i = skipSpace(text, i, limit);
  if (text.charAt(i) !== '(') return undefined;
  i += 1;
  const args: Record<string, unknown> = {};
  const order = scan.argumentOrder(name);
  let positional = 0;
  for (;;) {
    i = skipSpace(text, i, limit);
    if (i >= limit) return fail(inContext, `The call to ${name} is not closed with ")".`, limit);
    if (text.charAt(i) === ')') break;
    let key: string | undefined;
    const keyEnd = identifierEnd(text, i);
    const afterKey = skipSpace(text, keyEnd, limit);
    if (keyEnd > i && text.charAt(afterKey) === '=' && text.charAt(afterKey + 1) !== '=') {
      key = text.slice(i, keyEnd);
      i = skipSpace(text, afterKey + 1, limit);
    }
    // In prose a value that cannot be a literal ends the attempt before its extent is searched: that
    // search runs to the end of an unclosed call, once per name in `f(f(f(…`, which is quadratic.
    if (!inContext && !mayBeLiteral(text, i, limit)) return undefined;
    const valueEnd = argumentEnd(text, i, limit);
    const value = readLiteral(text.slice(i, valueEnd).trim());
    if (value === undefined) {
      return fail(
        inContext,
        `The value of ${key ? `"${key}"` : 'an argument'} in the call to ${name} is not a literal.`,
        valueEnd,
      );
    }
    if (key === undefined) {
      key = order[positional];
      positional += 1;
      if (key === undefined) return fail(inContext, `Too many positional arguments in the call to ${name}.`, valueEnd);
    }
    // Never `args[key] =`: `__proto__=` would set the prototype instead of an argument (reservedKeys.ts).
    setOwnKey(args, key, value.value);
    i = valueEnd;
    if (text.charAt(i) === ',') i += 1;
  }
  const end = i + 1;
  return { item: { kind: 'call', name, args, raw: text.slice(start, end) }, end };
}

/** Parses `[f(…), g(…)]` at the `[` at `start`; every element must be a call. */
export function parsePythonicList(
  text: string,
  start: number,
  limit: number,
  scan: ScanContext,
  inContext: boolean,
): { items: FoundItem[]; end: number } | undefined {
  const items: FoundItem[] = [];
  let i = skipSpace(text, start + 1, limit);
  for (;;) {
    if (!isIdentifierStart(text.charCodeAt(i))) return undefined;
    const parsed = parsePythonicCall(text, i, limit, scan, inContext);
    if (parsed === undefined || !('item' in parsed)) return undefined;
    items.push(parsed.item);
    i = skipSpace(text, parsed.end, limit);
    const c = text.charAt(i);
    if (c === ']') return { items, end: i + 1 };
    if (c !== ',') return undefined;
    i = skipSpace(text, i + 1, limit);
  }
}

function fail(inContext: boolean, error: string, end: number): Parsed | undefined {
  return inContext ? { error, end } : undefined;
}

/** Index of the `,` or `)` that ends the argument value starting at `start` (brackets and quotes skipped). */
export function argumentEnd(text: string, start: number, limit: number): number {
  let depth = 0;
  let quote = '';
  for (let i = start; i < limit; i += 1) {
    const c = text.charAt(i);
    if (quote !== '') {
      if (c === '\\') i += 1;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth += 1;
    else if (c === ']' || c === '}') depth -= 1;
    else if (c === ')') {
      if (depth === 0) return i;
      depth -= 1;
    } else if (c === ',' && depth === 0) return i;
  }
  return limit;
}

/** Whether the argument value at `start` can read as a literal (readLiteral's test, without its extent). */
function mayBeLiteral(text: string, start: number, limit: number): boolean {
  const c = text.charCodeAt(start);
  if (!isIdentifierStart(c)) return start < limit && /["'[{\d.+-]/.test(text.charAt(start));
  // A word is a literal only alone: `True` followed by the end of the argument.
  const end = identifierEnd(text, start);
  const next = text.charAt(skipSpace(text, end, limit));
  return LITERAL_WORDS.has(text.slice(start, end)) && (next === ',' || next === ')');
}

/** A Python/JSON literal (string, number, True/False/None, list, dict) or undefined for anything else. */
function readLiteral(text: string): { value: unknown } | undefined {
  if (text === '') return undefined;
  const first = text.charAt(0);
  const literalStart = /["'[{\d.+-]/.test(first) || LITERAL_WORDS.has(text);
  if (!literalStart) return undefined;
  const parsed = parseLooseJson(text);
  return parsed.ok ? { value: parsed.value } : undefined;
}
