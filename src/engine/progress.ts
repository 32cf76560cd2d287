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
import { nextRate, type DownloadRate } from './downloadRate.ts';

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

/** The two steps a user sees: getting the weights (network or browser cache), then preparing the GPU. */
export type LoadStep = 'download' | 'gpu';

/** What the app and the widget show: web-llm's report plus one fraction that never goes backwards. */
export interface LoadProgressView extends LoadProgress {
  step: LoadStep;
  /** 0..1 over the whole load; web-llm's own `fraction` restarts at 0 when shader compilation starts. */
  overall: number;
  /** Download speed and time left while weights come over the network (downloadRate.ts). */
  rate?: DownloadRate;
}

/**
 * The share of the one bar the weights take; compiling the GPU shaders takes the rest. The weights
 * dominate a first load (about 1 GB over the network); shaders take a few seconds.
 */
export const DOWNLOAD_SHARE = 0.85;

export const STEP_LABELS: Record<LoadStep, string> = {
  download: 'Step 1 of 2: downloading the model',
  gpu: 'Step 2 of 2: preparing the GPU',
};

/** The step label, saying "reading from the browser cache" instead of "downloading" when it does. */
export function stepLabel(view: Pick<LoadProgressView, 'step' | 'phase'>): string {
  if (view.step === 'download' && view.phase === 'cache')
    return 'Step 1 of 2: reading the model from the browser cache';
  return STEP_LABELS[view.step];
}

/**
 * Folds the next report into the view: the overall fraction is the weights' share scaled by their
 * fraction, then the shader share, and is never below the previous one (a report of an unknown phase,
 * or a late one from an earlier phase, keeps the bar where it was). `prev` is null for a new load.
 */
export function advanceProgress(prev: LoadProgressView | null, next: LoadProgress): LoadProgressView {
  const prevOverall = prev?.overall ?? 0;
  const prevStep = prev?.step ?? 'download';
  let step: LoadStep = prevStep;
  let overall = prevOverall;
  switch (next.phase) {
    case 'fetch':
    case 'cache':
      step = 'download';
      overall = next.fraction * DOWNLOAD_SHARE;
      break;
    case 'shader':
      step = 'gpu';
      overall = DOWNLOAD_SHARE + next.fraction * (1 - DOWNLOAD_SHARE);
      break;
    case 'done':
      step = 'gpu';
      overall = 1;
      break;
    default:
      break;
  }
  // Once the GPU step has begun, the download does not come back (a late report is ignored).
  if (prevStep === 'gpu') step = 'gpu';
  const view: LoadProgressView = { ...next, step, overall: Math.min(1, Math.max(prevOverall, overall)) };
  // Only a network fetch has a speed worth showing; reading the browser cache or compiling has none.
  if (next.phase === 'fetch' && next.loadedBytes !== undefined && step === 'download') {
    view.rate = nextRate(prev?.rate, {
      loadedBytes: next.loadedBytes,
      atMs: next.elapsedMs,
      ...(next.totalBytes !== undefined ? { totalBytes: next.totalBytes } : {}),
    });
  }
  return view;
}
