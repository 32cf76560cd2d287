/**
 * `<function=name>` blocks still being written, for the live call preview: the card gets its name
 * once `>` has arrived, then its arguments as they stream — XML parameters (Qwen3.5) one by one, the
 * value still being written shown only when it is text (a number may still grow: `1` → `12`), or a
 * JSON object (Llama 3.1 custom tools) through partialJson. A finished block is read by the
 * parser's own reader (functionTagBody.ts), so the preview ends on the exact arguments.
 */
import type { FoundSpan } from '../candidate.ts';
import { isObject } from '../normalizeCall.ts';
import { partialObject } from '../partialJson.ts';
import type { PreviewCall, PreviewContext, Region } from '../previewTypes.ts';
import { scanBalanced } from '../scanBalanced.ts';
import { convertParameter, FUNCTION_TAG_OPEN, readFunctionTags } from './functionTagBody.ts';
import { setOwnKey } from '../../validate/reservedKeys.ts';

const FUNCTION_CLOSE = '</function>';
const PARAMETER_OPEN = '<parameter=';
const PARAMETER_CLOSE = '</parameter>';

/** Consecutive `<function=…>` blocks from `from` (where one opens) up to `limit`. */
export function previewFunctionTags(text: string, from: number, limit: number, ctx: PreviewContext): Region {
  const calls: PreviewCall[] = [];
  let i = from;
  for (;;) {
    const close = text.indexOf(FUNCTION_CLOSE, i);
    if (close === -1 || close >= limit) {
      calls.push(partialBlock(text.slice(i, limit), ctx));
      return { end: limit, calls, open: true };
    }
    const end = close + FUNCTION_CLOSE.length;
    const spans: FoundSpan[] = [];
    readFunctionTags(text, i, end, ctx, spans);
    const item = spans[0]?.items[0];
    calls.push(
      item?.kind === 'call'
        ? { name: item.name, arguments: isObject(item.args) ? item.args : {}, complete: true }
        : { arguments: {}, complete: true },
    );
    i = end;
    while (i < limit && /\s/.test(text.charAt(i))) i += 1;
    if (!text.startsWith(FUNCTION_TAG_OPEN, i)) {
      // Only whitespace (or nothing yet) after the last block: more may come.
      return i >= limit ? { end: limit, calls, open: true } : { end, calls, open: false };
    }
  }
}

/** A block without its `</function>` yet. */
function partialBlock(block: string, ctx: PreviewContext): PreviewCall {
  const gt = block.indexOf('>');
  const name = gt === -1 ? undefined : block.slice(FUNCTION_TAG_OPEN.length, gt);
  if (name === undefined || !/^[A-Za-z_][\w.-]*$/.test(name)) return { arguments: {}, complete: false };
  const body = block.slice(gt + 1).replace(/^\s+/, '');
  if (body.startsWith('{')) {
    const span = scanBalanced(body, 0);
    return { name, arguments: partialObject(body.slice(0, span.end), span.closed), complete: false };
  }
  return { name, arguments: partialParameters(body, name, ctx), complete: false };
}

function partialParameters(body: string, name: string, ctx: PreviewContext): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  let i = 0;
  while (body.startsWith(PARAMETER_OPEN, i)) {
    const gt = body.indexOf('>', i + PARAMETER_OPEN.length);
    if (gt === -1) break; // the parameter's name is still being written
    const key = body.slice(i + PARAMETER_OPEN.length, gt).trim();
    const close = body.indexOf(PARAMETER_CLOSE, gt + 1);
    const type = ctx.parameterType(name, key);
    if (close === -1) {
      // Still streaming: text shows as far as it has come; other types wait for their closer.
      const isText = type === 'string' || (Array.isArray(type) && type.includes('string'));
      const soFar = body.slice(gt + 1).replace(/^\n/, '');
      // A `</parameter>` still arriving is not part of the value.
      const value = soFar.replace(/\n?<(?:\/(?:p(?:a(?:r(?:a(?:m(?:e(?:t(?:e(?:r)?)?)?)?)?)?)?)?)?)?$/, '');
      // Own keys only: a `__proto__` parameter is shown as a row, never set as the prototype.
      if (isText && value !== '') setOwnKey(args, key, value);
      break;
    }
    let value = body.slice(gt + 1, close);
    if (value.startsWith('\n')) value = value.slice(1);
    if (value.endsWith('\n')) value = value.slice(0, -1);
    setOwnKey(args, key, convertParameter(value, type));
    i = close + PARAMETER_CLOSE.length;
    while (i < body.length && /\s/.test(body.charAt(i))) i += 1;
  }
  return args;
}
