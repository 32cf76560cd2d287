/**
 * A Gemma 4 call still being written (`<|tool_call>call:get_weather{city:<|"|>Par`), for the live call
 * preview: the card gets its name once `{` has arrived after it (before that the name may still
 * grow), then its arguments as they stream — strings as far as they have come, numbers, literals,
 * lists and objects once they are finished (a number may still grow: `1` → `12`). A call whose
 * `<tool_call|>` has arrived is read by the parser's own reader (gemmaBody.ts), so the card ends on
 * the exact arguments.
 */
import type { FoundSpan } from '../candidate.ts';
import { isObject } from '../normalizeCall.ts';
import type { PreviewCall, PreviewContext } from '../previewTypes.ts';
import { GemmaValueReader, readGemmaCalls } from './gemmaBody.ts';

/** The calls of one `<|tool_call>` context whose content spans `from`…`limit`; `closed`: its closer has arrived. */
export function previewGemmaCalls(
  text: string,
  from: number,
  limit: number,
  closed: boolean,
  ctx: PreviewContext,
): PreviewCall[] {
  if (closed) {
    const spans: FoundSpan[] = [];
    readGemmaCalls(text, from, limit, ctx, spans);
    return spans.flatMap((s) =>
      s.items.map((item): PreviewCall =>
        item.kind === 'call'
          ? { name: item.name, arguments: isObject(item.args) ? item.args : {}, complete: true }
          : { arguments: {}, complete: true },
      ),
    );
  }
  const reader = new GemmaValueReader(text, from, limit, true);
  const name = reader.readName();
  // The name is whole once something follows it; before that it may still grow (`get_wea`).
  if (name === undefined || reader.atEnd() || text.charAt(reader.pos) !== '{')
    return [{ arguments: {}, complete: false }];
  try {
    const read = reader.object();
    return [{ name, arguments: isObject(read.value) ? read.value : {}, complete: false }];
  } catch {
    return [{ name, arguments: {}, complete: false }]; // malformed so far: the parser will say so at the end
  }
}
