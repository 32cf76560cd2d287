/**
 * splitReasoning(text, markers, { partial: true }) for a text that grows, reading each character a
 * bounded number of times: the markers are searched for only in what is new (plus a marker's length
 * back, for one cut in two), and finished reasoning blocks are kept joined. The same answers as
 * splitReasoning, including its first case: a closing marker before any opening one makes all the
 * text before it reasoning (the prompt opened the block), which `reset` reports.
 */
import type { ReasoningMarkers } from '../formats/formatSyntax.ts';
import type { SplitAnswer } from '../text/splitReasoning.ts';

interface Found {
  at: number;
  markers: ReasoningMarkers;
}

export class StreamingReasoning {
  /** 'start' until the first marker decides whether the text began inside reasoning. */
  private phase: 'start' | 'answer' | 'reasoning' = 'start';
  private text = '';
  /** Answer: the text outside blocks before `pos`, then text from `pos`. */
  private answerHead = '';
  private pos = 0;
  /** The block being read: its markers and where its body starts. */
  private block: Found | undefined;
  private bodyStart = 0;
  private done = '';
  private seen = false;
  private readonly longestOpen: number;
  private readonly longestClose: number;

  constructor(private readonly markers: readonly ReasoningMarkers[]) {
    this.longestOpen = Math.max(0, ...markers.map((m) => m.open.length));
    this.longestClose = Math.max(0, ...markers.map((m) => m.close.length));
  }

  /**
   * The split of `text`, which extends the text of the previous call. `reset` is true when text the
   * previous answer held became reasoning (so the answer does not extend the previous one).
   */
  update(text: string): SplitAnswer & { reset: boolean } {
    const oldLength = this.text.length;
    this.text = text;
    let reset = false;
    if (this.markers.length === 0) return { reasoning: '', answer: text, thinking: false, hasReasoning: false, reset };
    if (this.phase === 'start') {
      const from = Math.max(0, oldLength - Math.max(this.longestOpen, this.longestClose) + 1);
      const close = this.earliest(from, 'close');
      const open = this.earliest(from, 'open');
      if (close && (!open || close.at < open.at)) {
        this.finishBlock(text.slice(0, close.at));
        this.pos = close.at + close.markers.close.length;
        this.phase = 'answer';
        reset = true;
      } else if (open) {
        this.phase = 'answer';
      }
    }
    let searchFrom = Math.max(0, oldLength - this.longestOpen + 1);
    let closeFrom = Math.max(0, oldLength - this.longestClose + 1);
    for (;;) {
      if (this.phase === 'reasoning' && this.block) {
        const close = text.indexOf(this.block.markers.close, Math.max(this.bodyStart, closeFrom));
        if (close === -1) break;
        this.finishBlock(text.slice(this.bodyStart, close));
        this.pos = close + this.block.markers.close.length;
        this.block = undefined;
        this.phase = 'answer';
        searchFrom = this.pos;
      }
      if (this.phase !== 'answer') break;
      const open = this.earliest(Math.max(this.pos, searchFrom), 'open');
      if (!open) break;
      this.seen = true;
      this.answerHead += text.slice(this.pos, open.at);
      this.block = open;
      this.bodyStart = open.at + open.markers.open.length;
      this.phase = 'reasoning';
      closeFrom = this.bodyStart;
    }
    return this.result(reset);
  }

  private result(reset: boolean): SplitAnswer & { reset: boolean } {
    const thinking = this.phase === 'reasoning';
    let answer = thinking ? this.answerHead : this.answerHead + this.text.slice(this.pos);
    if (!thinking) answer = answer.slice(0, answer.length - this.partialTail(answer));
    const open = thinking ? this.text.slice(this.bodyStart).trim() : '';
    const reasoning = this.done === '' ? open : open === '' ? this.done : `${this.done}\n\n${open}`;
    return { reasoning, answer, thinking, hasReasoning: this.seen, reset };
  }

  private finishBlock(body: string): void {
    this.seen = true;
    const trimmed = body.trim();
    if (trimmed !== '') this.done = this.done === '' ? trimmed : `${this.done}\n\n${trimmed}`;
  }

  private earliest(from: number, which: 'open' | 'close'): Found | undefined {
    let best: Found | undefined;
    for (const m of this.markers) {
      const at = this.text.indexOf(m[which], from);
      if (at !== -1 && (best === undefined || at < best.at)) best = { at, markers: m };
    }
    return best;
  }

  /** As splitReasoning: the longest tail of the answer that is a proper prefix of an opening marker. */
  private partialTail(answer: string): number {
    let longest = 0;
    for (const { open } of this.markers) {
      for (let n = Math.min(open.length - 1, answer.length); n > longest; n--) {
        if (answer.endsWith(open.slice(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest;
  }
}
