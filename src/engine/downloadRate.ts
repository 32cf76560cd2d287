/**
 * Download speed and time left, from the bytes a load reports over time. Pure: the app and the widget
 * fold each progress report in (progress.ts advanceProgress), and unit tests feed made-up samples.
 *
 * - Smoothed: each new interval's speed moves the estimate by a share that grows with the interval's
 *   length (an exponential moving average over time, SMOOTHING_MS), so one fast or slow shard does not
 *   make the figures jump, and reports that come in bursts weigh what they cover.
 * - Honest at the start: no figure until the samples span MIN_SPAN_MS (web-llm reports once per
 *   shard, and the first one also carries the connection's set-up time); the view says "—" meanwhile.
 * - Bytes that go backwards (a new load, a late report) start the estimate again.
 */

/** How long the samples must span before a speed is shown. */
export const MIN_SPAN_MS = 1000;
/** The time constant of the moving average: older intervals fade with it. */
export const SMOOTHING_MS = 5000;

export interface RateSample {
  loadedBytes: number;
  totalBytes?: number;
  /** When the sample was taken, ms (any clock, as long as it is the same for every sample). */
  atMs: number;
}

export interface DownloadRate {
  first: RateSample;
  last: RateSample;
  /** Smoothed bytes per second; undefined until the samples span MIN_SPAN_MS. */
  bytesPerSecond?: number;
}

/** Folds one sample into the estimate (`prev` null or undefined for the first). */
export function nextRate(prev: DownloadRate | null | undefined, sample: RateSample): DownloadRate {
  if (!prev || sample.loadedBytes < prev.last.loadedBytes || sample.atMs < prev.last.atMs) {
    return { first: sample, last: sample };
  }
  const dt = sample.atMs - prev.last.atMs;
  // Two reports in the same millisecond: the next interval counts these bytes.
  if (dt <= 0) return prev;
  const span = sample.atMs - prev.first.atMs;
  if (span < MIN_SPAN_MS) return { first: prev.first, last: sample };
  const interval = ((sample.loadedBytes - prev.last.loadedBytes) / dt) * 1000;
  // The first estimate is the average over everything seen so far; later ones move towards each interval.
  const bytesPerSecond =
    prev.bytesPerSecond === undefined
      ? ((sample.loadedBytes - prev.first.loadedBytes) / span) * 1000
      : prev.bytesPerSecond + (1 - Math.exp(-dt / SMOOTHING_MS)) * (interval - prev.bytesPerSecond);
  return { first: prev.first, last: sample, bytesPerSecond };
}

/** Seconds until the download ends at the estimated speed; undefined when unknown. */
export function secondsLeft(rate: DownloadRate | undefined): number | undefined {
  const total = rate?.last.totalBytes;
  const speed = rate?.bytesPerSecond;
  if (!rate || total === undefined || speed === undefined || speed <= 0) return undefined;
  return Math.max(0, (total - rate.last.loadedBytes) / speed);
}

/** "12.3 MB/s", or "—" while there is not enough data. */
export function speedText(rate: DownloadRate | undefined): string {
  const speed = rate?.bytesPerSecond;
  if (speed === undefined || !Number.isFinite(speed)) return '—';
  const mb = speed / 1e6;
  if (mb >= 1) return `${mb.toFixed(mb >= 100 ? 0 : 1)} MB/s`;
  return `${Math.max(1, Math.round(speed / 1e3))} kB/s`;
}

/** "about 2 min 10 s left", "less than 5 s left", or "—". Rounded so it does not flicker. */
export function timeLeftText(rate: DownloadRate | undefined): string {
  const s = secondsLeft(rate);
  if (s === undefined || !Number.isFinite(s)) return '—';
  if (s < 5) return 'less than 5 s left';
  if (s < 60) return `about ${Math.round(s / 5) * 5} s left`;
  if (s < 3600) {
    const minutes = Math.floor(s / 60);
    const seconds = Math.round((s - minutes * 60) / 10) * 10;
    return seconds === 0 || seconds === 60
      ? `about ${minutes + (seconds === 60 ? 1 : 0)} min left`
      : `about ${minutes} min ${seconds} s left`;
  }
  const hours = Math.floor(s / 3600);
  return `about ${hours} h ${Math.round((s - hours * 3600) / 60)} min left`;
}
