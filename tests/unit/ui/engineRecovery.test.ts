/**
 * EngineState when the engine fails under it: a lost GPU device (recovery on a new worker), a dead
 * worker (restart on the next message), a full disk (the space needed and free), and a file that fails
 * its integrity hash (the model's cached files are deleted).
 */
import { describe, expect, it } from 'vitest';
import { EngineState, resolveModel, type ModelLookup } from '../../../src/ui/state/engine.svelte.ts';
import { assessGpu } from '../../../src/engine/gpu.ts';
import { LastModelStore } from '../../../src/ui/state/lastModel.ts';
import { modelIdOf, type LoadProgress, type ModelSource } from '../../../src/engine/engine.ts';
import { InertEngine } from '../../doubles/inertEngine.ts';
import type { GenerateRequest } from '../../../src/lib/types/generation.ts';

const okGpu = assessGpu({
  hasWebGpu: true,
  adapter: {
    features: [],
    limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 },
    info: { vendor: 'test' },
  },
});
const MODEL = 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC';

/** An engine that keeps a log of what happened to it, in order. */
class RecordingEngine extends InertEngine {
  log: string[] = [];
  loaded: string | null = null;
  fail: Error | null = null;
  deleteFails = false;
  #lost = new Set<(m: string) => void>();
  #crash = new Set<(m: string) => void>();
  override async load(source: ModelSource, onProgress?: (p: LoadProgress) => void) {
    this.log.push(`load ${modelIdOf(source)}`);
    onProgress?.({ fraction: 0.5, text: 'Fetching param cache[1/2]: 10MB fetched.', elapsedMs: 5 });
    if (this.fail) throw this.fail;
    this.loaded = modelIdOf(source);
    return { modelId: modelIdOf(source), elapsedMs: 10, fromCache: true };
  }
  override restart() {
    this.log.push('restart');
    this.loaded = null;
  }
  override async deleteCachedModel(model: ModelSource) {
    this.log.push(`delete ${modelIdOf(model)}`);
    if (this.deleteFails) throw new Error('blocked');
  }
  override onDeviceLost(l: (m: string) => void) {
    this.#lost.add(l);
    return () => this.#lost.delete(l);
  }
  override onCrash(l: (m: string) => void) {
    this.#crash.add(l);
    return () => this.#crash.delete(l);
  }
  loseDevice(m: string) {
    this.loaded = null;
    for (const l of this.#lost) l(m);
  }
  crash(m: string) {
    this.loaded = null;
    for (const l of this.#crash) l(m);
  }
  override async generate(_request: GenerateRequest) {
    this.log.push('generate');
    if (!this.loaded) throw Object.assign(new Error('No model is loaded.'), { name: 'EngineNotLoadedError' });
    return { text: 'hi', finishReason: 'stop' as const };
  }
}

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** No custom models and no format overrides: the catalog as it is. */
const catalogOnly: ModelLookup = { formatOverride: () => undefined, findCustom: () => undefined };

async function setup(storage = async () => ({ persisted: false, usage: 9.7e9, quota: 10e9, freeBytes: 3e8 })) {
  const engine = new RecordingEngine();
  const state = new EngineState({
    engine,
    detectGpu: async () => okGpu,
    resolve: (id) => resolveModel(id, catalogOnly),
    formatOverride: catalogOnly.formatOverride,
    lastModel: new LastModelStore(undefined),
    loadLastOnStart: () => false,
    storage,
  });
  await state.checkGpu();
  return { engine, state };
}

describe('EngineState recovery', () => {
  it('after a lost device, reload() starts a new engine before loading the model again', async () => {
    const { engine, state } = await setup();
    await state.load(MODEL);
    engine.loseDevice('Device was lost');
    expect(state.status).toBe('lost');
    await state.reload();
    expect(engine.log).toEqual([`load ${MODEL}`, 'restart', `load ${MODEL}`]);
    expect(state.status).toBe('ready');
  });

  it('a dead worker leaves a notice and the composer usable; the next message reloads the model, then generates', async () => {
    const { engine, state } = await setup();
    await state.load(MODEL);
    engine.crash('worker error');
    expect(state.status).toBe('ready');
    expect(state.notice).toMatchObject({ kind: 'restart-pending' });
    expect(state.notice?.message).toContain('Your next message restarts it');
    const result = await state.generator.generate({ api: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    expect(result.text).toBe('hi');
    expect(engine.log).toEqual([`load ${MODEL}`, `load ${MODEL}`, 'generate']);
    expect(state.notice).toMatchObject({ kind: 'restarted' });
    expect(state.notice?.message).toContain('reloaded from the browser cache');
    // Only once: the following message goes straight to the engine.
    await state.generator.generate({ api: 'chat', messages: [{ role: 'user', content: 'again' }] });
    expect(engine.log.filter((l) => l.startsWith('load'))).toHaveLength(2);
  });

  it("restartEngine (a hung engine, on the user's word) starts a new worker, reloads the model and says so", async () => {
    const { engine, state } = await setup();
    await state.load(MODEL);
    await state.restartEngine();
    expect(engine.log).toEqual([`load ${MODEL}`, 'restart', `load ${MODEL}`]);
    expect(state.status).toBe('ready');
    expect(state.notice).toMatchObject({ kind: 'restarted' });
    expect(state.notice?.message).toContain('reloaded from the browser cache');
    const result = await state.generator.generate({ api: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    expect(result.text).toBe('hi');
  });

  it('restartEngine without a loaded model does nothing', async () => {
    const { engine, state } = await setup();
    await state.restartEngine();
    expect(engine.log).toEqual([]);
  });

  it('a restart whose reload fails fails that message with the load error, not a hang', async () => {
    const { engine, state } = await setup();
    await state.load(MODEL);
    engine.crash('worker error');
    engine.fail = named('NetworkError', 'Failed to fetch https://huggingface.co/x/params_shard_0.bin');
    await expect(
      state.generator.generate({ api: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({ name: 'ModelLoadError' });
    expect(state.status).toBe('error');
  });

  it('a full disk says how much the model needs and how much is free', async () => {
    const { engine, state } = await setup();
    engine.fail = named('QuotaExceededError', 'The quota has been exceeded.');
    await state.load(MODEL);
    expect(state.status).toBe('error');
    expect(state.error).toMatchObject({ name: 'QuotaExceededError', space: { freeBytes: 3e8, quotaBytes: 10e9 } });
    expect(state.error?.space?.neededBytes).toBeGreaterThan(5e8);
  });

  it('a file that fails its integrity hash gets the whole model deleted from the cache', async () => {
    const { engine, state } = await setup();
    engine.fail = named(
      'IntegrityError',
      'Integrity verification failed for https://h/tokenizer.json\n  Expected: sha256-A\n  Actual: sha256-B',
    );
    await state.load(MODEL);
    expect(engine.log).toEqual([`load ${MODEL}`, `delete ${MODEL}`]);
    expect(state.error).toMatchObject({
      name: 'ModelIntegrityError',
      message: 'https://h/tokenizer.json does not match its integrity hash; nothing was kept.',
    });
    expect(state.error?.advice).toContain('Expected sha256-A, got sha256-B');
  });

  it('says so when the bad files could not be deleted', async () => {
    const { engine, state } = await setup();
    engine.fail = named('IntegrityError', 'Integrity verification failed for https://h/tokenizer.json');
    engine.deleteFails = true;
    await state.load(MODEL);
    expect(state.error?.message).toMatch(/could not be deleted: delete them under Models → Storage/);
  });
});
