/**
 * Main-thread engine client: runs web-llm in a Web Worker (worker.ts) behind the Engine interface.
 *
 * - Requests carry a crypto.randomUUID id; replies settle the matching entry of a pending map (never
 *   "the next reply"), progress and deltas go to that request's callbacks.
 * - Errors come back as `{name, message, data}` and are rebuilt into our classes (errorWire.ts).
 * - interrupt(): web-llm only notices an interrupt between decode steps, and a step (or a long
 *   prefill) can take seconds on a slow GPU. So besides asking the worker to stop, the client settles
 *   the generation itself after INTERRUPT_GRACE_MS with finishReason 'abort' and the text streamed so
 *   far, and ignores whatever that request still sends. The worker keeps generations in order (web-llm
 *   locks the model), so the next request simply runs after the abandoned one has stopped.
 * - The worker is created on first use, so loading the app does not fetch web-llm.
 * - A worker that dies (an `error` event, an unreadable message, a postMessage that throws) is
 *   terminated; everything it had not answered fails with WorkerCrashedError, crash listeners hear of
 *   it, and the next request starts a new worker. `restart()` does the same on purpose (after a lost
 *   GPU device) without telling the crash listeners.
 * - cancelLoad(): web-llm's reload can only be aborted by an unload() that the worker would queue
 *   behind the very load it should stop, and the fetches of a shard already under way would go on.
 *   So the client ends the worker, as restart() does: every fetch stops with it, the load fails with
 *   LoadCancelledError, and the shards web-llm had stored stay in the Cache API for the next load.
 * - A lost device ends the running generation at once as 'abort' with the text streamed so far: the
 *   GPU is gone, so nothing more will come, and the answer is kept as a stopped one.
 */
import type { CachedModelInfo, Engine, LoadProgress, LoadResult, ModelSource, TokenizeResult } from './engine.ts';
import type { GenerateRequest, GenerateResult } from '../lib/types/generation.ts';
import type { RequestBody, RequestKind, ResultMap, WorkerReply, WorkerRequest } from './protocol.ts';
import { LoadCancelledError, WorkerCrashedError } from './errors.ts';
import { deserializeError } from './errorWire.ts';
import { errorMessage } from '../lib/errors.ts';

/** Settle an interrupted generation locally after this long, even if the worker is mid-step. */
export const INTERRUPT_GRACE_MS = 150;

/** The parts of a Worker the client uses (tests pass an in-process fake). */
export interface WorkerPort {
  postMessage(message: WorkerRequest): void;
  onReply(listener: (reply: WorkerReply) => void): void;
  onCrash(listener: (message: string) => void): void;
  terminate(): void;
}

export function createWorkerPort(): WorkerPort {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'callama-engine' });
  return {
    postMessage: (m) => worker.postMessage(m),
    onReply: (l) => worker.addEventListener('message', (e: MessageEvent<WorkerReply>) => l(e.data)),
    onCrash: (l) => {
      worker.addEventListener('error', (e) => l(e.message || 'The engine worker failed to start or crashed.'));
      worker.addEventListener('messageerror', () => l('A message from the engine worker could not be read.'));
    },
    terminate: () => worker.terminate(),
  };
}

interface Pending {
  kind: RequestKind;
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (p: LoadProgress) => void;
  onDelta?: (delta: string, text: string) => void;
  /** Generation text so far (kept to settle an interrupted generation locally). */
  text: string;
}

export class WorkerEngine implements Engine {
  #makePort: () => WorkerPort;
  #port: WorkerPort | undefined;
  #pending = new Map<string, Pending>();
  #generating: string | undefined;
  /** Generations settled locally after an interrupt whose own end the worker has not reported yet. */
  #abandoned = new Set<string>();
  #deviceLostListeners = new Set<(message: string) => void>();
  #crashListeners = new Set<(message: string) => void>();

  constructor(makePort: () => WorkerPort = createWorkerPort) {
    this.#makePort = makePort;
  }

  /** @throws WebGPUNotAvailableError, ShaderF16NotSupportedError, ModelLibraryMismatchError, NetworkError, QuotaExceededError, DeviceLostError, ModelLoadError */
  load(source: ModelSource, onProgress?: (p: LoadProgress) => void): Promise<LoadResult> {
    return this.#call('load', { source }, onProgress ? { onProgress } : {});
  }

  unload(): Promise<void> {
    return this.#call('unload', {}).then(() => undefined);
  }

  /** @throws EngineNotLoadedError, GenerationError, DeviceLostError */
  generate(request: GenerateRequest, onDelta?: (delta: string, text: string) => void): Promise<GenerateResult> {
    return this.#call('generate', { request }, onDelta ? { onDelta } : {});
  }

  interrupt(): void {
    const id = this.#generating;
    if (id === undefined || !this.#port) return;
    this.#call('interrupt', { target: id }).catch(() => undefined);
    setTimeout(() => {
      const p = this.#pending.get(id);
      if (!p) return;
      this.#pending.delete(id);
      if (this.#generating === id) this.#generating = undefined;
      this.#abandoned.add(id);
      p.resolve({ text: p.text, finishReason: 'abort' } satisfies GenerateResult);
    }, INTERRUPT_GRACE_MS);
  }

  /** A generation settled locally after an interrupt is still running in the worker (which holds web-llm's lock). */
  finishingStopped(): boolean {
    return this.#abandoned.size > 0;
  }

  onDeviceLost(listener: (message: string) => void): () => void {
    this.#deviceLostListeners.add(listener);
    return () => this.#deviceLostListeners.delete(listener);
  }

  cacheStatus(models: ModelSource[]): Promise<CachedModelInfo[]> {
    return this.#call('cacheStatus', { models });
  }

  deleteCachedModel(model: ModelSource): Promise<void> {
    return this.#call('cacheDelete', { model }).then(() => undefined);
  }

  tokenize(text: string): Promise<TokenizeResult> {
    return this.#call('tokenize', { text });
  }

  onCrash(listener: (message: string) => void): () => void {
    this.#crashListeners.add(listener);
    return () => this.#crashListeners.delete(listener);
  }

  /** Drops the worker (and its GPU device); the next request starts a new one. */
  restart(): void {
    this.#crash('The engine was restarted.', false);
  }

  /** Ends the worker while it loads (see the header); the next request starts a new one. */
  cancelLoad(): void {
    const loading = [...this.#pending.values()].some((p) => p.kind === 'load');
    if (loading) this.#crash('The download was cancelled.', false, true);
  }

  /** Stops the worker; pending requests fail. A later call starts a new worker. */
  dispose(): void {
    this.#crash('The engine was shut down.', false);
  }

  #ensurePort(): WorkerPort {
    if (this.#port) return this.#port;
    const port = this.#makePort();
    port.onReply((reply) => this.#onReply(reply));
    port.onCrash((message) => this.#crash(message));
    this.#port = port;
    return port;
  }

  #call<K extends RequestKind>(
    kind: K,
    body: RequestBody<K>,
    callbacks: { onProgress?: (p: LoadProgress) => void; onDelta?: (delta: string, text: string) => void } = {},
  ): Promise<ResultMap[K]> {
    const port = this.#ensurePort();
    const id = crypto.randomUUID();
    return new Promise<ResultMap[K]>((resolve, reject) => {
      // The map holds entries of every kind; each is settled only by its own reply kind.
      this.#pending.set(id, { kind, resolve, reject, text: '', ...callbacks });
      if (kind === 'generate') this.#generating = id;
      try {
        // A generic K cannot be narrowed to one member of the union; kind and body were typed together above.
        port.postMessage({ ...body, kind, id } as WorkerRequest);
      } catch (e) {
        // A worker that cannot take messages any more is as good as dead.
        this.#crash(`A request could not be sent to the engine worker: ${errorMessage(e)}`);
      }
    });
  }

  #onReply(reply: WorkerReply): void {
    if (reply.kind === 'deviceLost') {
      // A loss during a load is reported by that load's own DeviceLostError.
      const loading = [...this.#pending.values()].some((p) => p.kind === 'load');
      if (loading) return;
      for (const [id, p] of this.#pending) {
        if (p.kind !== 'generate') continue;
        this.#settle(id);
        p.resolve({ text: p.text, finishReason: 'abort' } satisfies GenerateResult);
      }
      for (const l of this.#deviceLostListeners) l(reply.message);
      return;
    }
    const p = this.#pending.get(reply.id);
    if (!p) {
      // Abandoned (interrupted) or unknown: nothing waits for it any more, but its end frees the worker.
      if (reply.kind === 'result' || reply.kind === 'error') this.#abandoned.delete(reply.id);
      return;
    }
    switch (reply.kind) {
      case 'progress':
        p.onProgress?.(reply.progress);
        return;
      case 'delta':
        p.text += reply.delta;
        p.onDelta?.(reply.delta, p.text);
        return;
      case 'result':
        this.#settle(reply.id);
        p.resolve(reply.result);
        return;
      case 'error':
        this.#settle(reply.id);
        p.reject(deserializeError(reply.error));
        return;
    }
  }

  #settle(id: string): void {
    this.#pending.delete(id);
    if (this.#generating === id) this.#generating = undefined;
  }

  #crash(message: string, notify = true, cancelled = false): void {
    const hadWorker = this.#port !== undefined;
    this.#port?.terminate();
    this.#port = undefined;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#generating = undefined;
    this.#abandoned.clear();
    for (const p of pending) {
      p.reject(
        cancelled && p.kind === 'load'
          ? new LoadCancelledError(message)
          : new WorkerCrashedError(message, { workerCrashed: true, request: p.kind }),
      );
    }
    if (notify && hadWorker) for (const l of this.#crashListeners) l(message);
  }
}
