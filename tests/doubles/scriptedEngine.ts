/**
 * An engine for unit tests in Node: answers each generation with the next scripted reply (then with
 * `fallback`), records every request and load, and can report a lost GPU or a dead worker the way
 * WorkerEngine does (`loseDevice()`, `crash()`).
 */
import { modelIdOf, type LoadResult, type ModelSource } from '../../src/engine/engine.ts';
import type { GenerateRequest, GenerateResult } from '../../src/lib/types/generation.ts';
import { InertEngine } from './inertEngine.ts';

export class ScriptedEngine extends InertEngine {
  requests: GenerateRequest[] = [];
  loads = 0;
  restarts = 0;
  #deviceLost: ((message: string) => void)[] = [];
  #crashed: ((message: string) => void)[] = [];

  constructor(
    private readonly replies: string[] = [],
    private readonly options: { loadError?: Error; fallback?: string } = {},
  ) {
    super();
  }

  /** What each load was asked for. */
  sources: ModelSource[] = [];

  override async load(source: ModelSource): Promise<LoadResult> {
    this.loads++;
    this.sources.push(source);
    if (this.options.loadError) throw this.options.loadError;
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
