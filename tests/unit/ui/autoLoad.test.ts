import { describe, expect, it } from 'vitest';
import { decideAutoLoad, lookupCached, type AutoLoadInput } from '../../../src/ui/state/autoLoad.ts';
import { findModel, whyNotRunnable } from '../../../src/engine/catalog.ts';
import { LastModelStore, LAST_MODEL_KEY } from '../../../src/ui/state/lastModel.ts';
import type { CachedModelInfo, ModelSource } from '../../../src/engine/engine.ts';

const F32 = 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC';
const F16 = 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC';

/** A catalog model as resolveModel describes it, with the catalog's real runnability rule. */
function catalogCandidate(id: string) {
  const entry = findModel(id);
  if (!entry) throw new Error(`${id} is not in the catalog`);
  return { whyNotRunnable: (gpu: Parameters<typeof whyNotRunnable>[1]) => whyNotRunnable(entry, gpu) };
}

const okGpu = { status: 'ok' as const, hasF16: false, maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 };

function input(patch: Partial<AutoLoadInput> = {}): AutoLoadInput {
  return { enabled: true, lastModelId: F32, gpu: okGpu, model: catalogCandidate(F32), cached: true, ...patch };
}

describe('decideAutoLoad', () => {
  it('loads the last model when it is cached, runnable and the setting is on', () => {
    expect(decideAutoLoad(input())).toEqual({ load: true, modelId: F32 });
  });

  it('never loads a model that is not in the cache (that would be a download)', () => {
    expect(decideAutoLoad(input({ cached: false }))).toEqual({ load: false, reason: 'not-cached' });
  });

  it('never loads a partly downloaded model: that would download the rest unasked', () => {
    expect(decideAutoLoad(input({ cached: 'partial' }))).toEqual({ load: false, reason: 'partly-cached' });
  });

  it('does not guess when the cache cannot be read', () => {
    expect(decideAutoLoad(input({ cached: undefined }))).toEqual({ load: false, reason: 'cache-unknown' });
  });

  it('waits for the user on a first visit (no last model)', () => {
    expect(decideAutoLoad(input({ lastModelId: null }))).toEqual({ load: false, reason: 'no-last-model' });
  });

  it('respects the setting, even for a cached model', () => {
    expect(decideAutoLoad(input({ enabled: false }))).toEqual({ load: false, reason: 'disabled' });
  });

  it('does nothing without a usable GPU', () => {
    expect(decideAutoLoad(input({ gpu: null })).load).toBe(false);
    expect(decideAutoLoad(input({ gpu: { ...okGpu, status: 'no-adapter' } }))).toEqual({
      load: false,
      reason: 'no-gpu',
    });
  });

  it('skips a model that no longer exists (removed custom model)', () => {
    expect(decideAutoLoad(input({ lastModelId: 'my-removed-model', model: undefined }))).toEqual({
      load: false,
      reason: 'unknown-model',
    });
  });

  it('skips a model this GPU cannot run, and says why', () => {
    const decision = decideAutoLoad(input({ lastModelId: F16, model: catalogCandidate(F16) }));
    expect(decision).toMatchObject({ load: false, reason: 'not-runnable' });
    expect(!decision.load && decision.detail).toContain('shader-f16');
    // The same model on a GPU with shader-f16 is loaded.
    expect(
      decideAutoLoad(input({ lastModelId: F16, model: catalogCandidate(F16), gpu: { ...okGpu, hasF16: true } })),
    ).toEqual({ load: true, modelId: F16 });
  });
});

describe('lookupCached', () => {
  const source: ModelSource = { kind: 'catalog', id: F32 };
  const engine = (answer: () => Promise<CachedModelInfo[]>) => ({ cacheStatus: answer });

  it("returns the engine's answer for that model", async () => {
    expect(
      await lookupCached(
        engine(async () => [{ modelId: F32, cached: true }]),
        source,
      ),
    ).toBe(true);
    expect(
      await lookupCached(
        engine(async () => [{ modelId: F32, cached: false }]),
        source,
      ),
    ).toBe(false);
    expect(
      await lookupCached(
        engine(async () => [{ modelId: 'other', cached: true }]),
        source,
      ),
    ).toBeUndefined();
  });

  it("says 'partial' for a download that stopped half-way, never true", async () => {
    const partial = await lookupCached(
      engine(async () => [{ modelId: F32, cached: false, partial: { cachedBytes: 4e8, totalBytes: 9e8 } }]),
      source,
    );
    expect(partial).toBe('partial');
    expect(decideAutoLoad(input({ cached: partial })).load).toBe(false);
  });

  it('is unknown when the engine fails, or does not answer in time', async () => {
    expect(
      await lookupCached(
        engine(async () => Promise.reject(new Error('blocked'))),
        source,
      ),
    ).toBeUndefined();
    expect(
      await lookupCached(
        engine(() => new Promise(() => undefined)),
        source,
        20,
      ),
    ).toBeUndefined();
  });
});

describe('LastModelStore', () => {
  function memoryStorage(): Storage {
    const data = new Map<string, string>();
    return {
      get length() {
        return data.size;
      },
      clear: () => data.clear(),
      getItem: (k) => data.get(k) ?? null,
      key: (i) => [...data.keys()][i] ?? null,
      removeItem: (k) => void data.delete(k),
      setItem: (k, v) => void data.set(k, v),
    };
  }

  it('remembers one id across instances and forgets it only for that id', () => {
    const storage = memoryStorage();
    new LastModelStore(storage).set(F32);
    const again = new LastModelStore(storage);
    expect(again.get()).toBe(F32);
    expect(storage.getItem(LAST_MODEL_KEY)).toBe(F32);
    again.forget('some-other-model');
    expect(again.get()).toBe(F32);
    again.forget(F32);
    expect(new LastModelStore(storage).get()).toBeNull();
  });

  it('acts as a first visit when storage is missing or throws', () => {
    expect(new LastModelStore(undefined).get()).toBeNull();
    const blocked = Object.assign(memoryStorage(), {
      getItem: () => {
        throw new Error('SecurityError');
      },
    });
    expect(new LastModelStore(blocked).get()).toBeNull();
  });
});
