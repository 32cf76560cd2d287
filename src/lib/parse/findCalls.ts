/**
 * Splits model output into prose and call contexts, and scans each:
 *
 * - `<tool_call>…</tool_call>` (Hermes, Qwen), `<|python_tag|>…<|eom_id|>` (Llama 3.1),
 *   `[TOOL_CALLS] […]` (Mistral) and `<function=name>{…}</function>` (Llama 3.1 custom tools) are
 *   call contexts: whatever they hold is meant as a call, so junk there is `malformed`, and the tags
 *   themselves never reach the prose. A missing closing tag (generation stopped) ends the context at
 *   the end of its last call.
 * - Everything else is prose, where only things that look like calls are taken (scanRegion).
 */
import type { FoundSpan, ScanContext } from './candidate.ts';
import { parseLooseJson } from './repairJson.ts';
import { isObject } from './normalizeCall.ts';
import { scanRegion } from './scanRegion.ts';

const TAG = /<tool_call>|<\|python_tag\|>|\[TOOL_CALLS\]|<function=([A-Za-z_][\w.-]*)>/g;
const CLOSERS: Record<string, readonly string[]> = {
  '<tool_call>': ['</tool_call>'],
  '<|python_tag|>': ['<|eom_id|>', '<|eot_id|>'],
  '[TOOL_CALLS]': ['</s>'],
};

export function findCalls(text: string, scan: ScanContext): FoundSpan[] {
  const spans: FoundSpan[] = [];
  let pos = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(text); m !== null; m = TAG.exec(text)) {
    if (m.index < pos) continue;
    const prose = scanRegion(text, pos, m.index, text.length, scan, false, spans);
    if (prose.end > m.index) {
      // The tag was inside a call's JSON (a string value), not a real tag.
      pos = prose.end;
      TAG.lastIndex = pos;
      continue;
    }
    const contentStart = m.index + m[0].length;
    const closer = m[1] === undefined ? findCloser(text, contentStart, CLOSERS[m[0]] ?? []) : findCloser(text, contentStart, ['</function>']);
    const contentEnd = closer?.at ?? text.length;
    let end: number;
    if (m[1] !== undefined) {
      end = closer?.end ?? text.length;
      spans.push(functionTagSpan(text, m.index, contentStart, contentEnd, end, m[1]));
    } else {
      const first = spans.length;
      const { found } = scanRegion(text, contentStart, contentEnd, contentEnd, scan, true, spans);
      const content = text.slice(contentStart, contentEnd).trim();
      if (found === 0 && content !== '') {
        spans.push({ start: contentStart, end: contentEnd, items: [{ kind: 'malformed', message: 'Expected a function call here.', raw: content }] });
      }
      const lastEnd = spans.length > first ? (spans[spans.length - 1]?.end ?? contentEnd) : contentEnd;
      end = closer?.end ?? lastEnd;
      // The tags are removed from the prose even when the context held nothing.
      spans.push({ start: m.index, end: contentStart, items: [] });
      if (closer) spans.push({ start: closer.at, end: closer.end, items: [] });
    }
    pos = end;
    TAG.lastIndex = end;
  }
  scanRegion(text, pos, text.length, text.length, scan, false, spans);
  return spans.sort((a, b) => a.start - b.start);
}

/** The earliest of `closers` at or after `from`: where it starts and ends. */
export function findCloser(text: string, from: number, closers: readonly string[]): { at: number; end: number } | undefined {
  let best: { at: number; end: number } | undefined;
  for (const closer of closers) {
    const at = text.indexOf(closer, from);
    if (at !== -1 && (best === undefined || at < best.at)) best = { at, end: at + closer.length };
  }
  return best;
}

/** `<function=name>{"arg": 1}</function>`: the tag names the function, the body holds the arguments. */
function functionTagSpan(text: string, start: number, contentStart: number, contentEnd: number, end: number, name: string): FoundSpan {
  const body = text.slice(contentStart, contentEnd).trim();
  const raw = text.slice(start, end);
  if (body === '') return { start, end, items: [{ kind: 'call', name, args: {}, raw }] };
  const parsed = parseLooseJson(body);
  if (parsed.ok && isObject(parsed.value)) return { start, end, items: [{ kind: 'call', name, args: parsed.value, raw }] };
  return { start, end, items: [{ kind: 'malformed', name, message: `The arguments of ${name} are not a JSON object.`, raw }] };
}
