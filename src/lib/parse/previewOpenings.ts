/**
 * Where a call opens in streamed text, for the live call preview (previewCalls.ts), and how a
 * Markdown fence around it goes with it. `classify` answers for one candidate position: an opening,
 * 'no', or 'maybe' when the text ends before the opening is clear (the caller holds that back).
 */
import type { PreviewContext } from './previewTypes.ts';
import { identifierEnd, isIdentifierPart, isIdentifierStart } from './pythonicCalls.ts';
import type { CallBodyKind } from '../formats/formatSyntax.ts';
import { KNOWN_CALL_CONTEXTS } from '../formats/knownSyntax.ts';
import { FUNCTION_TAG_OPEN } from './bodies/functionTagBody.ts';

export type Opening =
  | {
      kind: 'tag';
      start: number;
      contentStart: number;
      closers: readonly string[];
      bodies: readonly CallBodyKind[];
      reopens: readonly string[];
    }
  | { kind: 'function_tag'; start: number; contentStart: number; name: string }
  | { kind: 'json' | 'pythonic' | 'pythonic_list'; start: number };

/** Every format's call contexts except `<function=`, whose opening is also its body (previewFunctionTag.ts). */
const TAGS = KNOWN_CALL_CONTEXTS.filter((c) => c.open !== FUNCTION_TAG_OPEN);
const OPENERS = KNOWN_CALL_CONTEXTS.map((c) => c.open);
const LONGEST_OPENER = Math.max(...OPENERS.map((o) => o.length), FUNCTION_TAG_OPEN.length);
/** First characters of an opening that does not start with `<` (`[TOOL_CALLS]`). */
const OTHER_OPENER_STARTS = [...new Set(OPENERS.filter((o) => !o.startsWith('<')).map((o) => o.charAt(0)))];
const TRIGGER_KEYS = ['name', 'function', 'tool_calls', 'function_call'];
const FENCE_BEFORE = /```[\w.+-]*[ \t]*$/;
const TRAILING_FENCE = /(?:^|\n)[ \t]*(`{1,3}[\w.+-]*)\s*$/;

/** Whether a call opens at `at`: an opening, 'no', or 'maybe' when the text ends before it is clear. */
export function classify(text: string, at: number, ctx: PreviewContext): Opening | 'no' | 'maybe' {
  const c = text.charAt(at);
  if (c === '<') return classifyTag(text, at);
  if (OTHER_OPENER_STARTS.includes(c)) {
    const tag = classifyTag(text, at);
    if (tag !== 'no') return tag;
  }
  if (c === '{') return classifyObject(text, at);
  if (c === '[') {
    const j = skipSpace(text, at + 1);
    if (j >= text.length) return 'maybe';
    if (text.charAt(j) === '{') {
      const inner = classifyObject(text, j);
      return typeof inner === 'string' ? inner : { kind: 'json', start: at };
    }
    if (!isIdentifierStart(text.charCodeAt(j))) return 'no';
    const inner = classifyPythonic(text, j, ctx);
    return typeof inner === 'string' ? inner : { kind: 'pythonic_list', start: at };
  }
  const prev = at > 0 ? text.charCodeAt(at - 1) : 0;
  // Only a whole word can be a call name: not the tail of `foo_bar`, `x2f` or `obj.method`.
  if (prev === 46 || isIdentifierPart(prev)) return 'no';
  return classifyPythonic(text, at, ctx);
}

function classifyTag(text: string, at: number): Opening | 'no' | 'maybe' {
  for (const tag of TAGS) {
    if (text.startsWith(tag.open, at)) {
      return {
        kind: 'tag',
        start: at,
        contentStart: at + tag.open.length,
        closers: tag.close,
        bodies: tag.bodies,
        reopens: OPENERS,
      };
    }
  }
  if (text.startsWith(FUNCTION_TAG_OPEN, at)) {
    const nameEnd = /^[A-Za-z_][\w.-]*/.exec(text.slice(at + FUNCTION_TAG_OPEN.length, at + 80))?.[0].length ?? 0;
    const close = at + FUNCTION_TAG_OPEN.length + nameEnd;
    if (close >= text.length) return 'maybe';
    if (nameEnd === 0 || text.charAt(close) !== '>') return 'no';
    return {
      kind: 'function_tag',
      start: at,
      contentStart: close + 1,
      name: text.slice(at + FUNCTION_TAG_OPEN.length, close),
    };
  }
  if (text.length - at >= LONGEST_OPENER) return 'no';
  const rest = text.slice(at);
  return OPENERS.some((tag) => tag.startsWith(rest)) ? 'maybe' : 'no';
}

/** `{` then a call key (quoted or not): `{"name"`, `{ 'function'`, `{tool_calls:`. */
function classifyObject(text: string, at: number): Opening | 'no' | 'maybe' {
  const j = skipSpace(text, at + 1);
  if (j >= text.length) return 'maybe';
  const q = text.charAt(j);
  let key: string;
  if (q === '"' || q === "'") {
    const close = text.indexOf(q, j + 1);
    if (close === -1) return isTriggerPrefix(text.slice(j + 1, j + 16)) ? 'maybe' : 'no';
    key = text.slice(j + 1, close);
  } else if (isIdentifierStart(text.charCodeAt(j))) {
    const keyEnd = identifierEnd(text, j);
    key = text.slice(j, keyEnd);
    if (keyEnd >= text.length) return isTriggerPrefix(key) ? 'maybe' : 'no';
    const colon = skipSpace(text, keyEnd);
    if (colon >= text.length) return TRIGGER_KEYS.includes(key) ? 'maybe' : 'no';
    if (text.charAt(colon) !== ':') return 'no';
  } else {
    return 'no';
  }
  return TRIGGER_KEYS.includes(key) ? { kind: 'json', start: at } : 'no';
}

function classifyPythonic(text: string, at: number, ctx: PreviewContext): Opening | 'no' | 'maybe' {
  const end = identifierEnd(text, at);
  const name = text.slice(at, end);
  if (end >= text.length) return ctx.isNamePrefix(name) ? 'maybe' : 'no';
  if (!ctx.names.has(name)) return 'no';
  let j = text.startsWith('.call', end) ? end + 5 : end;
  while (text.charAt(j) === ' ' || text.charAt(j) === '\t') j += 1;
  if (j >= text.length) return 'maybe';
  return text.charAt(j) === '(' ? { kind: 'pythonic', start: at } : 'no';
}

/** `at`, or the start of a fence that opens right before it (it goes with the call). */
export function withFenceBefore(text: string, at: number, fencesBefore: FenceCount = countFences): number {
  let before = at;
  while (before > 0 && /\s/.test(text.charAt(before - 1))) before -= 1;
  const open = FENCE_BEFORE.exec(text.slice(Math.max(0, before - 40), before));
  if (!open) return at;
  const fenceStart = before - open[0].length;
  return fencesBefore(text, fenceStart) % 2 === 0 ? fenceStart : at;
}

/** After a fenced call: its closing fence (taken with it), or the end of the text while it may come. */
export function fenceTail(text: string, from: number): { end: number; open: boolean } | undefined {
  const j = skipSpace(text, from);
  if (j >= text.length || '``'.startsWith(text.slice(j))) return { end: text.length, open: true };
  return text.startsWith('```', j) ? { end: j + 3, open: false } : undefined;
}

/** Where a fence opener at the end of the text starts (it may open a call), else the text's end. */
export function trailingFence(text: string, from: number, fencesBefore: FenceCount = countFences): number {
  const tail = text.slice(Math.max(from, text.length - 40));
  const m = TRAILING_FENCE.exec(tail);
  const fence = m?.[1];
  if (!m || fence === undefined) return text.length;
  const at = text.length - tail.length + m.index + m[0].indexOf(fence);
  return fencesBefore(text, at) % 2 === 0 ? at : text.length;
}

/** How many ``` fences start before `end` (counted left to right, never overlapping). */
export type FenceCount = (text: string, end: number) => number;

export function countFences(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('```'); i !== -1 && i < end; i = text.indexOf('```', i + 3)) count += 1;
  return count;
}

function isTriggerPrefix(partial: string): boolean {
  return TRIGGER_KEYS.some((k) => k.startsWith(partial));
}

export function skipSpace(text: string, from: number, limit = text.length): number {
  let i = from;
  while (i < limit && /\s/.test(text.charAt(i))) i += 1;
  return i;
}
