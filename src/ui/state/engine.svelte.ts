/**
 * The app's one engine and what the UI shows about it: GPU check, load status and progress, the
 * loaded model, the last error.
 *
 * Design:
 * - The engine is created here ONCE (createEngine() has no other call site), and never imported
 *   elsewhere in the UI: components read this state and call its methods.
 * - `load()` never throws. A failure becomes `status: 'error'` with the engine error's user-facing
 *   message and advice (engine/errors.ts sorts web-llm's failures, LinkError included); the previous
 *   conversation lives in the chat state and is never touched here.
 * - A lost GPU device moves to `status: 'lost'`; `reload()` loads the same model again.
 * - Which model an id means (catalog entry or custom model) is decided by a resolver, so unit tests can
 *   construct the class with their own engine, GPU check and model list.
 * - Each successful load remembers its model id (lastModel.ts). On start, after the GPU check, that
 *   model is loaded again by itself when it is in the browser cache (autoLoad.ts decides), so an
 *   offline start just works; an uncached model never starts a download without a click.
 */
import type { Engine, LoadProgress, ModelSource } from '../../engine/engine.ts';
import { createEngine } from '../../engine/createEngine.ts';
import { detectGpu, type GpuReport } from '../../engine/gpu.ts';
import { normalizeError } from '../../engine/errors.ts';
import type { FormatId } from '../../lib/formats/promptFormat.ts';
import { findModel, whyNotRunnable, type GpuCapabilities } from '../../engine/catalog.ts';
import { toModelSource } from '../../engine/customModel.ts';
import { customModelsState } from './customModels.svelte.ts';
import { settingsState } from './settings.svelte.ts';
import { LastModelStore } from './lastModel.ts';
import { decideAutoLoad, lookupCached, type AutoLoadDecision } from './autoLoad.ts';

export type EngineStatus = 'checking' | 'unsupported' | 'idle' | 'loading' | 'ready' | 'error' | 'lost';

export interface LoadedModel {
  id: string;
  name: string;
  formatId: FormatId;
  sizeBytes?: number;
  /** Tokens the model sees at once (web-llm's context_window_size), when the record says. */
  contextWindow?: number;
}

export interface EngineErrorView {
  name: string;
  message: string;
  /** What the user can do about it, when there is something to do. */
  advice?: string;
}

export interface ResolvedModel {
  source: ModelSource;
  info: LoadedModel;
  /** Why this GPU cannot run it, or undefined when it can (unknown: assume it can). */
  whyNotRunnable?: (gpu: GpuCapabilities) => string | undefined;
}

/** A catalog id (prebuilt web-llm record) or one of the user's custom models. */
export function resolveModel(modelId: string): ResolvedModel | undefined {
  const entry = findModel(modelId);
  if (entry) {
    return {
      source: { modelId },
      info: {
        id: modelId,
        name: `${entry.displayName} (${entry.quantization})`,
        formatId: entry.formatId,
        sizeBytes: Math.round(entry.downloadMB * 1e6),
        ...(entry.contextWindow !== undefined ? { contextWindow: entry.contextWindow } : {}),
      },
      whyNotRunnable: (gpu) => whyNotRunnable(entry, gpu),
    };
  }
  const custom = customModelsState.find(modelId);
  if (!custom) return undefined;
  return {
    source: toModelSource(custom),
    info: {
      id: custom.id,
      name: custom.displayName,
      formatId: custom.formatId,
      ...(custom.contextWindow !== undefined ? { contextWindow: custom.contextWindow } : {}),
    },
    whyNotRunnable: (gpu) =>
      custom.requiredFeatures.includes('shader-f16') && !gpu.hasF16 ? 'Its model library needs shader-f16, which this GPU lacks.' : undefined,
  };
}

export interface EngineStateOptions {
  engine?: Engine;
  detectGpu?: () => Promise<GpuReport>;
  resolve?: (modelId: string) => ResolvedModel | undefined;
  /** Start the GPU check (and the last model's auto-load) from the constructor (default true). */
  autoCheck?: boolean;
  /** Where the last loaded model id is kept (default: localStorage). */
  lastModel?: LastModelStore;
  /** The "Load the last model on start" setting (default: the app's settings). */
  loadLastOnStart?: () => boolean;
}

export class EngineState {
  readonly engine: Engine;
  readonly #detect: () => Promise<GpuReport>;
  readonly #resolve: (modelId: string) => ResolvedModel | undefined;
  readonly #lastModel: LastModelStore;
  readonly #loadLastOnStart: () => boolean;

  #gpu = $state.raw<GpuReport | null>(null);
  #status = $state<EngineStatus>('checking');
  #progress = $state.raw<LoadProgress | null>(null);
  #model = $state.raw<LoadedModel | null>(null);
  #lastLoadMs = $state<number | null>(null);
  #fromCache = $state(false);
  #error = $state.raw<EngineErrorView | null>(null);
  #lostMessage = $state<string | null>(null);
  #resuming = $state.raw<LoadedModel | null>(null);
  #startDecision = $state.raw<AutoLoadDecision | null>(null);
  /** Counts loads so a late progress report or result from an older load is ignored. */
  #loadSeq = 0;

  constructor(options: EngineStateOptions = {}) {
    this.engine = options.engine ?? createEngine();
    this.#detect = options.detectGpu ?? detectGpu;
    this.#resolve = options.resolve ?? resolveModel;
    this.#lastModel = options.lastModel ?? new LastModelStore();
    this.#loadLastOnStart = options.loadLastOnStart ?? (() => settingsState.loadLastModel);
    this.engine.onDeviceLost((message) => {
      this.#lostMessage = message;
      this.#progress = null;
      this.#status = 'lost';
    });
    if (options.autoCheck !== false) void this.start();
  }

  get gpu(): GpuReport | null {
    return this.#gpu;
  }
  get status(): EngineStatus {
    return this.#status;
  }
  get progress(): LoadProgress | null {
    return this.#progress;
  }
  get model(): LoadedModel | null {
    return this.#model;
  }
  get lastLoadMs(): number | null {
    return this.#lastLoadMs;
  }
  /** Whether the last successful load read the weights from the browser cache. */
  get lastLoadFromCache(): boolean {
    return this.#fromCache;
  }
  get error(): EngineErrorView | null {
    return this.#error;
  }
  /** The browser's message when the GPU device was lost. */
  get lostMessage(): string | null {
    return this.#lostMessage;
  }
  /**
   * The last-used model while the start-up looks for it in the browser cache and loads it from
   * there; null otherwise (the welcome then says so instead of asking the user to pick a model).
   */
  get resuming(): LoadedModel | null {
    return this.#resuming;
  }
  /** What the start-up decided about loading the last model, and why (null until it has run). */
  get startDecision(): AutoLoadDecision | null {
    return this.#startDecision;
  }

  /** The start-up: the GPU check, then the last model if the browser has it cached. */
  async start(): Promise<void> {
    await this.checkGpu();
    await this.resumeLastModel();
  }

  /**
   * Loads the last-used model when it is in the browser cache, runnable on this GPU, and the setting
   * allows it; never downloads. Returns the decision (also kept in `startDecision`).
   */
  async resumeLastModel(): Promise<AutoLoadDecision> {
    const lastModelId = this.#lastModel.get();
    const resolved = lastModelId ? this.#resolve(lastModelId) : undefined;
    const inputs = { enabled: this.#loadLastOnStart(), lastModelId, gpu: this.#gpu, model: resolved };
    // Everything but the cache first, so the cache is only asked about a model that could be loaded.
    let decision = decideAutoLoad({ ...inputs, cached: true });
    if (decision.load && resolved && this.#status === 'idle') {
      const seq = this.#loadSeq;
      this.#resuming = resolved.info;
      decision = decideAutoLoad({ ...inputs, cached: await lookupCached(this.engine, resolved.source) });
      // The user may have started another load while the cache answered: theirs wins.
      if (seq !== this.#loadSeq || this.#status !== 'idle') {
        this.#resuming = null;
        return decision;
      }
    }
    this.#startDecision = decision;
    if (!decision.load) {
      this.#resuming = null;
      return decision;
    }
    try {
      await this.load(decision.modelId);
    } finally {
      this.#resuming = null;
    }
    return decision;
  }

  /** Stops loading `modelId` on start (its cached files were deleted, or the custom model removed). */
  forgetLastModel(modelId: string): void {
    this.#lastModel.forget(modelId);
  }

  /** Runs the WebGPU check; 'unsupported' when there is no usable adapter. */
  async checkGpu(): Promise<void> {
    this.#status = 'checking';
    let report: GpuReport;
    try {
      report = await this.#detect();
    } catch (e) {
      // detectGpu reports problems as data; a throw here is unexpected, so keep its text.
      const reason = `The WebGPU check failed: ${e instanceof Error ? e.message : String(e)}`;
      report = { status: 'no-adapter', reason, advice: 'Reload the page; if it happens again, try another browser.', hasF16: false, limits: {}, info: {}, tooSmall: [], software: false };
    }
    this.#gpu = report;
    this.#status = report.status === 'ok' ? (this.#model ? 'ready' : 'idle') : 'unsupported';
  }

  /** Downloads (or reads from cache) and loads a model. Never throws: failures set `error`. */
  async load(modelId: string): Promise<void> {
    if (this.#status === 'unsupported' || this.#status === 'checking') return;
    const seq = ++this.#loadSeq;
    const resolved = this.#resolve(modelId);
    this.#error = null;
    this.#lostMessage = null;
    this.#lastLoadMs = null;
    if (!resolved) {
      this.#status = 'error';
      this.#error = { name: 'ModelNotFoundError', message: `The model "${modelId}" is not in the catalog or your custom models.` };
      return;
    }
    this.#model = resolved.info;
    this.#status = 'loading';
    this.#progress = { fraction: 0, text: 'Starting…', elapsedMs: 0 };
    let sawCache = false;
    try {
      const result = await this.engine.load(resolved.source, (p) => {
        if (seq !== this.#loadSeq) return;
        if (/from cache/i.test(p.text)) sawCache = true;
        this.#progress = p;
      });
      if (seq !== this.#loadSeq) return;
      this.#lastLoadMs = result.elapsedMs;
      this.#fromCache = result.fromCache ?? sawCache;
      this.#status = 'ready';
      this.#lastModel.set(modelId);
    } catch (e) {
      if (seq !== this.#loadSeq) return;
      const err = normalizeError(e, 'load', { modelId });
      this.#error = { name: err.name, message: err.userMessage, advice: err.advice };
      this.#status = 'error';
    } finally {
      if (seq === this.#loadSeq) this.#progress = null;
    }
  }

  /** Loads the last model again (after an error or a lost device). */
  async reload(): Promise<void> {
    if (this.#model) await this.load(this.#model.id);
  }

  async unload(): Promise<void> {
    this.#loadSeq++;
    try {
      await this.engine.unload();
    } catch {
      // The worker is gone or was never loaded; either way nothing is loaded now.
    }
    this.#model = null;
    this.#progress = null;
    this.#error = null;
    this.#lastLoadMs = null;
    if (this.#status !== 'unsupported') this.#status = 'idle';
  }

  /** Hides the error banner (the model stays unloaded). */
  dismissError(): void {
    this.#error = null;
    if (this.#status === 'error') this.#status = 'idle';
  }
}

export const engineState = new EngineState();
