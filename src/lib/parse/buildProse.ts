/**
 * The prose of an answer: the output with every call span cut out. A Markdown fence that held only
 * calls goes with them, and the text on both sides of a cut is joined by a blank line (if the cut
 * spanned lines) or a space (if it was inside a sentence).
 *
 * The gaps between spans are joined left to right, keeping the joined text without its trailing
 * whitespace and only whether that whitespace held a line break: trimming the whole text at every
 * gap would read it again per span. ProseBuilder does the same for a streaming answer, keeping the
 * join of the gaps that can no longer change, so each update reads only the spans still open.
 */
import type { FoundSpan } from './candidate.ts';

const FENCE_OPEN_BEFORE = /```[\w.+-]*[ \t]*$/;

/** How many ``` fences start before `end` (counted left to right, never overlapping). */
type FenceCount = (text: string, end: number) => number;

/** The gaps joined so far: the text without trailing whitespace, and whether that whitespace had a line break. */
interface Joined {
  body: string;
  newline: boolean;
}

const EMPTY: Joined = { body: '', newline: false };

export function buildProse(text: string, spans: readonly FoundSpan[], fences: FenceCount = countFences): string {
  if (spans.length === 0) return text.trim();
  let joined = EMPTY;
  let pos = 0;
  for (const merged of mergeSpans(text, spans)) {
    const [from, to] = widenToFence(text, merged.start, merged.end, fences);
    joined = join(joined, text.slice(pos, Math.max(pos, from)));
    pos = Math.max(pos, to);
  }
  return join(joined, text.slice(pos)).body;
}

/**
 * buildProse for a text that only grows and whose spans are found left to right (the live call
 * preview): `build` gives what buildProse gives, but the gaps before a settled span are joined once.
 */
export class ProseBuilder {
  private joined = EMPTY;
  private pos = 0;
  /** How many of the spans lie behind `pos` (their gaps are in `joined`) or in `pending`. */
  private done = 0;
  /** Settled spans merged so far that a later span may still extend (calls separated only by whitespace). */
  private pending: Merged | undefined;

  /**
   * @param spans every span so far, in the order found; the first `stableSpans` can no longer change
   * @param settled no span yet to be found or changed starts before this position
   */
  build(text: string, spans: readonly FoundSpan[], stableSpans: number, settled: number, fences: FenceCount): string {
    // Spans found later start after the settled ones (they are found from the stable position on);
    // should one not, the whole text is joined again.
    const after = this.pending?.start ?? this.pos;
    if (spans.slice(this.done).some((span) => span.start < after)) return buildProse(text, spans, fences);
    this.settle(text, spans.slice(this.done, stableSpans), settled, fences);
    const rest = spans.slice(this.done);
    let joined = this.joined;
    let pos = this.pos;
    for (const merged of mergeSpans(text, rest, this.pending && { ...this.pending, count: 0 })) {
      const [from, to] = widenToFence(text, merged.start, merged.end, fences);
      joined = join(joined, text.slice(pos, Math.max(pos, from)));
      pos = Math.max(pos, to);
    }
    return join(joined, text.slice(pos)).body;
  }

  /** Joins the gaps before the stable spans that are settled; the first that is not is kept as `pending`. */
  private settle(text: string, stable: readonly FoundSpan[], settled: number, fences: FenceCount): void {
    if (stable.length === 0) return;
    for (const merged of mergeSpans(text, stable, this.pending && { ...this.pending, count: 0 })) {
      this.done += merged.count;
      // Settled: prose it cannot merge with follows it, far enough from the open end that no fence
      // or span still to come can reach back over it.
      if (skipSpace(text, merged.end) + 3 >= settled) {
        this.pending = { start: merged.start, end: merged.end, count: 0 };
        return;
      }
      const [from, to] = widenToFence(text, merged.start, merged.end, fences);
      this.joined = join(this.joined, text.slice(this.pos, Math.max(this.pos, from)));
      this.pos = Math.max(this.pos, to);
      this.pending = undefined;
    }
  }
}

function join(acc: Joined, gap: string): Joined {
  const right = gap.trimStart();
  if (right === '') return acc.body === '' ? acc : { body: acc.body, newline: acc.newline || gap.includes('\n') };
  const body = right.trimEnd();
  const newline = right.slice(body.length).includes('\n');
  if (acc.body === '') return { body, newline };
  const lineBreak = acc.newline || gap.slice(0, gap.length - right.length).includes('\n');
  return { body: acc.body + (lineBreak ? '\n\n' : ' ') + body, newline };
}

interface Merged {
  start: number;
  end: number;
  /** How many of the spans given were merged into it. */
  count: number;
}

/**
 * Spans sorted, overlapping or whitespace-separated ones merged (several calls in one fence).
 * @param first spans merged before these, which they may extend
 */
function mergeSpans(text: string, spans: readonly FoundSpan[], first?: Merged): Merged[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: Merged[] = first ? [first] : [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && (span.start <= last.end || text.slice(last.end, span.start).trim() === '')) {
      last.end = Math.max(last.end, span.end);
      last.count += 1;
    } else {
      merged.push({ start: span.start, end: span.end, count: 1 });
    }
  }
  return merged;
}

function widenToFence(text: string, start: number, end: number, fences: FenceCount): [number, number] {
  let before = start;
  while (before > 0 && /\s/.test(text.charAt(before - 1))) before -= 1;
  const open = FENCE_OPEN_BEFORE.exec(text.slice(Math.max(0, before - 40), before));
  if (!open) return [start, end];
  const fenceStart = before - open[0].length;
  // An even number of fences before it means this one opens a block (it is not a closing fence).
  if (fences(text, fenceStart) % 2 !== 0) return [start, end];
  const after = skipSpace(text, end);
  if (text.startsWith('```', after)) return [fenceStart, after + 3];
  if (after === text.length) return [fenceStart, after]; // fence left open at the end
  return [start, end];
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text.charAt(i))) i += 1;
  return i;
}

function countFences(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('```'); i !== -1 && i < end; i = text.indexOf('```', i + 3)) count += 1;
  return count;
}
