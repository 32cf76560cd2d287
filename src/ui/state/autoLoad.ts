/**
 * Whether the app should load the last-used model by itself when it starts.
 *
 * Only a model already in the browser cache is loaded without a click: that is what makes an offline
 * start work, and it costs no download. A first visit, or a model whose files are gone, waits for the
 * user, because downloads are large (hundreds of MB to GB). The rule is a pure function so every
 * reason not to load is unit-tested; EngineState gathers the inputs and acts on the answer.
 */
import { modelIdOf, type Engine, type ModelSource } from '../../engine/engine.ts';
import type { GpuCapabilities } from '../../engine/catalog.ts';
import type { GpuStatus } from '../../engine/gpu.ts';

/** Why the start-up did not load the last model. */
export type AutoLoadSkipReason =
  | 'disabled' // the user turned "Load the last model on start" off
  | 'no-last-model' // first visit, or the last model was deleted / removed
  | 'no-gpu' // the GPU check failed (or has not run)
  | 'unknown-model' // no longer in the catalog nor among the custom models
  | 'not-runnable' // this GPU cannot run it (e.g. it needs shader-f16)
  | 'cache-unknown' // the engine cannot tell whether it is cached
  | 'partly-cached' // a download stopped half-way: loading it would download the rest
  | 'not-cached'; // loading it would start a download

export type AutoLoadDecision =
  { load: true; modelId: string } | { load: false; reason: AutoLoadSkipReason; detail?: string };

/** The last model as the app knows it now. */
export interface AutoLoadCandidate {
  /** Why it cannot run on this GPU, or undefined when it can. */
  whyNotRunnable?: (gpu: GpuCapabilities) => string | undefined;
}

export interface AutoLoadInput {
  /** The "Load the last model on start" setting. */
  enabled: boolean;
  lastModelId: string | null;
  gpu: (GpuCapabilities & { status: GpuStatus }) | null;
  /** The last model resolved now; undefined when the id means nothing any more. */
  model: AutoLoadCandidate | undefined;
  /**
   * Whether its files are in the browser cache: all of them (true), some ('partial': a download that
   * stopped), none (false); undefined when that could not be found out.
   */
  cached: boolean | 'partial' | undefined;
}

export function decideAutoLoad(input: AutoLoadInput): AutoLoadDecision {
  if (!input.enabled) return { load: false, reason: 'disabled' };
  if (!input.lastModelId) return { load: false, reason: 'no-last-model' };
  if (!input.gpu || input.gpu.status !== 'ok') return { load: false, reason: 'no-gpu' };
  if (!input.model) return { load: false, reason: 'unknown-model' };
  const why = input.model.whyNotRunnable?.(input.gpu);
  if (why !== undefined) return { load: false, reason: 'not-runnable', detail: why };
  // Unknown counts as "not cached": guessing wrong would start a large download nobody asked for.
  if (input.cached === undefined) return { load: false, reason: 'cache-unknown' };
  // A half-downloaded model is not "cached": loading it would download the rest unasked.
  if (input.cached === 'partial') return { load: false, reason: 'partly-cached' };
  if (!input.cached) return { load: false, reason: 'not-cached' };
  return { load: true, modelId: input.lastModelId };
}

/** How long the start-up waits for the cache answer before leaving the choice to the user. */
export const CACHE_LOOKUP_TIMEOUT_MS = 8000;

/**
 * Asks the engine whether `source` is in the browser cache. undefined when the engine cannot tell
 * (an error, or no answer in time) — never a reason to download.
 */
export async function lookupCached(
  engine: Pick<Engine, 'cacheStatus'>,
  source: ModelSource,
  timeoutMs = CACHE_LOOKUP_TIMEOUT_MS,
): Promise<boolean | 'partial' | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    const answer = engine.cacheStatus([source]).then((statuses) => {
      const status = statuses.find((s) => s.modelId === modelIdOf(source));
      return status && !status.cached && status.partial ? ('partial' as const) : status?.cached;
    });
    return await Promise.race([answer, timeout]);
  } catch {
    // The cache could not be read (blocked storage, worker failure): let the user choose.
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
