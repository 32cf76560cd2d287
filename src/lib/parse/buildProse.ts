/**
 * The prose of an answer: the output with every call span cut out. A Markdown fence that held only
 * calls goes with them, and the text on both sides of a cut is joined by a blank line (if the cut
 * spanned lines) or a space (if it was inside a sentence).
 */
import type { FoundSpan } from './candidate.ts';

const FENCE_OPEN_BEFORE = /```[\w.+-]*[ \t]*$/;

export function buildProse(text: string, spans: readonly FoundSpan[]): string {
  if (spans.length === 0) return text.trim();
  const gaps: string[] = [];
  let pos = 0;
  for (const [start, end] of mergeSpans(text, spans)) {
    const [from, to] = widenToFence(text, start, end);
    gaps.push(text.slice(pos, Math.max(pos, from)));
    pos = Math.max(pos, to);
  }
  gaps.push(text.slice(pos));
  let out = '';
  for (const gap of gaps) {
    const left = out.trimEnd();
    const right = gap.trimStart();
    const whitespace = out.slice(left.length) + gap.slice(0, gap.length - right.length);
    if (left === '') out = right;
    else if (right === '')
      out = left + whitespace; // kept, so the next join still sees the line break
    else out = left + (whitespace.includes('\n') ? '\n\n' : ' ') + right;
  }
  return out.trim();
}

/** Spans sorted, overlapping or whitespace-separated ones merged (several calls in one fence). */
function mergeSpans(text: string, spans: readonly FoundSpan[]): [number, number][] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: [number, number][] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && (span.start <= last[1] || text.slice(last[1], span.start).trim() === '')) {
      last[1] = Math.max(last[1], span.end);
    } else {
      merged.push([span.start, span.end]);
    }
  }
  return merged;
}

function widenToFence(text: string, start: number, end: number): [number, number] {
  let before = start;
  while (before > 0 && /\s/.test(text.charAt(before - 1))) before -= 1;
  const open = FENCE_OPEN_BEFORE.exec(text.slice(Math.max(0, before - 40), before));
  if (!open) return [start, end];
  const fenceStart = before - open[0].length;
  // An even number of fences before it means this one opens a block (it is not a closing fence).
  if (countFences(text, fenceStart) % 2 !== 0) return [start, end];
  let after = end;
  while (after < text.length && /\s/.test(text.charAt(after))) after += 1;
  if (text.startsWith('```', after)) return [fenceStart, after + 3];
  if (after === text.length) return [fenceStart, after]; // fence left open at the end
  return [start, end];
}

function countFences(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('```'); i !== -1 && i < end; i = text.indexOf('```', i + 3)) count += 1;
  return count;
}
