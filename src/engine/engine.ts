import type { TextGenerator } from '../lib/types/generation.ts';
import type { CustomModelRecord } from './customModelRecord.ts';
import type { ServerModelRecord } from './server/serverModel.ts';

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
  /** Which step web-llm reports (parsed from `text`, see progress.ts). */
  phase?: LoadPhase;
}

export type LoadPhase = 'start' | 'fetch' | 'cache' | 'shader' | 'done' | 'other';

export interface LoadResult {
  modelId: string;
  elapsedMs: number;
  /**
   * Whether every file this load read was already in the browser cache before it started (nothing was
   * downloaded). Decided by the engine before the load, never guessed from progress text.
   */
  fromCache: boolean;
  /** Tokens the model sees at once, when the engine learnt it at load (a server's /props or /info). */
  contextWindow?: number;
}

/** Whether a model's weights are in the browser cache, and how many bytes they take there. */
export interface CachedModelInfo {
  modelId: string;
  /** Every file a load reads is cached: it loads offline, without downloading (cacheCompleteness.ts). */
  cached: boolean;
  /** Sum of the cached files' sizes (weights, config, library), when the cache reports them. */
  bytes?: number;
  /**
   * Some files are cached but not all (a download that stopped): loading it again resumes, fetching
   * only what is missing. Weight bytes from the manifest; `totalBytes` is unknown before it arrived.
   */
  partial?: { cachedBytes: number; totalBytes?: number };
}

/** Token ids of a prompt as the loaded model's tokenizer sees it (debug: "BOS present once"). */
export interface TokenizeResult {
  ids: number[];
  /** The model's BOS token id, when its config names one. */
  bosTokenId?: number;
  /** How many times bosTokenId occurs in `ids`. */
  bosCount?: number;
}

/**
 * How a model's prompts are rendered: 'raw' when the prompt format writes the exact template text
 * itself (format `api: 'completion'`), 'template' when web-llm's chat template renders messages.
 */
export type PromptRendering = 'raw' | 'template';

/**
 * How a model must be loaded for a prompt format's requests: raw-prompt formats (completion API)
 * need the pass-through template, which also lets their prompts be grammar-constrained; chat formats
 * need the model's own template. The app and the widget both load by this rule.
 */
export function renderingForApi(api: 'completion' | 'chat' | undefined): PromptRendering {
  return api === 'completion' ? 'raw' : 'template';
}

/**
 * What to load: a model of web-llm's prebuilt catalog, by id, or one of the user's custom models,
 * whose whole record travels with the request (the worker has no other way to know it). Either way,
 * `promptRendering` says how it must be loaded: 'raw' with a pass-through conversation template
 * (passThroughTemplate.ts), so raw prompts can be grammar-constrained through the chat API (chat
 * messages are then refused); 'template' (the default) with the model's own chat template.
 */
export type ModelSource = (
  | { kind: 'catalog'; id: string }
  | { kind: 'custom'; record: CustomModelRecord }
  /** A model another program runs (llama.cpp, TGI, an OpenAI-compatible server): see server/serverEngine.ts. */
  | { kind: 'server'; record: ServerModelRecord }
) & {
  promptRendering?: PromptRendering;
};

/** The model id a source names (its catalog id, or the custom or server record's id). */
export function modelIdOf(source: ModelSource): string {
  return source.kind === 'catalog' ? source.id : source.record.id;
}

export interface Engine extends TextGenerator {
  /**
   * Downloads (or reads from the browser cache) and loads a model onto the GPU.
   * @throws a typed engine error: WebGPUNotAvailableError, ModelLoadError, ModelLibraryMismatchError…
   */
  load(source: ModelSource, onProgress?: (p: LoadProgress) => void): Promise<LoadResult>;
  unload(): Promise<void>;
  /**
   * Stops the load in progress, its downloads included: that `load` fails with LoadCancelledError.
   * Files that were complete stay in the browser cache (the model then reports `partial`), so the next
   * load of the model fetches only what is missing. Does nothing when no load is running.
   */
  cancelLoad(): void;
  /** Called when the GPU device is lost after a load; the conversation is kept, the model must be reloaded. */
  onDeviceLost(listener: (message: string) => void): () => void;
  /**
   * Called when the engine's worker died on its own (not after `restart()`). Requests it had not
   * answered fail with WorkerCrashedError; the next request starts a new worker with no model loaded.
   */
  onCrash(listener: (message: string) => void): () => void;
  /**
   * Drops the worker and whatever GPU state it holds (after a lost device web-llm's engine cannot be
   * trusted); the next request starts a fresh one, with no model loaded.
   */
  restart(): void;
  /** Cache status of the given models (web-llm's hasModelInCache + sizes from the Cache API). */
  cacheStatus(models: ModelSource[]): Promise<CachedModelInfo[]>;
  /** Deletes a model's weights, config and library from the browser cache. */
  deleteCachedModel(model: ModelSource): Promise<void>;
  /**
   * Tokenizes `text` with the loaded model's tokenizer, exactly as the completion API would — and, for
   * a raw prompt on a model loaded with `promptRendering: 'raw'`, exactly as the constrained chat path
   * does too: the pass-through template adds no text and no BOS (passThroughTemplate.ts).
   * @throws EngineNotLoadedError when no model is loaded
   */
  tokenize(text: string): Promise<TokenizeResult>;
  /**
   * Whether a stopped generation is still being finished (TextGenerator.finishingStopped): every
   * engine answers, so the chat can say why a new message waits.
   */
  finishingStopped(): boolean;
}
