/**
 * Pythonic calls still being written, for the live call preview (previewCalls.ts):
 * `[get_weather(city='Par` shows get_weather with `{city: 'Par'}`. Values show once they are
 * finished, except strings, lists and dicts, which show as far as they have streamed. A finished
 * call is read by the parser's own parsePythonicCall, so the preview ends on its exact arguments.
 *
 * In prose, a call must name a registered function and every finished value must be a literal;
 * otherwise (`calculate (roughly)`) it is not a call and `undefined` hands it back to the prose.
 * Until its first argument reads like one (`city=` or a literal), a call in prose is only hidden,
 * without a card, so "see get_weather(x)" does not flash a card.
 */
import { isObject } from './normalizeCall.ts';
import { trimPartialJson } from './partialJson.ts';
import type { PreviewCall, PreviewContext, Region } from './previewTypes.ts';
import { argumentEnd, identifierEnd, isIdentifierStart, parsePythonicCall } from './pythonicCalls.ts';
import { parseLooseJson } from './repairJson.ts';
import { setOwnKey } from '../validate/reservedKeys.ts';

const LITERAL_START = /^(?:["'[{\d.+-]|(?:True|False|None|true|false|null)$)/;

/** Where a call is: in prose, in a `[f(…), …]` list, or in a call context (a tag). */
export type PythonicMode = 'prose' | 'list' | 'context';

/** The pythonic call at `start` (a name; `(` follows or is still to come). */
export function previewPythonicCall(
  text: string,
  start: number,
  limit: number,
  ctx: PreviewContext,
  mode: PythonicMode,
): Region | undefined {
  const inContext = mode === 'context';
  let recognised = mode !== 'prose';
  const nameEnd = identifierEnd(text, start);
  const name = text.slice(start, nameEnd);
  if (nameEnd >= limit) return inContext || ctx.isNamePrefix(name) ? pending(limit) : undefined;
  if (!inContext && !ctx.names.has(name)) return undefined;
  let i = skipSpace(text, text.startsWith('.call', nameEnd) ? nameEnd + 5 : nameEnd, limit);
  if (i >= limit) return pending(limit);
  if (text.charAt(i) !== '(') return undefined;
  const order = ctx.argumentOrder(name);
  const args: Record<string, unknown> = {};
  const open = (): Region => ({
    end: limit,
    calls: recognised ? [{ name, arguments: args, complete: false }] : [],
    open: true,
  });
  let positional = 0;
  i += 1;
  for (;;) {
    i = skipSpace(text, i, limit);
    if (i >= limit) return open();
    if (text.charAt(i) === ')') break;
    let key: string | undefined;
    const keyEnd = identifierEnd(text, i);
    const afterKey = skipSpace(text, keyEnd, limit);
    // A keyword (or a word like True) still being written: nothing to show for it yet.
    if (keyEnd > i && afterKey >= limit) return open();
    if (keyEnd > i && text.charAt(afterKey) === '=' && text.charAt(afterKey + 1) !== '=') {
      key = text.slice(i, keyEnd);
      i = skipSpace(text, afterKey + 1, limit);
      recognised = true;
    } else if (LITERAL_START.test(text.charAt(i))) {
      recognised = true;
    }
    const argName = key ?? order[positional];
    const valueEnd = argumentEnd(text, i, limit);
    if (valueEnd >= limit) {
      const partial = partialLiteral(text.slice(i, limit));
      // Own keys only, so a `__proto__=` row is shown (reservedKeys.ts), never set as the prototype.
      if (partial !== undefined && argName !== undefined) setOwnKey(args, argName, partial);
      return open();
    }
    const valueText = text.slice(i, valueEnd).trim();
    const parsed = LITERAL_START.test(valueText) ? parseLooseJson(valueText) : undefined;
    if (!parsed?.ok || argName === undefined) {
      if (!inContext) return undefined;
    } else {
      setOwnKey(args, argName, parsed.value);
    }
    if (key === undefined) positional += 1;
    i = valueEnd;
    if (text.charAt(i) === ',') i += 1;
  }
  const full = parsePythonicCall(text, start, limit, ctx, inContext);
  if (full && 'item' in full && full.item.kind === 'call') {
    return {
      end: full.end,
      calls: [{ name, arguments: isObject(full.item.args) ? full.item.args : {}, complete: true }],
      open: false,
    };
  }
  return inContext ? { end: i + 1, calls: [{ name, arguments: args, complete: true }], open: false } : undefined;
}

/** `[f(…), g(…` at the `[` at `start`: every element a call of a registered function. */
export function previewPythonicList(
  text: string,
  start: number,
  limit: number,
  ctx: PreviewContext,
): Region | undefined {
  const calls: PreviewCall[] = [];
  const stop = (end: number): Region | undefined => (calls.length > 0 ? { end, calls, open: false } : undefined);
  let i = skipSpace(text, start + 1, limit);
  for (;;) {
    if (i >= limit)
      return { end: limit, calls: calls.length > 0 ? calls : [{ arguments: {}, complete: false }], open: true };
    if (!isIdentifierStart(text.charCodeAt(i))) return stop(i);
    const call = previewPythonicCall(text, i, limit, ctx, 'list');
    if (!call) return stop(i);
    calls.push(...call.calls);
    if (call.open) return { end: limit, calls, open: true };
    i = skipSpace(text, call.end, limit);
    if (i >= limit) return { end: limit, calls, open: true };
    const c = text.charAt(i);
    if (c === ']') return { end: i + 1, calls, open: false };
    if (c !== ',') return stop(i);
    i = skipSpace(text, i + 1, limit);
  }
}

function pending(limit: number): Region {
  return { end: limit, calls: [{ arguments: {}, complete: false }], open: true };
}

/** A value still being written: a string as far as it goes, a list or dict as far as it is finished. */
function partialLiteral(rawValue: string): unknown {
  const value = rawValue.trimStart();
  const first = value.charAt(0);
  if (first === '"' || first === "'") {
    const parsed = parseLooseJson(value);
    return parsed.ok && typeof parsed.value === 'string' ? parsed.value : undefined;
  }
  if (first === '[' || first === '{') {
    const parsed = parseLooseJson(trimPartialJson(value));
    return parsed.ok ? parsed.value : undefined;
  }
  return undefined;
}

function skipSpace(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && /\s/.test(text.charAt(i))) i += 1;
  return i;
}
