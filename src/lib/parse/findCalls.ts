/**
 * Splits model output into prose and call contexts, and scans each:
 *
 * - Every call context any format declares (formats/knownSyntax.ts: `<tool_call>…</tool_call>`,
 *   `<|python_tag|>…<|eom_id|>`, `[TOOL_CALLS]…</s>`, `<function=name>…</function>`…) holds calls:
 *   whatever it holds is meant as a call, so junk there is `malformed`, and the tags themselves never
 *   reach the prose. A missing closing tag (generation stopped) ends the context at the end of its
 *   last call. The shape inside is read by the first of the context's body kinds that recognises it
 *   (bodies/readBody.ts), JSON and pythonic being the fallback.
 * - Everything else is prose, where only things that look like calls are taken (scanRegion).
 */
import type { CallContextSyntax } from '../formats/formatSyntax.ts';
import { KNOWN_CALL_CONTEXTS } from '../formats/knownSyntax.ts';
import type { FoundSpan, ScanContext } from './candidate.ts';
import { readBody } from './bodies/readBody.ts';
import { FUNCTION_TAG_OPEN } from './bodies/functionTagBody.ts';
import { scanRegion } from './scanRegion.ts';
import { ScanMemo } from './scanMemo.ts';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Longest opening first (KNOWN_CALL_CONTEXTS is sorted so), so a tag never matches as a shorter one. */
const OPENINGS = new RegExp(KNOWN_CALL_CONTEXTS.map((c) => escape(c.open)).join('|'), 'g');
const BY_OPEN = new Map(KNOWN_CALL_CONTEXTS.map((c) => [c.open, c]));

export function findCalls(text: string, context: ScanContext): FoundSpan[] {
  const scan: ScanContext = { ...context, memo: new ScanMemo(text, context.names) };
  const spans: FoundSpan[] = [];
  let pos = 0;
  const openings = new RegExp(OPENINGS.source, 'g');
  for (let m = openings.exec(text); m !== null; m = openings.exec(text)) {
    const context = BY_OPEN.get(m[0]);
    if (m.index < pos || !context) continue;
    const prose = scanRegion(text, pos, m.index, text.length, scan, false, spans);
    if (prose.end > m.index) {
      // The tag was inside a call's JSON (a string value), not a real tag.
      pos = prose.end;
      openings.lastIndex = pos;
      continue;
    }
    pos = readContext(text, m.index, context, scan, spans);
    openings.lastIndex = pos;
  }
  scanRegion(text, pos, text.length, text.length, scan, false, spans);
  return spans.sort((a, b) => a.start - b.start);
}

/** Reads the context opening at `at`; returns where prose resumes. */
function readContext(
  text: string,
  at: number,
  context: CallContextSyntax,
  scan: ScanContext,
  spans: FoundSpan[],
): number {
  const contentStart = at + context.open.length;
  const closer = findCloser(text, contentStart, context.close);
  // A closer that is also an opening (Mistral v13 repeats `[TOOL_CALLS]` per call) starts the next context.
  const consumed =
    closer && BY_OPEN.has(text.slice(closer.at, closer.end)) ? { at: closer.at, end: closer.at } : closer;
  const contentEnd = consumed?.at ?? text.length;
  // `<function=` is both the opening and the start of its body.
  const bodyFrom = context.open === FUNCTION_TAG_OPEN ? at : contentStart;
  const first = spans.length;
  const found = readBody(context.bodies, text, bodyFrom, contentEnd, scan, spans);
  const content = text.slice(contentStart, contentEnd).trim();
  if (found === 0 && content !== '') {
    // An empty list is "no call" (SmolLM2 is told to write `<tool_call>[]</tool_call>` then), not junk.
    const noCall = /^\[\s*\]$/.test(content);
    spans.push({
      start: contentStart,
      end: contentEnd,
      items: noCall ? [] : [{ kind: 'malformed', message: 'Expected a function call here.', raw: content }],
    });
  }
  const lastEnd = spans.length > first ? Math.max(...spans.slice(first).map((s) => s.end)) : contentEnd;
  // The tags are removed from the prose even when the context held nothing.
  spans.push({ start: at, end: contentStart, items: [] });
  if (consumed && consumed.end > consumed.at) spans.push({ start: consumed.at, end: consumed.end, items: [] });
  return consumed ? Math.max(consumed.end, contentStart) : lastEnd;
}

/** The earliest of `closers` at or after `from`: where it starts and ends. */
export function findCloser(
  text: string,
  from: number,
  closers: readonly string[],
): { at: number; end: number } | undefined {
  let best: { at: number; end: number } | undefined;
  for (const closer of closers) {
    const at = text.indexOf(closer, from);
    if (at !== -1 && (best === undefined || at < best.at)) best = { at, end: at + closer.length };
  }
  return best;
}
