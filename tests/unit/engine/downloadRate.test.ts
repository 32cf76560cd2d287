import { describe, expect, it } from 'vitest';
import {
  MIN_SPAN_MS,
  nextRate,
  secondsLeft,
  speedText,
  timeLeftText,
  type DownloadRate,
  type RateSample,
} from '../../../src/engine/downloadRate.ts';
import { advanceProgress, type LoadProgressView } from '../../../src/engine/progress.ts';

const MB = 1e6;

function fold(samples: RateSample[]): DownloadRate | undefined {
  let rate: DownloadRate | undefined;
  for (const s of samples) rate = nextRate(rate, s);
  return rate;
}

/** Samples at a steady `mbPerS`, every `everyMs`, for `count` samples. */
function steady(mbPerS: number, everyMs: number, count: number, totalMB = 1000): RateSample[] {
  return Array.from({ length: count }, (_, i) => ({
    loadedBytes: (mbPerS * MB * i * everyMs) / 1000,
    totalBytes: totalMB * MB,
    atMs: i * everyMs,
  }));
}

describe('download speed and time left', () => {
  it('says "—" until the samples span a second, then gives the speed', () => {
    const early = fold(steady(10, 200, 5)); // spans 800 ms
    expect(early?.bytesPerSecond).toBeUndefined();
    expect(speedText(early)).toBe('—');
    expect(timeLeftText(early)).toBe('—');

    const enough = fold(steady(10, 200, 7)); // spans 1200 ms
    expect(enough?.bytesPerSecond).toBeCloseTo(10 * MB, -3);
    expect(speedText(enough)).toBe('10.0 MB/s');
  });

  it('estimates the time left from the bytes still to come', () => {
    // 10 MB/s for 10 s: 100 MB of 1000 MB, so 900 MB / 10 MB/s = 90 s left.
    const rate = fold(steady(10, 500, 21));
    expect(secondsLeft(rate)).toBeCloseTo(90, 0);
    expect(timeLeftText(rate)).toBe('about 1 min 30 s left');
  });

  it('smooths: one slow interval moves the estimate only part of the way', () => {
    const samples = steady(10, 500, 11);
    const last = samples.at(-1);
    if (!last) throw new Error('no samples');
    // Half a second with almost nothing arriving.
    const stalled = fold([...samples, { ...last, loadedBytes: last.loadedBytes + 0.1 * MB, atMs: last.atMs + 500 }]);
    const speed = stalled?.bytesPerSecond ?? 0;
    expect(speed).toBeLessThan(10 * MB);
    expect(speed).toBeGreaterThan(8 * MB);
  });

  it('follows a lasting change of speed', () => {
    const fast = steady(10, 500, 5);
    const end = fast.at(-1);
    if (!end) throw new Error('no samples');
    // Then 2 MB/s for 30 s.
    const slow = Array.from({ length: 60 }, (_, i) => ({
      loadedBytes: end.loadedBytes + 2 * MB * 0.5 * (i + 1),
      totalBytes: end.totalBytes,
      atMs: end.atMs + 500 * (i + 1),
    }));
    const rate = fold([...fast, ...slow]);
    expect((rate?.bytesPerSecond ?? 0) / MB).toBeCloseTo(2, 0);
  });

  it('starts again when the bytes go backwards (a new load)', () => {
    const before = fold(steady(10, 500, 10));
    const again = nextRate(before, { loadedBytes: 1 * MB, totalBytes: 1000 * MB, atMs: 100 });
    expect(again.bytesPerSecond).toBeUndefined();
    expect(again.first.loadedBytes).toBe(1 * MB);
  });

  it('has no time left without a total, and words small speeds and long waits', () => {
    const noTotal = fold(steady(10, 500, 5).map(({ loadedBytes, atMs }) => ({ loadedBytes, atMs })));
    expect(speedText(noTotal)).toBe('10.0 MB/s');
    expect(timeLeftText(noTotal)).toBe('—');
    const slow = fold(steady(0.05, 1000, 3, 2000));
    expect(speedText(slow)).toBe('50 kB/s');
    expect(timeLeftText(slow)).toMatch(/^about 11 h \d+ min left$/);
    expect(timeLeftText(fold(steady(100, 500, 20, 1000)))).toBe('less than 5 s left');
    expect(MIN_SPAN_MS).toBe(1000);
  });
});

describe('the load view carries the rate while fetching', () => {
  const fetch = (mb: number, ms: number) => ({
    fraction: mb / 400,
    text: `Fetching param cache: ${mb}MB fetched.`,
    loadedBytes: mb * MB,
    totalBytes: 400 * MB,
    elapsedMs: ms,
    phase: 'fetch' as const,
  });

  it('folds fetch reports into a speed, and drops it for the GPU step', () => {
    let view: LoadProgressView | null = null;
    for (let i = 0; i <= 6; i++) view = advanceProgress(view, fetch(20 * i, 400 * i));
    expect(speedText(view?.rate)).toBe('50.0 MB/s');
    view = advanceProgress(view, {
      fraction: 0.1,
      text: 'Loading GPU shader modules[1/4]',
      elapsedMs: 3000,
      phase: 'shader',
    });
    expect(view.rate).toBeUndefined();
  });

  it('gives no speed when the weights come from the browser cache', () => {
    let view: LoadProgressView | null = null;
    for (let i = 0; i <= 6; i++) view = advanceProgress(view, { ...fetch(20 * i, 400 * i), phase: 'cache' });
    expect(view?.rate).toBeUndefined();
  });
});
