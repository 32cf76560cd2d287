/**
 * Mistral tokenizer v11/v13 call bodies, read by the final parser. The `[TOOL_CALLS]` context holds
 * one call after the control token (mistral-common `_encode_tool_calls_in_assistant_message`):
 * - v13 (Ministral 3): `get_weather[ARGS]{"city": "Paris"}`;
 * - v11: `get_weather[CALL_ID]a1b2c3d4e[ARGS]{"city": "Paris"}` (the id is not ours to keep: results
 *   are matched to calls by order, so it is read past and dropped).
 * `[TOOL_CALLS]` repeats before each call; findCalls ends the context at the next one (a closer that
 * is also an opening), so a body normally holds one call. A model that drops the repeated token and
 * writes `a[ARGS]{…}b[ARGS]{…}` is still read, call after call.
 * The arguments are JSON (json.dumps layout), repaired with parseLooseJson when left unclosed.
 * Mistral v0.3's `[TOOL_CALLS] [{"name": …}]` list does not start with a name, so this reader does not
 * claim it and the JSON reader (the context's fallback body) reads it.
 */
import type { FoundItem, FoundSpan, ScanContext } from '../candidate.ts';
import { isObject } from '../normalizeCall.ts';
import { parseLooseJson } from '../repairJson.ts';
import { scanBalanced } from '../scanBalanced.ts';

export const ARGS = '[ARGS]';
export const CALL_ID = '[CALL_ID]';
/** A function name as Mistral's tool schema allows it (letters, digits, `_`, `-`, `.`). */
export const MISTRAL_NAME = /^[A-Za-z_][\w.-]*/;

/** Whether `name[ARGS]` or `name[CALL_ID]` starts at `from` (after whitespace). */
export function startsMistralArgs(text: string, from: number, limit: number): boolean {
  const at = skipSpace(text, from, limit);
  const name = MISTRAL_NAME.exec(text.slice(at, Math.min(limit, at + 200)))?.[0];
  if (name === undefined) return false;
  const after = at + name.length;
  return text.startsWith(ARGS, after) || text.startsWith(CALL_ID, after);
}

/** Reads every `name[ARGS]{…}` from `from` up to `limit`; returns the items found. */
export function readMistralArgs(
  text: string,
  from: number,
  limit: number,
  _scan: ScanContext,
  spans: FoundSpan[],
): number {
  let found = 0;
  let i = skipSpace(text, from, limit);
  while (i < limit && startsMistralArgs(text, i, limit)) {
    const call = readMistralCall(text, i, limit);
    spans.push({ start: i, end: call.end, items: [call.item] });
    found += 1;
    i = skipSpace(text, call.end, limit);
  }
  return found;
}

/** One call starting at `start` (where its name is). `end` is where its arguments end. */
export function readMistralCall(text: string, start: number, limit: number): { item: FoundItem; end: number } {
  const name = MISTRAL_NAME.exec(text.slice(start, Math.min(limit, start + 200)))?.[0] ?? '';
  let i = start + name.length;
  if (text.startsWith(CALL_ID, i)) {
    const args = text.indexOf(ARGS, i);
    if (args === -1 || args >= limit) {
      return {
        item: {
          kind: 'malformed',
          name,
          message: `The call of ${name} has a [CALL_ID] but no [ARGS].`,
          raw: text.slice(start, limit),
        },
        end: limit,
      };
    }
    i = args;
  }
  const argsStart = skipSpace(text, i + ARGS.length, limit);
  // Nothing after [ARGS]: the function takes no arguments (or the model stopped there); `{}` either way.
  if (argsStart >= limit) return { item: { kind: 'call', name, args: {}, raw: text.slice(start, limit) }, end: limit };
  const end = text.charAt(argsStart) === '{' ? scanBalanced(text, argsStart, limit).end : limit;
  const raw = text.slice(start, end);
  const parsed = parseLooseJson(text.slice(argsStart, end));
  if (parsed.ok && isObject(parsed.value)) return { item: { kind: 'call', name, args: parsed.value, raw }, end };
  return { item: { kind: 'malformed', name, message: `The arguments of ${name} are not a JSON object.`, raw }, end };
}

function skipSpace(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && /\s/.test(text.charAt(i))) i += 1;
  return i;
}
