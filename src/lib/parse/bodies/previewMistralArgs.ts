/**
 * One Mistral v11/v13 call still being written (`[TOOL_CALLS]get_weather[ARGS]{"city": "Pa`), for
 * the live call preview. The card gets its name once `[ARGS]` has arrived (before that the name may
 * still grow: `get` → `get_weather`), then its arguments as they stream, through partialJson. A call
 * whose JSON has closed (or whose context has closed) is read by the parser's own reader
 * (mistralArgsBody.ts), so the preview ends on the exact arguments.
 */
import { isObject } from '../normalizeCall.ts';
import { partialObject } from '../partialJson.ts';
import type { Region } from '../previewTypes.ts';
import { scanBalanced } from '../scanBalanced.ts';
import { ARGS, CALL_ID, MISTRAL_NAME, readMistralCall } from './mistralArgsBody.ts';

/**
 * Whether the text at `from` is, or may still become, `name[ARGS]` / `name[CALL_ID]`: a name running
 * to `limit`, or a name followed by the start of either marker.
 */
export function mayStartMistralArgs(text: string, from: number, limit: number): boolean {
  const name = MISTRAL_NAME.exec(text.slice(from, Math.min(limit, from + 200)))?.[0];
  if (name === undefined) return false;
  const rest = text.slice(from + name.length, limit);
  if (rest === '') return true;
  return [ARGS, CALL_ID].some((marker) => rest.startsWith(marker) || marker.startsWith(rest));
}

/**
 * The call whose name starts at `from`. `bounded`: `limit` is a closer (`</s>` or the next
 * `[TOOL_CALLS]`), so the call is finished there even if its JSON is one bracket short.
 */
export function previewMistralArgs(text: string, from: number, limit: number, bounded: boolean): Region {
  const name = MISTRAL_NAME.exec(text.slice(from, Math.min(limit, from + 200)))?.[0] ?? '';
  let argsMarker = from + name.length;
  if (text.startsWith(CALL_ID, argsMarker)) argsMarker = text.indexOf(ARGS, argsMarker);
  if (argsMarker === -1 || argsMarker >= limit || !text.startsWith(ARGS, argsMarker)) {
    // `[ARGS]` has not arrived: a card without a name yet.
    return { end: limit, calls: [{ arguments: {}, complete: bounded }], open: !bounded };
  }
  let argsStart = argsMarker + ARGS.length;
  while (argsStart < limit && /\s/.test(text.charAt(argsStart))) argsStart += 1;
  const span = argsStart < limit && text.charAt(argsStart) === '{' ? scanBalanced(text, argsStart, limit) : undefined;
  if (bounded || span?.closed === true) {
    const { item, end } = readMistralCall(text, from, span?.closed === true ? span.end : limit);
    const args = item.kind === 'call' && isObject(item.args) ? item.args : {};
    return { end, calls: [{ name, arguments: args, complete: true }], open: false };
  }
  const soFar = argsStart < limit ? partialObject(text.slice(argsStart, limit), false) : {};
  return { end: limit, calls: [{ name, arguments: soFar, complete: false }], open: true };
}
