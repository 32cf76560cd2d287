/**
 * What the browser holds for the model picker: which models are cached (and their size), storage
 * usage/quota, and whether storage is persistent. Cache questions go to the engine (its worker owns
 * web-llm's cache helpers); `navigator.storage` is asked here, on the main thread.
 */
import { modelIdOf, type CachedModelInfo, type Engine, type ModelSource } from '../../../engine/engine.ts';
import { requestPersistentStorage, storageInfo, type StorageInfo } from '../../../engine/cache.ts';
import { errorMessage } from '../../../lib/errors.ts';

export class ModelCacheState {
  readonly #engine: Pick<Engine, 'cacheStatus' | 'deleteCachedModel'>;
  readonly #onRemoved: ((modelId: string) => void) | undefined;
  #status = $state.raw<Record<string, CachedModelInfo>>({});
  #storage = $state.raw<StorageInfo | null>(null);
  #error = $state<string | null>(null);
  #busy = $state(false);
  #removedCount = $state(0);

  /** `onRemoved` hears of each deleted model (the app then stops loading it on start). */
  constructor(engine: Pick<Engine, 'cacheStatus' | 'deleteCachedModel'>, onRemoved?: (modelId: string) => void) {
    this.#engine = engine;
    this.#onRemoved = onRemoved;
  }

  get storage(): StorageInfo | null {
    return this.#storage;
  }
  get error(): string | null {
    return this.#error;
  }
  get busy(): boolean {
    return this.#busy;
  }
  /** How many models were deleted through this state (lets a view say "deleted, try again"). */
  get removedCount(): number {
    return this.#removedCount;
  }
  /** undefined: not known (yet). */
  isCached(modelId: string): boolean | undefined {
    return this.#status[modelId]?.cached;
  }
  get cached(): CachedModelInfo[] {
    return Object.values(this.#status).filter((m) => m.cached);
  }
  /** A download that stopped half-way: what is cached of it (not usable until the rest arrives). */
  partialOf(modelId: string): CachedModelInfo['partial'] {
    const status = this.#status[modelId];
    return status && !status.cached ? status.partial : undefined;
  }
  /** Every model that takes space: complete downloads and stopped ones (both can be deleted). */
  get stored(): CachedModelInfo[] {
    return Object.values(this.#status).filter((m) => m.cached || m.partial);
  }

  async refresh(models: ModelSource[]): Promise<void> {
    this.#busy = true;
    this.#error = null;
    try {
      const [info, statuses] = await Promise.all([storageInfo(), this.#engine.cacheStatus(models)]);
      this.#storage = info;
      this.#status = Object.fromEntries(statuses.map((s) => [s.modelId, s]));
    } catch (e) {
      this.#error = `Could not read the model cache: ${errorMessage(e)}`;
    } finally {
      this.#busy = false;
    }
  }

  async remove(model: ModelSource): Promise<void> {
    const modelId = modelIdOf(model);
    this.#busy = true;
    this.#error = null;
    try {
      await this.#engine.deleteCachedModel(model);
      this.#onRemoved?.(modelId);
      this.#status = { ...this.#status, [modelId]: { modelId, cached: false } };
      this.#removedCount++;
      this.#storage = await storageInfo();
    } catch (e) {
      this.#error = `Could not delete ${modelId}: ${errorMessage(e)}`;
    } finally {
      this.#busy = false;
    }
  }

  async persist(): Promise<void> {
    const persisted = await requestPersistentStorage();
    this.#storage = { ...(this.#storage ?? {}), persisted };
    if (!persisted)
      this.#error = 'The browser did not grant persistent storage; cached models may be evicted when space runs low.';
  }
}
