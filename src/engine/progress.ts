/**
 * Turns web-llm's init-progress reports into our LoadProgress.
 *
 * web-llm (0.2.86, tvmjs fetchTensorCacheInternal / asyncLoadWebGPUPipelines) reports text such as:
 *   "Start to fetch params"
 *   "Fetching param cache[3/108]: 412MB fetched. 12% completed, 30 secs elapsed. It can take…"
 *   "Loading model from cache[3/108]: 412MB loaded. 12% completed, 3 secs elapsed."
 *   "Loading GPU shader modules[12/80]: 15% completed, 2 secs elapsed."
 *   "Finish loading on WebGPU - google"
 * Its `progress` is fetchedBytes / totalBytes during the weight phases, so the total can be recovered
 * from the megabytes in the text. The MB figure is rounded up by web-llm, so bytes are approximate.
 */
import type { LoadPhase, LoadProgress } from './engine.ts';

const MIB = 1024 * 1024;

export interface WebLlmProgressReport {
  progress: number;
  timeElapsed: number;
  text: string;
}

export function phaseOf(text: string): LoadPhase {
  if (/^Fetching param cache/i.test(text)) return 'fetch';
  if (/^Loading model from cache/i.test(text)) return 'cache';
  if (/^Loading GPU shader/i.test(text)) return 'shader';
  if (/^Start to fetch/i.test(text)) return 'start';
  if (/^Finish loading/i.test(text)) return 'done';
  return 'other';
}

/**
 * @param elapsedMs time since our load request started (web-llm's own timeElapsed restarts per phase).
 */
export function parseProgress(report: WebLlmProgressReport, elapsedMs: number): LoadProgress {
  const fraction = Number.isFinite(report.progress) ? Math.min(1, Math.max(0, report.progress)) : 0;
  const phase = phaseOf(report.text);
  const out: LoadProgress = { fraction, text: report.text, elapsedMs, phase };
  const mb = /(\d+(?:\.\d+)?)\s*MB (?:fetched|loaded)/i.exec(report.text);
  if (mb?.[1] && (phase === 'fetch' || phase === 'cache')) {
    const loadedBytes = Math.round(Number(mb[1]) * MIB);
    out.loadedBytes = loadedBytes;
    if (fraction > 0) out.totalBytes = Math.round(loadedBytes / fraction);
  }
  return out;
}
