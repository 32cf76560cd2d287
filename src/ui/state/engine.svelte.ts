/**
 * The app's one engine and what the UI shows about it: GPU check, load status and progress, the
 * loaded model, the last error.
 *
 * Design:
 * - The engine comes in from the composition root (src/main.ts, through ui/state/appContext.ts),
 *   which creates it once; components never see it directly: they read this state and call its
 *   methods. Nothing starts at construction: the root calls `start()` (GPU check, last model).
 * - `load()` never throws. A failure becomes `status: 'error'` with the engine error's user-facing
 *   message and advice (engine/loadFailure.ts words them, LinkError included); the previous
 *   conversation lives in the chat state and is never touched here.
 * - A lost GPU device moves to `status: 'lost'`; `reload()` re-creates the engine (a new worker: web-llm's
 *   engine is not to be trusted after its device went away) and loads the same model again.
 * - A dead worker (engine `onCrash`) leaves a notice and a pending restart: the next message goes through
 *   `generator`, which first re-creates the engine by loading the model again (from the cache), then
 *   generates. The composer stays enabled; nothing has to be clicked.
 * - Failures that need more than "Retry": a full disk (QuotaExceededError) comes with the space the
 *   model needs and the space free (`error.space`), so the UI can offer to delete other models; a file
 *   that fails its integrity hash (ModelIntegrityError) makes the model's cached files be deleted at
 *   once, because web-llm verifies after caching and would otherwise keep the bad file.
 * - Which model an id means (catalog entry or custom model) and how to load it is decided by the
 *   engine's resolver (engine/resolveModel.ts) over the app's custom models and format overrides;
 *   unit tests construct the class with their own engine, GPU check and resolver.
 * - A click that would download asks first (`requestLoad`): the size, the GPU memory and "Don't ask
 *   again" (downloadConfirm.ts, shared with the widget); a cached model loads at once. `cancelLoad`
 *   stops a download (the engine ends its fetches; complete files stay cached) and keeps the model as
 *   `stopped`, so "Resume" loads it again, fetching only what is missing. The conversation is untouched.
 * - Each successful load remembers its model id (lastModel.ts). On start, after the GPU check, that
 *   model is loaded again by itself when it is in the browser cache (autoLoad.ts decides), so an
 *   offline start just works; an uncached model never starts a download without a click.
 */
import type { Engine, PromptRendering } from '../../engine/engine.ts';
import { advanceProgress, type LoadProgressView } from '../../engine/progress.ts';
import type { TextGenerator } from '../../lib/types/generation.ts';
import { storageInfo, type StorageInfo } from '../../engine/cache.ts';
import { detectGpu, type GpuReport } from '../../engine/gpu.ts';
import { EngineNotLoadedError, ModelLoadError } from '../../engine/errors.ts';
import { describeLoadFailure } from '../../engine/loadFailure.ts';
import type { FormatId } from '../../lib/formats/promptFormat.ts';
import {
  promptRenderingFor as renderingForFormat,
  resolveModel as resolveIn,
  type ModelInfo,
  type ResolvedModel,
} from '../../engine/resolveModel.ts';
import type { CustomModelRecord } from '../../engine/customModelRecord.ts';
import type { ServerModelRecord } from '../../engine/server/serverModel.ts';
import { LastModelStore } from './lastModel.ts';
import { decideAutoLoad, lookupCached, type AutoLoadDecision } from './autoLoad.ts';
import { errorMessage } from '../../lib/errors.ts';
import { DownloadConsentStore, downloadQuestion, type DownloadQuestion } from './downloadConfirm.ts';

export type EngineStatus = 'checking' | 'unsupported' | 'idle' | 'loading' | 'ready' | 'error' | 'lost';

export interface EngineErrorView {
  name: string;
  message: string;
  /** What the user can do about it, when there is something to do. */
  advice?: string;
  /** For a full disk: what the model needs and what the browser says is free (navigator.storage). */
  space?: { neededBytes?: number; freeBytes?: number; quotaBytes?: number };
}

/** Something the user should know that is not an error: the engine restarted, or will. */
export interface EngineNotice {
  kind: 'restart-pending' | 'restarted';
  message: string;
}

/** A download the user cancelled: the model, and what of it stayed in the browser cache. */
export interface StoppedDownload {
  model: ModelInfo;
  cachedBytes?: number;
  totalBytes?: number;
}

/** The user's format override for a model (settings), undefined when it uses its own format. */
export type FormatOverride = (modelId: string) => FormatId | undefined;

/** What resolving a model id reads of the user's data: the format overrides and the custom models. */
export interface ModelLookup {
  formatOverride: FormatOverride;
  findCustom: (modelId: string) => CustomModelRecord | undefined;
  /** The user's server models ("Run on a server"). */
  findServer?: (modelId: string) => ServerModelRecord | undefined;
}

/** How the model must be loaded for the format it is used with now (the user's override, else its own). */
export function promptRenderingFor(
  modelId: string,
  ownFormat: FormatId,
  formatOverride: FormatOverride,
): PromptRendering {
  return renderingForFormat(ownFormat, formatOverride(modelId));
}

/** A catalog id or one of the user's custom models (engine/resolveModel.ts), with the user's data. */
export function resolveModel(modelId: string, lookup: ModelLookup): ResolvedModel | undefined {
  const findServer = lookup.findServer;
  return resolveIn(modelId, {
    customModel: lookup.findCustom,
    formatOverride: lookup.formatOverride,
    ...(findServer ? { serverModel: findServer } : {}),
  });
}

export interface EngineStateOptions {
  engine: Engine;
  detectGpu?: () => Promise<GpuReport>;
  /** Which model an id means (`resolveModel` over the user's custom models and format overrides). */
  resolve: (modelId: string) => ResolvedModel | undefined;
  /** The user's format overrides, read again when the loaded model's format may have changed. */
  formatOverride: FormatOverride;
  /** Where the last loaded model id is kept (default: localStorage). */
  lastModel?: LastModelStore;
  /** The "Load the last model on start" setting. */
  loadLastOnStart: () => boolean;
  /** Storage usage and quota, for the "storage full" message (default: navigator.storage). */
  storage?: () => Promise<StorageInfo>;
  /** The user's "Don't ask again" per model, before a download (default: localStorage). */
  downloadConsent?: DownloadConsentStore;
}

export class EngineState {
  readonly engine: Engine;
  readonly #detect: () => Promise<GpuReport>;
  readonly #resolve: (modelId: string) => ResolvedModel | undefined;
  readonly #formatOverride: FormatOverride;
  readonly #lastModel: LastModelStore;
  readonly #loadLastOnStart: () => boolean;
  readonly #storage: () => Promise<StorageInfo>;
  readonly #downloadConsent: DownloadConsentStore;

  #gpu = $state.raw<GpuReport | null>(null);
  #status = $state<EngineStatus>('checking');
  #progress = $state.raw<LoadProgressView | null>(null);
  #model = $state.raw<ModelInfo | null>(null);
  /** How the loaded model renders prompts (its source's promptRendering), null when none is loaded. */
  #promptRendering = $state<PromptRendering | null>(null);
  #lastLoadMs = $state<number | null>(null);
  #fromCache = $state(false);
  #error = $state.raw<EngineErrorView | null>(null);
  #lostMessage = $state<string | null>(null);
  #resuming = $state.raw<ModelInfo | null>(null);
  #startDecision = $state.raw<AutoLoadDecision | null>(null);
  #notice = $state.raw<EngineNotice | null>(null);
  #question = $state.raw<DownloadQuestion | null>(null);
  #stopped = $state.raw<StoppedDownload | null>(null);
  /** The worker died while a model was loaded: the next generation re-creates the engine first. */
  #restartPending = false;
  /** Counts loads so a late progress report or result from an older load is ignored. */
  #loadSeq = 0;

  constructor(options: EngineStateOptions) {
    this.engine = options.engine;
    this.#detect = options.detectGpu ?? detectGpu;
    this.#resolve = options.resolve;
    this.#formatOverride = options.formatOverride;
    this.#lastModel = options.lastModel ?? new LastModelStore();
    this.#loadLastOnStart = options.loadLastOnStart;
    this.#storage = options.storage ?? (() => storageInfo());
    this.#downloadConsent = options.downloadConsent ?? new DownloadConsentStore();
    this.engine.onDeviceLost((message) => {
      this.#lostMessage = message;
      this.#progress = null;
      this.#status = 'lost';
    });
    this.engine.onCrash((message) => {
      // A load in progress fails with WorkerCrashedError and shows it; only a loaded model needs a restart.
      if (this.#status !== 'ready' || !this.#model) return;
      this.#restartPending = true;
      this.#notice = {
        kind: 'restart-pending',
        message: `The engine stopped unexpectedly (${message}). Your next message restarts it and reloads ${this.#model.name} from the browser cache; your conversation is kept.`,
      };
    });
  }

  get gpu(): GpuReport | null {
    return this.#gpu;
  }
  get status(): EngineStatus {
    return this.#status;
  }
  get progress(): LoadProgressView | null {
    return this.#progress;
  }
  get model(): ModelInfo | null {
    return this.#model;
  }
  /** 'raw': the model was loaded for raw prompts, which can then be grammar-constrained. */
  get promptRendering(): PromptRendering | null {
    return this.#status === 'ready' ? this.#promptRendering : null;
  }
  /**
   * The loaded model renders prompts the way its current format needs (the format override may have
   * changed since the load: raw-prompt formats need the pass-through template, chat formats the
   * model's own). False while a reload for the new format is due.
   */
  get renderingMatchesFormat(): boolean {
    const model = this.#model;
    if (this.#status !== 'ready' || !model) return true;
    return promptRenderingFor(model.id, model.formatId, this.#formatOverride) === this.#promptRendering;
  }

  /**
   * After the prompt format changed: reloads the model (from the browser cache, it is already there)
   * when the new format needs the other rendering, so the next message is sent the way it is built.
   */
  async applyFormatChange(): Promise<void> {
    if (!this.renderingMatchesFormat && this.#model) await this.load(this.#model.id);
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
  get resuming(): ModelInfo | null {
    return this.#resuming;
  }
  /** What the start-up decided about loading the last model, and why (null until it has run). */
  get startDecision(): AutoLoadDecision | null {
    return this.#startDecision;
  }
  /** The engine restarted after its worker died, or will with the next message. */
  get notice(): EngineNotice | null {
    return this.#notice;
  }
  dismissNotice(): void {
    this.#notice = null;
  }

  /** The download waiting for the user's yes (size, GPU memory), or null. */
  get downloadQuestion(): DownloadQuestion | null {
    return this.#question;
  }
  /** The download the user cancelled, which "Resume" continues; null otherwise. */
  get stopped(): StoppedDownload | null {
    return this.#stopped;
  }

  /**
   * What a click on "Load" does: loads at once when the model is cached (or the user said "Don't ask
   * again" for it), else asks first (`downloadQuestion`; `confirmDownload` then loads).
   */
  async requestLoad(modelId: string): Promise<void> {
    if (this.#status === 'checking') return;
    const resolved = this.#resolve(modelId);
    // A server model downloads nothing into this browser, so there is nothing to ask (and it may run
    // where WebGPU is missing; load() decides that).
    if (!resolved || resolved.source.kind === 'server' || this.#downloadConsent.remembered(modelId))
      return this.load(modelId);
    if (this.#status === 'unsupported') return;
    const [cache] = await this.engine.cacheStatus([resolved.source]).catch(() => []);
    const question = downloadQuestion(modelId, resolved.info.name, cache, false);
    if (question) this.#question = question;
    else await this.load(modelId);
  }

  /** The user's yes to `downloadQuestion`; `remember`: do not ask again for this model. */
  async confirmDownload(remember: boolean): Promise<void> {
    const question = this.#question;
    if (!question) return;
    this.#question = null;
    if (remember) this.#downloadConsent.remember(question.modelId);
    await this.load(question.modelId);
  }

  /** The user's no: nothing is downloaded. */
  declineDownload(): void {
    this.#question = null;
  }

  /**
   * Stops the running load (its download included). The model is no longer loaded; its complete
   * files stay cached and `stopped` offers to resume. The conversation is untouched.
   */
  cancelLoad(): void {
    const model = this.#model;
    if (this.#status !== 'loading' || !model) return;
    const seq = ++this.#loadSeq;
    this.engine.cancelLoad();
    this.#status = 'idle';
    this.#progress = null;
    this.#model = null;
    this.#stopped = { model };
    const resolved = this.#resolve(model.id);
    if (!resolved) return;
    // What stayed in the cache, for "2.1 GB of 2.6 GB kept" (asked of the fresh engine).
    void this.engine
      .cacheStatus([resolved.source])
      .then(([info]) => {
        if (seq !== this.#loadSeq || this.#stopped?.model.id !== model.id || !info?.partial) return;
        this.#stopped = {
          model,
          cachedBytes: info.partial.cachedBytes,
          ...(info.partial.totalBytes !== undefined ? { totalBytes: info.partial.totalBytes } : {}),
        };
      })
      .catch(() => undefined);
  }

  /** Continues the cancelled download: the user asked for it already, so no question. */
  async resumeDownload(): Promise<void> {
    const stopped = this.#stopped;
    if (stopped) await this.load(stopped.model.id);
  }

  /**
   * What the chat generates with: the engine, except that after a worker crash the first generation
   * re-creates it (loads the model again, from the cache) before it runs.
   */
  readonly generator: TextGenerator = {
    generate: async (request, onDelta) => {
      if (this.#restartPending) await this.#restartAfterCrash();
      return this.engine.generate(request, onDelta);
    },
    interrupt: () => this.engine.interrupt(),
    finishingStopped: () => this.engine.finishingStopped(),
  };

  /**
   * Restarts a hung engine on the user's word (the chat's "Restart the engine"): a fresh worker, the
   * same model loaded again from the browser cache. The conversation lives in the chat state, untouched.
   */
  async restartEngine(): Promise<void> {
    const model = this.#model;
    if (!model) return;
    this.engine.restart();
    await this.load(model.id);
    if (this.#status === 'ready') {
      this.#notice = {
        kind: 'restarted',
        message: `The engine was restarted and ${model.name} reloaded${this.#fromCache ? ' from the browser cache' : ''}.`,
      };
    }
  }

  async #restartAfterCrash(): Promise<void> {
    this.#restartPending = false;
    const model = this.#model;
    if (!model) throw new EngineNotLoadedError('No model to reload after the engine stopped.');
    await this.load(model.id);
    if (this.#status !== 'ready') {
      throw new ModelLoadError(this.#error?.message ?? 'The model could not be loaded again after the engine stopped.');
    }
    this.#notice = {
      kind: 'restarted',
      message: `The engine was restarted and ${model.name} reloaded${this.#fromCache ? ' from the browser cache' : ''}.`,
    };
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
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- it can change while the cache answers
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
      const reason = `The WebGPU check failed: ${errorMessage(e)}`;
      report = {
        status: 'no-adapter',
        reason,
        advice: 'Reload the page; if it happens again, try another browser.',
        hasF16: false,
        limits: {},
        info: {},
        tooSmall: [],
        software: false,
      };
    }
    this.#gpu = report;
    this.#status = report.status === 'ok' ? (this.#model ? 'ready' : 'idle') : 'unsupported';
  }

  /** Downloads (or reads from cache) and loads a model. Never throws: failures set `error`. */
  async load(modelId: string): Promise<void> {
    if (this.#status === 'checking') return;
    const resolved = this.#resolve(modelId);
    // Without WebGPU only a server model can run: the server's GPU does the work.
    if (this.#gpu?.status !== 'ok' && resolved?.source.kind !== 'server') return;
    const seq = ++this.#loadSeq;
    this.#stopped = null;
    this.#question = null;
    // After a lost device the worker's web-llm engine holds a dead GPU device: start a new worker.
    if (this.#status === 'lost') this.engine.restart();
    this.#restartPending = false;
    this.#notice = null;
    this.#error = null;
    this.#lostMessage = null;
    this.#lastLoadMs = null;
    if (!resolved) {
      this.#status = 'error';
      this.#error = {
        name: 'ModelNotFoundError',
        message: `The model "${modelId}" is not in the catalog or your custom models.`,
      };
      return;
    }
    this.#model = resolved.info;
    this.#status = 'loading';
    this.#progress = advanceProgress(null, { fraction: 0, text: 'Starting…', elapsedMs: 0 });
    try {
      const result = await this.engine.load(resolved.source, (p) => {
        if (seq !== this.#loadSeq) return;
        this.#progress = advanceProgress(this.#progress, p);
      });
      if (seq !== this.#loadSeq) return;
      // A server says its context window when asked (engine/server/serverEngine.ts).
      if (result.contextWindow !== undefined) this.#model = { ...resolved.info, contextWindow: result.contextWindow };
      this.#promptRendering = resolved.source.promptRendering ?? 'template';
      this.#lastLoadMs = result.elapsedMs;
      this.#fromCache = result.fromCache;
      this.#status = 'ready';
      this.#lastModel.set(modelId);
    } catch (e) {
      if (seq !== this.#loadSeq) return;
      // Worded (and a corrupt model's files deleted) the same way as in the widget (engine/loadFailure.ts).
      const view: EngineErrorView = await describeLoadFailure(
        e,
        this.engine,
        resolved.source,
        'delete them under Models → Storage',
      );
      if (view.name === 'QuotaExceededError') view.space = await this.#spaceFor(resolved);
      if (seq !== this.#loadSeq) return;
      this.#error = view;
      this.#status = 'error';
    } finally {
      if (seq === this.#loadSeq) this.#progress = null;
    }
  }

  /** Loads the last model again (after an error or a lost device, on a new engine for the latter). */
  async reload(): Promise<void> {
    if (this.#model) await this.load(this.#model.id);
  }

  async #spaceFor(resolved: ResolvedModel): Promise<NonNullable<EngineErrorView['space']>> {
    const info = await this.#storage().catch(() => undefined);
    const space: NonNullable<EngineErrorView['space']> = {};
    if (resolved.info.sizeBytes !== undefined) space.neededBytes = resolved.info.sizeBytes;
    if (info?.freeBytes !== undefined) space.freeBytes = info.freeBytes;
    if (info?.quota !== undefined) space.quotaBytes = info.quota;
    return space;
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
    this.#status = this.#restingStatus();
  }

  /** The status with no model loaded: 'unsupported' without a usable GPU (server models still load). */
  #restingStatus(): EngineStatus {
    return this.#gpu && this.#gpu.status !== 'ok' ? 'unsupported' : 'idle';
  }

  /** Hides the error banner (the model stays unloaded). */
  dismissError(): void {
    this.#error = null;
    if (this.#status === 'error') this.#status = this.#restingStatus();
  }
}
