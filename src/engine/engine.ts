import type { TextGenerator } from '../lib/types/generation.ts';

/**
 * The interface the UI programs against. The app's implementation runs web-llm in a Web Worker
 * (workerEngine.ts); the browser tests inject a scripted double (tests/doubles/). Both are created in
 * exactly one place: createEngine.ts.
 */
export interface LoadProgress {
  /** 0..1 */
  fraction: number;
  /** web-llm's phase text, e.g. "Fetching param cache[3/108]: 412MB fetched. 12% completed". */
  text: string;
  loadedBytes?: number;
  totalBytes?: number;
  elapsedMs: number;
}

export interface LoadResult {
  modelId: string;
  elapsedMs: number;
}

/** What to load: a catalog id, or a custom model (weights URL + model library URL). */
export interface ModelSource {
  modelId: string;
  modelUrl?: string;
  modelLibUrl?: string;
  /** Extra overrides for web-llm's ModelRecord (context window, VRAM estimate…). */
  overrides?: Record<string, unknown>;
}

export interface Engine extends TextGenerator {
  /**
   * Downloads (or reads from the browser cache) and loads a model onto the GPU.
   * @throws a typed engine error: WebGPUNotAvailableError, ModelLoadError, ModelLibraryMismatchError…
   */
  load(source: ModelSource, onProgress?: (p: LoadProgress) => void): Promise<LoadResult>;
  unload(): Promise<void>;
  /** Called when the GPU device is lost after a load; the conversation is kept, the model must be reloaded. */
  onDeviceLost(listener: (message: string) => void): () => void;
}
