/**
 * FakeEngine — a scripted stand-in for the web-llm worker engine, for the browser tests only.
 *
 * Model weights cannot be downloaded where the tests run, so the e2e build (vite --mode e2e) swaps
 * src/engine/createEngine.ts for tests/doubles/createEngine.ts, which returns this class. It never
 * ships: the production build has no reference to tests/.
 *
 * A test scripts it before the page loads, with Playwright's addInitScript:
 *   window.__CALLAMA_FAKE__ = { rules: [{ match: 'Tokyo', reply: '{"name": …}' }], tokenDelayMs: 20 }
 * The first rule whose regular expression matches the prompt text wins; the reply is streamed word by
 * word on a timer and honours interrupt(). Every request is logged to window.__CALLAMA_FAKE_LOG__ so a
 * test can assert what was sent.
 *
 * Faults (window.__callamaFake): `loseDevice` (the running generation ends as 'abort', as WorkerEngine
 * settles it), `crashWorker` (the running request fails with WorkerCrashedError, crash listeners hear
 * of it, the model is gone). `restarts` / `loads` count engine re-creations and loads. A load that
 * fails (`loadError`) after some progress leaves a partial download behind, as web-llm's cache keeps
 * the shards that arrived; the next load resumes from it and cacheStatus reports it as `partial`.
 * `cancelLoad()` stops a load at once, as WorkerEngine's ended worker does: it fails with
 * LoadCancelledError, reports no more progress, and the shards complete so far stay as a partial
 * download (`cancels` counts the loads it stopped).
 * `hangAfterStop` models a web-llm build whose lock is never released after an interrupt: the stopped
 * generation settles as 'abort' (as WorkerEngine settles it locally), but `finishingStopped()` stays
 * true and every later generation never produces a token — it ends only by interrupt ('abort') or by
 * restart() (WorkerCrashedError, as a terminated worker fails what it had not answered).
 */
import {
  modelIdOf,
  type CachedModelInfo,
  type Engine,
  type LoadProgress,
  type LoadResult,
  type ModelSource,
  type TokenizeResult,
} from '../../src/engine/engine.ts';
import type { GenerateRequest, GenerateResult, GenerationStats } from '../../src/lib/types/generation.ts';

export interface FakeRule {
  /** Regular expression source, matched against the prompt text (see promptText). */
  match: string;
  flags?: string;
  reply: string;
  /** End as if the token limit was hit (finishReason 'length'). */
  truncate?: boolean;
  /**
   * Pause the stream once the reply so far contains this text (or each of these, in turn), until the
   * test calls `window.__callamaFake.release()` (or Stop, a lost device or a crash ends it): a test then sees the
   * mid-stream state for as long as it likes, however busy the machine, instead of racing the words'
   * timer.
   */
  holdAfter?: string | string[];
}

export interface FakeScript {
  rules?: FakeRule[];
  /** Delay between streamed words, ms. Default 15. */
  tokenDelayMs?: number;
  /**
   * Stream at this many words per second by the wall clock instead (bench/stream.bench.ts), or 'max':
   * as fast as the page lets it. Each word is its own task, as each token is its own message from
   * the worker; words that fell due while the page was busy follow at once, so timer clamping (4 ms
   * for nested timers) never caps the rate.
   */
  tokensPerSecond?: number | 'max';
  /**
   * Duration of a first (uncached) load, ms. Default 200: long enough for its progress to show, short
   * because almost every browser test loads a model once (tests about the progress itself set more).
   */
  loadMs?: number;
  /**
   * Before an uncached load, fetch the model's config from its real host, as web-llm does first, so a
   * test can take the network away (context.route / setOffline): the load then fails with the
   * browser's own error ("Failed to fetch"), as web-llm's does.
   */
  fetchConfig?: boolean;
  /** Make load() fail with this error (name/message as the worker would send them). */
  loadError?: { name: string; message: string };
  /** Make generate() fail with this error. */
  generateError?: { name: string; message: string };
}

declare global {
  interface Window {
    __CALLAMA_FAKE__?: FakeScript;
    __CALLAMA_FAKE_LOG__?: GenerateRequest[];
    __callamaFake?: {
      loseDevice(message: string): void;
      crashWorker(message: string): void;
      restarts: number;
      loads: number;
      /** Loads stopped by cancelLoad(). */
      cancels: number;
      /** The model ids of each cacheStatus question, in order (the start-up asks about the last model alone). */
      cacheQueries: string[][];
      /** After the next Stop the engine never answers again until restart(). */
      hangAfterStop?: boolean;
      /** Resumes a stream paused by its rule's `holdAfter`; false when none is paused. */
      release(): boolean;
      /** A stream is paused by its rule's `holdAfter`. */
      readonly held: boolean;
      /** Each generation's timeline (performance.now() ms): when it started, its first and last word. */
      streams?: { startedAt: number; firstTokenAt: number; endedAt: number; tokens: number }[];
    };
  }
}

const FAKE_MODEL_BYTES = 420 * 1024 * 1024;
const CACHE_KEY = 'callama-fake-cache:';
/** Bytes of a download that stopped half-way, per model (the shards web-llm would have cached). */
const PARTIAL_KEY = 'callama-fake-partial:';

/** Characters per token of the double's made-up tokenizer. */
const CHARS_PER_TOKEN = 4;

/**
 * Prompt tokens read and reused, the way an engine with a prefix cache counts them: what the prompt
 * shares at its start with the previous prompt and answer (what the cache still holds) is reused, the
 * rest is read. `cached` is undefined when the previous generation left nothing to continue from.
 */
export function promptReuse(prompt: string, cached: string | undefined): { read: number; reused: number } {
  let common = 0;
  const limit = Math.min(prompt.length, cached?.length ?? 0);
  while (common < limit && prompt.charCodeAt(common) === cached?.charCodeAt(common)) common++;
  const total = Math.ceil(prompt.length / CHARS_PER_TOKEN);
  const reused = Math.floor(common / CHARS_PER_TOKEN);
  return { read: total - reused, reused };
}

/** The text a rule is matched against: the raw prompt, or the chat messages as "role: content" lines. */
export function promptText(request: GenerateRequest): string {
  if (request.api === 'completion') return request.prompt;
  return request.messages.map((m) => `${m.role}: ${m.content}`).join('\n');
}

class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Llama-2's special token ids, which the double's tokenizer gives the literal `<s>` and `</s>`. */
const FAKE_BOS = 1;
const FAKE_EOS = 2;

/**
 * A deliberately crude tokenizer: the literal special tokens `<s>` / `</s>` become ids 1 / 2 (as an HF
 * tokenizer.json splits out added tokens), and every other whitespace-separated piece gets a stable id
 * ≥ 3 from a hash of its text. It knows nothing of real vocabularies; that is enough because the
 * inspector's check only asks how many BOS ids there are and where, which depends on the special tokens
 * alone. (Whether a real tokenizer splits `<s>` out is for the real-model test to confirm.)
 */
export function fakeTokenize(text: string): TokenizeResult {
  const ids: number[] = [];
  for (const part of text.split(/(<\/?s>)/)) {
    if (part === '<s>') ids.push(FAKE_BOS);
    else if (part === '</s>') ids.push(FAKE_EOS);
    else for (const piece of part.split(/\s+/)) if (piece) ids.push(pieceId(piece));
  }
  return { ids, bosTokenId: FAKE_BOS, bosCount: ids.filter((id) => id === FAKE_BOS).length };
}

/** FNV-1a hash of the piece, folded into a Llama-sized vocabulary above the special ids. */
function pieceId(piece: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < piece.length; i++) hash = Math.imul(hash ^ piece.charCodeAt(i), 0x01000193) >>> 0;
  return 3 + (hash % 31997);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolvers waiting for the next task; a MessageChannel message is a task no timer clamps. */
const nextTasks: (() => void)[] = [];
let channel: MessageChannel | undefined;

function nextTask(): Promise<void> {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => nextTasks.shift()?.();
  }
  const port = channel.port2;
  return new Promise<void>((resolve) => {
    nextTasks.push(resolve);
    port.postMessage(null);
  });
}

/** Waits until word `i` is due: after `delayMs` each, or by the wall clock at a fixed rate. */
function pacer(script: FakeScript, started: number): (i: number) => Promise<void> {
  const rate = script.tokensPerSecond;
  if (rate === 'max') return () => nextTask();
  if (rate !== undefined && rate > 0) {
    return (i) => {
      const wait = started + (i * 1000) / rate - performance.now();
      return wait > 1 ? sleep(wait) : nextTask();
    };
  }
  const delay = script.tokenDelayMs ?? 15;
  return () => sleep(delay);
}

export class FakeEngine implements Engine {
  #loaded: string | null = null;
  /** How the loaded model renders prompts (its ModelSource.promptRendering), checked as the worker does. */
  #rendering: 'raw' | 'template' = 'template';
  /** The previous prompt and its answer (promptText form): what a prefix cache would still hold. */
  #cached: string | undefined;
  #interrupted = false;
  #deviceLostListeners = new Set<(message: string) => void>();
  #crashListeners = new Set<(message: string) => void>();
  #generating = false;
  /** Set by crashWorker while a generation runs: it fails with WorkerCrashedError. */
  #crashed: string | null = null;
  /** A Stop came while `hangAfterStop` was set: the "lock" is held until restart(). */
  #stuck = false;
  /** Ends the generation waiting on the stuck lock (interrupt: 'abort'; restart: a crash). */
  #releaseHung: ((how: 'abort' | 'restart') => void) | null = null;

  /** Resumes a stream paused by its rule's `holdAfter` (release(), or Stop); null when none is. */
  #resumeHeld: (() => void) | null = null;

  /** Stops the running load's wait (cancelLoad); null when no load runs. */
  #cancelLoad: (() => void) | null = null;

  constructor(private readonly script: () => FakeScript) {
    const isHeld = () => this.#resumeHeld !== null;
    const controls = {
      restarts: 0,
      loads: 0,
      cancels: 0,
      cacheQueries: [] as string[][],
      get held(): boolean {
        return isHeld();
      },
      release: () => {
        const resume = this.#resumeHeld;
        this.#resumeHeld = null;
        resume?.();
        return resume !== null;
      },
      loseDevice: (message: string) => {
        this.#loaded = null;
        if (this.#generating) this.#interrupted = true;
        controls.release();
        for (const listener of this.#deviceLostListeners) listener(message);
      },
      crashWorker: (message: string) => {
        this.#loaded = null;
        if (this.#generating) this.#crashed = message;
        controls.release();
        for (const listener of this.#crashListeners) listener(message);
      },
    };
    window.__callamaFake = controls;
  }

  onCrash(listener: (message: string) => void): () => void {
    this.#crashListeners.add(listener);
    return () => this.#crashListeners.delete(listener);
  }

  restart(): void {
    if (window.__callamaFake) window.__callamaFake.restarts++;
    this.#loaded = null;
    // A fresh worker holds no lock.
    this.#stuck = false;
    this.#releaseHung?.('restart');
  }

  finishingStopped(): boolean {
    return this.#stuck;
  }

  cancelLoad(): void {
    this.#cancelLoad?.();
  }

  /**
   * Waits `ms`, unless cancelLoad() comes first: then `keep` records what stays cached (at once, as
   * the real cache holds it before anyone asks again) and the load fails as the real one does.
   */
  #loadStep(ms: number, keep?: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#cancelLoad = null;
        resolve();
      }, ms);
      this.#cancelLoad = () => {
        this.#cancelLoad = null;
        clearTimeout(timer);
        keep?.();
        if (window.__callamaFake) window.__callamaFake.cancels++;
        reject(new NamedError('LoadCancelledError', 'The download was cancelled.'));
      };
    });
  }

  async load(source: ModelSource, onProgress?: (p: LoadProgress) => void): Promise<LoadResult> {
    const script = this.script();
    const started = performance.now();
    const modelId = modelIdOf(source);
    if (window.__callamaFake) window.__callamaFake.loads++;
    const cached = localStorage.getItem(CACHE_KEY + modelId) !== null;
    const steps = 8;
    const duration = cached ? 120 : (script.loadMs ?? 200);
    if (script.fetchConfig && !cached) {
      // Imported here, not at the top: Playwright specs import promptText from this module in Node,
      // which cannot import the catalog's JSON without an import attribute.
      const { findModel } = await import('../../src/engine/catalog.ts');
      const base = source.kind === 'custom' ? source.record.modelUrl : findModel(modelId)?.modelUrl;
      // web-llm adds "resolve/main/" unless the URL names a branch already (customModelUrl.ts).
      const folder = /\/resolve\/[^/]+\//.test(base ?? '') ? '' : 'resolve/main/';
      if (base) await fetch(new URL(`${folder}mlc-chat-config.json`, base.endsWith('/') ? base : `${base}/`));
    }
    // A stopped download resumes: the shards already cached are not fetched again.
    const resumeFrom = cached
      ? 0
      : Math.floor((Number(localStorage.getItem(PARTIAL_KEY + modelId)) / FAKE_MODEL_BYTES) * steps);
    for (let i = resumeFrom + 1; i <= steps; i++) {
      // On a cancel, the shards before this one are complete and stay cached, as web-llm's Cache API entries do.
      const done = Math.round((FAKE_MODEL_BYTES * (i - 1)) / steps);
      await this.#loadStep(duration / steps, () => {
        if (!cached && done > 0) localStorage.setItem(PARTIAL_KEY + modelId, String(done));
      });
      if (script.loadError && i === Math.max(steps / 2, resumeFrom + 1)) {
        if (!cached)
          localStorage.setItem(PARTIAL_KEY + modelId, String(Math.round((FAKE_MODEL_BYTES * (i - 1)) / steps)));
        throw new NamedError(script.loadError.name, script.loadError.message);
      }
      const loadedBytes = Math.round((FAKE_MODEL_BYTES * i) / steps);
      const elapsedMs = performance.now() - started;
      const text = cached
        ? `Loading model from cache[${i}/${steps}]: ${Math.round(loadedBytes / 1e6)}MB loaded. ${Math.round((100 * i) / steps)}% completed, ${Math.round(elapsedMs / 1000)} secs elapsed.`
        : `Fetching param cache[${i}/${steps}]: ${Math.round(loadedBytes / 1e6)}MB fetched. ${Math.round((100 * i) / steps)}% completed, ${Math.round(elapsedMs / 1000)} secs elapsed.`;
      onProgress?.({
        fraction: i / steps,
        text,
        loadedBytes,
        totalBytes: FAKE_MODEL_BYTES,
        elapsedMs,
        phase: cached ? 'cache' : 'fetch',
      });
    }
    // Then, like web-llm, the GPU shaders compile, reported with a fraction that starts again near 0.
    const shaders = 4;
    for (let i = 1; i <= shaders; i++) {
      await this.#loadStep(duration / (2 * steps));
      onProgress?.({
        fraction: i / shaders,
        text: `Loading GPU shader modules[${i}/${shaders}]: ${Math.round((100 * i) / shaders)}% completed, 0 secs elapsed.`,
        elapsedMs: performance.now() - started,
        phase: 'shader',
      });
    }
    localStorage.setItem(CACHE_KEY + modelId, '1');
    localStorage.removeItem(PARTIAL_KEY + modelId);
    this.#loaded = modelId;
    this.#rendering = source.promptRendering ?? 'template';
    this.#cached = undefined;
    return { modelId, elapsedMs: performance.now() - started, fromCache: cached };
  }

  /** The browser cache is emulated with localStorage keys, so a reload keeps what was "downloaded". */
  async cacheStatus(models: ModelSource[]): Promise<CachedModelInfo[]> {
    window.__callamaFake?.cacheQueries.push(models.map(modelIdOf));
    return models.map((model) => {
      const modelId = modelIdOf(model);
      const cached = localStorage.getItem(CACHE_KEY + modelId) !== null;
      const partialBytes = Number(localStorage.getItem(PARTIAL_KEY + modelId));
      if (!cached && partialBytes > 0) {
        return {
          modelId,
          cached,
          bytes: partialBytes,
          partial: { cachedBytes: partialBytes, totalBytes: FAKE_MODEL_BYTES },
        };
      }
      return { modelId, cached, ...(cached ? { bytes: FAKE_MODEL_BYTES } : {}) };
    });
  }

  async deleteCachedModel(model: ModelSource): Promise<void> {
    const modelId = modelIdOf(model);
    localStorage.removeItem(CACHE_KEY + modelId);
    localStorage.removeItem(PARTIAL_KEY + modelId);
  }

  /** In a method, so that TypeScript does not take the cleared flags as fixed across the awaits below. */
  #begin(): void {
    this.#interrupted = false;
    this.#crashed = null;
    this.#generating = true;
  }

  async unload(): Promise<void> {
    this.#loaded = null;
  }

  onDeviceLost(listener: (message: string) => void): () => void {
    this.#deviceLostListeners.add(listener);
    return () => this.#deviceLostListeners.delete(listener);
  }

  async tokenize(text: string): Promise<TokenizeResult> {
    if (!this.#loaded) throw new NamedError('EngineNotLoadedError', 'Load a model before tokenizing.');
    return fakeTokenize(text);
  }

  /** Waits until release() or Stop (see FakeRule.holdAfter). */
  #hold(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#resumeHeld = resolve;
    });
  }

  interrupt(): void {
    if (this.#generating && window.__callamaFake?.hangAfterStop) this.#stuck = true;
    this.#interrupted = true;
    this.#releaseHung?.('abort');
    window.__callamaFake?.release();
  }

  async generate(request: GenerateRequest, onDelta?: (delta: string, text: string) => void): Promise<GenerateResult> {
    if (!this.#loaded) throw new NamedError('EngineNotLoadedError', 'No model is loaded.');
    const script = this.script();
    // Logged whole, so a test sees a raw prompt's responseFormat (the constrained request) too.
    (window.__CALLAMA_FAKE_LOG__ ??= []).push(request);
    // The worker's rule (workerHost.ts #stream): a grammar on a raw prompt needs a model loaded raw,
    // chat messages need one loaded with its template.
    const needed = request.api === 'chat' ? 'template' : request.responseFormat ? 'raw' : undefined;
    if (needed && needed !== this.#rendering) {
      throw new NamedError(
        'PromptRenderingMismatchError',
        `${this.#loaded} was loaded with promptRendering '${this.#rendering}'; this request needs '${needed}'.`,
      );
    }
    if (script.generateError) throw new NamedError(script.generateError.name, script.generateError.message);

    if (this.#stuck) return this.#hang();

    const prompt = promptText(request);
    const rule = (script.rules ?? []).find((r) => new RegExp(r.match, r.flags).test(prompt));
    const reply = rule?.reply ?? 'I am the test double and have no scripted reply for this prompt.';
    const pieces = reply.match(/\s*\S+|\s+/g) ?? [];
    // Marks for a trace (bench/stream.bench.ts): the main thread's work between them is the stream's.
    const started = performance.mark('callama-fake:stream-start').startTime;
    const pace = pacer(script, started);
    let firstTokenAt = 0;
    let text = '';
    const holds = [rule?.holdAfter ?? []].flat();
    this.#begin();
    for (const [i, piece] of pieces.entries()) {
      await pace(i);
      if (this.#crashed !== null) {
        this.#generating = false;
        throw new NamedError('WorkerCrashedError', this.#crashed);
      }
      if (this.#interrupted) break;
      text += piece;
      firstTokenAt ||= performance.now();
      onDelta?.(piece, text);
      // One pause per word at most: a second text reached by the same word pauses after the next.
      if (holds[0] !== undefined && text.includes(holds[0])) {
        holds.shift();
        await this.#hold();
      }
    }
    this.#generating = false;
    performance.mark('callama-fake:stream-end');
    if (window.__callamaFake)
      (window.__callamaFake.streams ??= []).push({
        startedAt: started,
        firstTokenAt,
        endedAt: performance.now(),
        tokens: pieces.length,
      });
    const finishReason = this.#interrupted ? 'abort' : rule?.truncate ? 'length' : 'stop';
    this.#interrupted = false;
    const seconds = (performance.now() - started) / 1000;
    const tokens = promptReuse(prompt, this.#cached);
    // As web-llm: an answer cut by Stop or the token limit leaves nothing to continue from.
    this.#cached =
      finishReason !== 'stop'
        ? undefined
        : request.api === 'completion'
          ? prompt + text
          : promptText({ ...request, messages: [...request.messages, { role: 'assistant', content: text }] });
    const stats: GenerationStats = {
      promptTokens: tokens.read,
      promptTokensReused: tokens.reused,
      completionTokens: pieces.length,
      timeToFirstTokenS: (firstTokenAt - started) / 1000,
      prefillTokensPerS: 250,
      decodeTokensPerS: pieces.length / Math.max(seconds, 0.001),
      e2eLatencyS: seconds,
    };
    return { text, finishReason, stats };
  }

  /** A generation behind the stuck lock: no token, ever; only a Stop or a restart ends it. */
  #hang(): Promise<GenerateResult> {
    return new Promise<GenerateResult>((resolve, reject) => {
      this.#releaseHung = (how) => {
        this.#releaseHung = null;
        if (how === 'abort') resolve({ text: '', finishReason: 'abort' });
        else reject(new NamedError('WorkerCrashedError', 'The engine was restarted.'));
      };
    });
  }
}
