/**
 * Reads JSON that is still being streamed, for the live call preview (previewCalls.ts).
 *
 * jsonrepair alone closes a cut-off text, but it also invents values for what is only half written:
 * `{"city": "Paris", "da` becomes `{"city": "Paris", "da": null}` and `{"n": tru` becomes
 * `{"n": "tru"}`. Shown live, a row "da" would appear and then vanish when "days" arrives. So the
 * text is first cut back to its last point that only grows from here on:
 *
 * - a key still being written, or whose value has not started, is dropped with its member;
 * - a number or literal (true, None…) still being written is dropped until a delimiter follows it,
 *   because `1` may become `12` and `Tr` is not a value yet;
 * - a string value still being written is kept and closed here (jsonrepair would guess where an
 *   unclosed string ends, and guesses wrong at a `,` or `{` inside it); later text only extends it;
 * - a container nested deeper than MAX_PARTIAL_DEPTH is dropped with its member.
 */
import { isObject } from './normalizeCall.ts';
import { parseLooseJson } from './repairJson.ts';

interface Frame {
  object: boolean;
  /** Where the member being written began (after `{`, `[` or `,`): the cut point if it is unfinished. */
  memberStart: number;
  /** object: 'key' → 'colon' → 'value' → 'after'; array: 'value' → 'after'. */
  state: 'key' | 'colon' | 'value' | 'after';
}

/**
 * How deep an unfinished value is read; a container deeper than this is left out until the value is
 * finished. No call's arguments nest so deep, and jsonrepair's cost grows with the depth it repairs:
 * an answer of `{"name": ` repeated (64 KB, 8,000 levels) cost 60–75 ms per read of the live preview,
 * each a long task on the page.
 */
export const MAX_PARTIAL_DEPTH = 64;

const DELIMITERS = new Set([',', ':', '{', '}', '[', ']', '"', "'", '/', ' ', '\t', '\n', '\r']);

/** The longest prefix of an unfinished JSON text whose repair only grows (an open string closed). */
export function trimPartialJson(text: string): string {
  const stack: Frame[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    const top = stack[stack.length - 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i += 1;
    } else if (c === '/' && (text.charAt(i + 1) === '/' || text.charAt(i + 1) === '*')) {
      i = commentEnd(text, i);
    } else if (c === '{' || c === '[') {
      // Too deep for a call: cut with the member that holds it (the cut stays there as text arrives).
      if (top && stack.length >= MAX_PARTIAL_DEPTH) return text.slice(0, top.memberStart);
      if (top) top.state = 'after'; // the parent's value is this container, however far it gets
      stack.push({ object: c === '{', memberStart: i + 1, state: c === '{' ? 'key' : 'value' });
      i += 1;
    } else if (!top) {
      return text; // a bare scalar: nothing structural to trim
    } else if (c === '}' || c === ']') {
      stack.pop();
      i += 1;
    } else if (c === ',') {
      top.state = top.object ? 'key' : 'value';
      top.memberStart = i + 1;
      i += 1;
    } else if (c === ':') {
      if (top.object) top.state = 'value';
      i += 1;
    } else if (c === '"' || c === "'") {
      const end = stringEnd(text, i);
      if (end === -1)
        return top.object && top.state !== 'value' ? text.slice(0, top.memberStart) : closeString(text, c);
      top.state = top.object && top.state === 'key' ? 'colon' : 'after';
      i = end;
    } else {
      // A number, a literal or an unquoted key: finished only once a delimiter follows it.
      // At least one character: a `/` that opens no comment is a delimiter too, and a token of none
      // would never move on (`[/TH`, Mistral's `[/THINK]` arriving, hung the preview).
      let end = i + 1;
      while (end < text.length && !DELIMITERS.has(text.charAt(end))) end += 1;
      if (end >= text.length) return text.slice(0, top.memberStart);
      top.state = top.object && top.state === 'key' ? 'colon' : 'after';
      i = end;
    }
  }
  const top = stack[stack.length - 1];
  // A key with no value yet (`{"a"` or `{"a": `) is dropped: its value would be a made-up null.
  if (top?.object && (top.state === 'colon' || top.state === 'value')) return text.slice(0, top.memberStart);
  return text;
}

/**
 * The object an unfinished (or finished) JSON text holds so far; `{}` when it holds none yet.
 * @param complete the text is finished: parse it as the parser would, without trimming
 */
export function partialObject(text: string, complete: boolean): Record<string, unknown> {
  const parsed = parseLooseJson(complete ? text : trimPartialJson(text));
  return parsed.ok && isObject(parsed.value) ? parsed.value : {};
}

/** Closes a string cut off at the end of `text`, without a half-written escape sequence. */
function closeString(text: string, quote: string): string {
  const tail = /(\\+)(u[0-9a-fA-F]{0,3})?$/.exec(text);
  // An odd run of backslashes means the last one starts an escape that has not arrived yet.
  const cut = tail?.[1] !== undefined && tail[1].length % 2 === 1 ? 1 + (tail[2]?.length ?? 0) : 0;
  return text.slice(0, text.length - cut) + quote;
}

/** Index after the string opening at `start`, or -1 when it is not closed yet. */
function stringEnd(text: string, start: number): number {
  const quote = text.charAt(start);
  for (let i = start + 1; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (c === '\\') i += 1;
    else if (c === quote) return i + 1;
  }
  return -1;
}

function commentEnd(text: string, start: number): number {
  if (text.charAt(start + 1) === '/') {
    const eol = text.indexOf('\n', start);
    return eol === -1 ? text.length : eol;
  }
  const close = text.indexOf('*/', start + 2);
  return close === -1 ? text.length : close + 2;
}
