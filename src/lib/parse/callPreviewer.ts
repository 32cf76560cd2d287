/**
 * The live call preview of a streaming answer, kept up to date delta by delta: `update(text)` gives
 * exactly what previewStreamingCalls(text, functions, answerPrefix) gives, but reads only what is
 * new, plus the region still open (the call being written, a held-back fragment, a tag context
 * waiting for its closing tag). previewStreamingCalls re-reads the whole answer on every delta, so a
 * stream cost O(n²); here the reasoning split, the candidates already decided and the Markdown fences
 * already counted are remembered.
 *
 * One exception to "exactly": a region open for `rereadMin` characters or more is read again only
 * when it may have ended or has grown by a sixteenth (previewCalls.ts, readIncrementally); in between,
 * the preview is the one of the text when that region was last read.
 *
 * Each `text` must extend the previous one (a stream only grows); another text starts afresh.
 */
import type { FunctionSpec } from '../types/functionSpec.ts';
import { KNOWN_REASONING } from '../formats/knownSyntax.ts';
import { contextOf, newRun, previewAnswer, REREAD_MIN, type PreviewRun } from './previewCalls.ts';
import type { CallPreview, PreviewContext } from './previewTypes.ts';
import { StreamingReasoning } from './streamingReasoning.ts';
import { extendsText } from '../text/extendsText.ts';

const FENCE = '```';

export class CallPreviewer {
  private readonly ctx: PreviewContext;
  private readonly rereadMin: number;
  private reasoning = new StreamingReasoning(KNOWN_REASONING);
  private run: PreviewRun;
  private fences = new FenceIndex();
  private last = '';

  /** `rereadMin`: from what length a region still open is read again only now and then (previewCalls.ts, readIncrementally). */
  constructor(
    functions: FunctionSpec[],
    private readonly answerPrefix = '',
    { rereadMin = REREAD_MIN }: { rereadMin?: number } = {},
  ) {
    this.ctx = contextOf(Array.isArray(functions) ? functions : []);
    this.rereadMin = rereadMin;
    this.run = newRun(true, rereadMin);
  }

  update(partialText: string): CallPreview {
    const text = this.answerPrefix + (typeof partialText === 'string' ? partialText : '');
    try {
      if (!extendsText(text, this.last)) this.restart();
      this.last = text;
      const split = this.reasoning.update(text);
      if (split.reset) {
        this.run = newRun(true, this.rereadMin);
        this.fences = new FenceIndex();
      }
      const result = previewAnswer(split.answer, this.ctx, this.run, (t, end) => this.fences.count(t, end));
      return split.hasReasoning ? { ...result, reasoning: split.reasoning, thinking: split.thinking } : result;
    } catch {
      this.restart();
      return { prose: text, calls: [] }; // as previewStreamingCalls: a preview bug must not break the chat
    }
  }

  private restart(): void {
    this.reasoning = new StreamingReasoning(KNOWN_REASONING);
    this.run = newRun(true, this.rereadMin);
    this.fences = new FenceIndex();
    this.last = '';
  }
}

/**
 * countFences (``` fences before a position, counted left to right without overlapping) for a text
 * that only grows: the fences found so far are kept, and the search resumes where it stopped.
 */
class FenceIndex {
  private readonly at: number[] = [];
  private next = 0;

  count(text: string, end: number): number {
    while (this.next < end) {
      const i = text.indexOf(FENCE, this.next);
      if (i === -1) {
        // A fence cut in two at the end may still complete.
        this.next = Math.max(this.next, text.length - FENCE.length + 1);
        break;
      }
      this.at.push(i);
      this.next = i + FENCE.length;
    }
    let lo = 0;
    let hi = this.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.at[mid] ?? 0) < end) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
