/**
 * "Ask once before a download": the question the app and the widget put before a load that would
 * download a model, and the memory of a visitor's "Don't ask again" for it.
 *
 * - A model whose files are all in the browser cache loads without a question: nothing is downloaded.
 * - Anything else (not cached, partly cached, cache unknown) asks, with the download size and the GPU
 *   memory the model needs (catalog figures), unless the user said "Don't ask again" for that model in
 *   this browser. The memory is per model: agreeing to 300 MB is not agreeing to 2 GB.
 * - The app and the widget run on the same origin, so they share the memory (localStorage).
 */
import { findModel } from '../../engine/catalog.ts';
import type { CachedModelInfo } from '../../engine/engine.ts';
import { hostOf } from '../../engine/errorWording.ts';

/** The one place the key prefix is named; the model id follows it. */
export const DOWNLOAD_OK_KEY = 'callama:downloadOk:';

export class DownloadConsentStore {
  readonly #storage: Storage | undefined;

  constructor(storage: Storage | undefined = globalThis.localStorage) {
    this.#storage = storage;
  }

  /** Whether the user said "Don't ask again" for this model. */
  remembered(modelId: string): boolean {
    try {
      return this.#storage?.getItem(DOWNLOAD_OK_KEY + modelId) === '1';
    } catch {
      // Blocked storage: ask every time.
      return false;
    }
  }

  remember(modelId: string): void {
    try {
      this.#storage?.setItem(DOWNLOAD_OK_KEY + modelId, '1');
    } catch {
      // Storage full or blocked: the next download asks again, which is the safe side.
    }
  }
}

/** What the confirmation shows. Sizes are undefined when unknown (a custom model). */
export interface DownloadQuestion {
  modelId: string;
  name: string;
  /** Bytes to download: the whole model, less what a stopped download left in the cache. */
  downloadBytes?: number;
  /** The catalog's download size is an estimate from the parameter count (web-llm records carry none). */
  estimate: boolean;
  /** GPU memory the model needs (web-llm's vram_required_MB). */
  gpuBytes?: number;
  /** Bytes already in the browser cache from a download that stopped. */
  cachedBytes?: number;
  /** Where the files come from (catalog models: huggingface.co). */
  host?: string;
}

/**
 * The question to ask before loading `modelId`, or null when no question is needed (all files
 * cached, or "Don't ask again" was chosen for it).
 * @param cache the engine's cache status for the model; undefined when it could not be read
 */
export function downloadQuestion(
  modelId: string,
  name: string,
  cache: CachedModelInfo | undefined,
  remembered: boolean,
): DownloadQuestion | null {
  if (cache?.cached === true || remembered) return null;
  const entry = findModel(modelId);
  // A stopped download knows the model's real size (its manifest); the catalog only estimates it.
  const knownTotal = cache?.partial?.totalBytes;
  const total = knownTotal ?? (entry ? Math.round(entry.downloadMB * 1e6) : undefined);
  const cachedBytes = cache?.partial?.cachedBytes;
  const estimate = knownTotal === undefined && (entry?.downloadIsEstimate ?? false);
  const question: DownloadQuestion = { modelId, name, estimate };
  if (total !== undefined) question.downloadBytes = Math.max(0, total - (cachedBytes ?? 0));
  if (entry?.vramMB !== undefined) question.gpuBytes = Math.round(entry.vramMB * 1e6);
  if (cachedBytes !== undefined && cachedBytes > 0) question.cachedBytes = cachedBytes;
  const host = hostOf(entry?.modelUrl);
  if (host !== undefined) question.host = host;
  return question;
}
