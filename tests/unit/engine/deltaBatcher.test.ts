import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DELTA_INTERVAL_MS, DeltaBatcher } from '../../../src/engine/deltaBatcher.ts';

describe('DeltaBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function batcher() {
    const sent: string[] = [];
    const b = new DeltaBatcher({ now: () => Date.now(), send: (d) => sent.push(d) });
    return { b, sent };
  }

  it('sends the first piece at once', () => {
    const { b, sent } = batcher();
    b.push('Hello');
    expect(sent).toEqual(['Hello']);
  });

  it('joins the pieces of one frame and sends them when the frame is over', () => {
    const { b, sent } = batcher();
    b.push('Hello');
    for (const w of [' there', ',', ' friend']) {
      vi.advanceTimersByTime(2);
      b.push(w);
    }
    expect(sent).toEqual(['Hello']);
    vi.advanceTimersByTime(DELTA_INTERVAL_MS);
    expect(sent).toEqual(['Hello', ' there, friend']);
  });

  it('sends a waiting piece when its frame is over even if no piece follows (a stalled model)', () => {
    const { b, sent } = batcher();
    b.push('a');
    vi.advanceTimersByTime(1);
    b.push('b');
    vi.advanceTimersByTime(DELTA_INTERVAL_MS - 1);
    expect(sent).toEqual(['a', 'b']);
  });

  it('holds nothing back from a model slower than a frame per token', () => {
    const { b, sent } = batcher();
    const words = ['one', ' two', ' three', ' four'];
    for (const w of words) {
      b.push(w);
      expect(sent.at(-1)).toBe(w);
      vi.advanceTimersByTime(DELTA_INTERVAL_MS + 4);
    }
    expect(sent).toEqual(words);
  });

  it('at 1,000 pieces a second, sends about one message a frame and every character once', () => {
    const { b, sent } = batcher();
    const words = Array.from({ length: 1000 }, (_, i) => ` w${i}`);
    for (const w of words) {
      b.push(w);
      vi.advanceTimersByTime(1);
    }
    b.flush();
    expect(sent.join('')).toBe(words.join(''));
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(1000 / DELTA_INTERVAL_MS) + 1);
  });

  it('flush sends what waits at once, and its timer then sends nothing twice', () => {
    const { b, sent } = batcher();
    b.push('a');
    b.push('b');
    b.flush();
    expect(sent).toEqual(['a', 'b']);
    vi.advanceTimersByTime(DELTA_INTERVAL_MS * 2);
    b.flush();
    expect(sent).toEqual(['a', 'b']);
  });
});
