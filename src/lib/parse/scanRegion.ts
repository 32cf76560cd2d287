/**
 * Walks a stretch of model output and records every call in it: JSON values (bare, fenced or
 * between prose) and pythonic calls. Numbered steps at each `{` or `[`:
 *
 * 1. A `[` followed by a registered name and `(` is a pythonic list: `[f(a=1), g()]`.
 * 2. Find the value's extent without parsing (scanBalanced).
 * 3. Strict JSON.parse. If it fails and the text reads like a call (or we are in a call context),
 *    repair it; a value that never closed may also be a call followed by prose, so retry cut short.
 * 4. Read calls out of the value (normalizeCall). Valid JSON that is not a call is skipped whole and
 *    stays in the prose; anything else moves on one character, so calls nested in junk are found.
 * 5. Text that reads like a call but cannot be repaired becomes a `malformed` item.
 */
import type { FoundItem, FoundSpan, ScanContext } from './candidate.ts';
import { interpretValue, nameInText } from './normalizeCall.ts';
import {
  identifierEnd,
  isIdentifierPart,
  isIdentifierStart,
  parsePythonicCall,
  parsePythonicList,
} from './pythonicCalls.ts';
import { parseLooseJson, parseLooseJsonPrefix } from './repairJson.ts';
import { ScanMemo } from './scanMemo.ts';

const OPEN_CURLY = 123;
const OPEN_SQUARE = 91;
const DOT = 46;

/**
 * Appends the spans of the calls that start in `text[from, to)` to `spans`. A call may run on past
 * `to` up to `limit` (a tag-like string inside a JSON string must not cut the call). Returns how
 * many items were found and where scanning stopped (at least `to`).
 */
export function scanRegion(
  text: string,
  from: number,
  to: number,
  limit: number,
  scan: ScanContext,
  inContext: boolean,
  spans: FoundSpan[],
): { found: number; end: number } {
  let found = 0;
  const memo = scan.memo?.text === text ? scan.memo : new ScanMemo(text, scan.names);
  const push = (start: number, end: number, items: FoundItem[]): void => {
    spans.push({ start, end, items });
    found += items.length;
  };
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === OPEN_CURLY || c === OPEN_SQUARE) {
      if (c === OPEN_SQUARE) {
        const list = parsePythonicList(text, i, limit, scan, inContext);
        if (list) {
          push(i, list.end, list.items);
          i = list.end;
          continue;
        }
      }
      const next = readJsonAt(text, i, limit, scan, inContext, memo);
      if (next.items) push(i, next.end, next.items);
      i = next.end;
      continue;
    }
    if (isIdentifierStart(c)) {
      const end = identifierEnd(text, i);
      const prev = i > from ? text.charCodeAt(i - 1) : 0;
      // Only a whole word can be a call name: not the tail of `foo_bar` or of `obj.method`.
      if (prev === DOT || isIdentifierPart(prev)) {
        i = end;
        continue;
      }
      if (followedByParen(text, end, limit)) {
        const parsed = parsePythonicCall(text, i, limit, scan, inContext);
        if (parsed && 'item' in parsed) {
          push(i, parsed.end, [parsed.item]);
          i = parsed.end;
          continue;
        }
        if (parsed) {
          push(i, parsed.end, [{ kind: 'malformed', message: parsed.error, raw: text.slice(i, parsed.end) }]);
          i = parsed.end;
          continue;
        }
      }
      i = end;
      continue;
    }
    i += 1;
  }
  return { found, end: Math.max(i, to) };
}

/** Steps 2–5 for the value at `start`; `end` is where scanning goes on. */
function readJsonAt(
  text: string,
  start: number,
  limit: number,
  scan: ScanContext,
  inContext: boolean,
  memo: ScanMemo,
): { items?: FoundItem[]; end: number } {
  const span = memo.balanced.scan(start, limit);
  const mayBeStrict = span.closed && !memo.balanced.surelyNotJson(start);
  const callLike = inContext || memo.looksLikeCall(start, span.end);
  // The common case at a stray bracket, answered without copying or parsing anything.
  if (!mayBeStrict && !callLike) return { end: start + 1 };
  const slice = text.slice(start, span.end);
  let value: unknown;
  let length = slice.length;
  let parsed = false;
  let strict = false;
  if (mayBeStrict) {
    try {
      value = JSON.parse(slice);
      parsed = true;
      strict = true;
    } catch {
      // not strict JSON; repaired below if it is worth it
    }
  }
  // Past the bounds, a value is passed over like one that is not a call (scanMemo.ts says why).
  if (!parsed && callLike && !memo.mayRepair(span.end, span.closed)) return { end: start + 1 };
  if (!parsed && callLike) {
    // An unclosed value followed by prose: cut the prose first, or jsonrepair would swallow it.
    const prefix = !span.closed && proseAfterLastBracket(slice) ? parseLooseJsonPrefix(slice) : undefined;
    const loose = prefix ? undefined : parseLooseJson(slice);
    const fallback = loose && !loose.ok && !span.closed ? parseLooseJsonPrefix(slice) : undefined;
    const best = prefix ?? fallback;
    if (best) {
      value = best.value;
      length = best.length;
      parsed = true;
    } else if (loose?.ok) {
      value = loose.value;
      parsed = true;
    }
  }
  if (parsed) {
    const raw = slice.slice(0, length);
    const items = interpretValue(value, raw, scan.names, inContext);
    if (items) return { items, end: start + length };
    if (!strict) memo.repairedNotACall(span.end, span.closed, slice.length);
    // Valid JSON that is not a call (an answer the user asked for) stays prose as a whole.
    return { end: strict ? span.end : start + 1 };
  }
  if (callLike) {
    const name = nameInText(slice);
    const message = `Could not read the function call${name ? ` to ${name}` : ''}: the JSON is broken beyond repair.`;
    return { items: [{ kind: 'malformed', message, raw: slice, ...(name !== undefined && { name }) }], end: span.end };
  }
  return { end: start + 1 };
}

function followedByParen(text: string, end: number, limit: number): boolean {
  let i = end;
  if (text.startsWith('.call', i)) i += 5;
  while (i < limit && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i += 1;
  return text.charCodeAt(i) === 40;
}

/** Whether the text after the last closing bracket reads as words rather than more JSON. */
function proseAfterLastBracket(slice: string): boolean {
  const last = Math.max(slice.lastIndexOf('}'), slice.lastIndexOf(']'));
  if (last === -1) return false;
  const rest = slice.slice(last + 1);
  return /^\s*[A-Za-z]/.test(rest) && !/["']\s*:/.test(rest);
}
