/**
 * An engine for unit tests in Node: answers each generation with the next scripted reply (then with
 * `fallback`), records every request and load, and can report a lost GPU or a dead worker the way
 * WorkerEngine does (`loseDevice()`, `crash()`). With `holdLoads`, a load waits until `finishLoad()` or
 * `cancelLoad()` (which fails it with LoadCancelledError, as WorkerEngine's does).
 */
import { modelIdOf, type LoadResult, type ModelSource } from '../../src/engine/engine.ts';
import type { GenerateRequest, GenerateResult } from '../../src/lib/types/generation.ts';
import { InertEngine } from './inertEngine.ts';
import { LoadCancelledError } from '../../src/engine/errors.ts';

export class ScriptedEngine extends InertEngine {
  requests: GenerateRequest[] = [];
  loads = 0;
  restarts = 0;
  cancels = 0;
  #held: { resolve: () => void; reject: (e: Error) => void } | null = null;
  #deviceLost: ((message: string) => void)[] = [];
  #crashed: ((message: string) => void)[] = [];

  constructor(
    private readonly replies: string[] = [],
    private readonly options: { loadError?: Error; fallback?: string; holdLoads?: boolean } = {},
  ) {
    super();
  }

  /** What each load was asked for. */
  sources: ModelSource[] = [];

  override async load(source: ModelSource): Promise<LoadResult> {
    this.loads++;
    this.sources.push(source);
    if (this.options.loadError) throw this.options.loadError;
    if (this.options.holdLoads) {
      await new Promise<void>((resolve, reject) => {
        this.#held = { resolve, reject };
      });
    }
    return { modelId: modelIdOf(source), elapsedMs: 1, fromCache: false };
  }
  override onDeviceLost(listener: (message: string) => void): () => void {
    this.#deviceLost.push(listener);
    return () => {};
  }
  override onCrash(listener: (message: string) => void): () => void {
    this.#crashed.push(listener);
    return () => {};
  }
  /** Ends a held load successfully. */
  finishLoad(): void {
    this.#held?.resolve();
    this.#held = null;
  }
  override cancelLoad(): void {
    if (!this.#held) return;
    this.cancels++;
    this.#held.reject(new LoadCancelledError('The download was cancelled.'));
    this.#held = null;
  }
  override restart(): void {
    this.restarts++;
  }
  override async generate(request: GenerateRequest, onDelta?: (d: string, t: string) => void): Promise<GenerateResult> {
    this.requests.push(request);
    const text = this.replies.shift() ?? this.options.fallback ?? 'no more replies';
    onDelta?.(text, text);
    return { text, finishReason: 'stop' };
  }

  loseDevice(message = 'Device was lost'): void {
    for (const listener of this.#deviceLost) listener(message);
  }
  crash(message = 'worker error'): void {
    for (const listener of this.#crashed) listener(message);
  }
}
