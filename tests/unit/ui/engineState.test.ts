// Every test builds its own EngineState around a scripted engine, with its own settings and custom models.
import { describe, expect, it, vi } from 'vitest';
import {
  EngineState,
  promptRenderingFor,
  resolveModel,
  type ModelLookup,
} from '../../../src/ui/state/engine.svelte.ts';
import { assessGpu } from '../../../src/engine/gpu.ts';
import { LastModelStore } from '../../../src/ui/state/lastModel.ts';
import { SettingsState } from '../../../src/ui/state/settings.svelte.ts';
import { CustomModelsState } from '../../../src/ui/state/customModels.svelte.ts';
import { modelIdOf, type CachedModelInfo, type LoadProgress, type ModelSource } from '../../../src/engine/engine.ts';
import { InertEngine } from '../../doubles/inertEngine.ts';

const okGpu = assessGpu({
  hasWebGpu: true,
  adapter: {
    features: [],
    limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 },
    info: { vendor: 'test' },
  },
});

class ScriptedEngine extends InertEngine {
  loads: ModelSource[] = [];
  fail: Error | null = null;
  delayMs = 0;
  /** What the next load reports: whether its files were all cached before it, and its progress text. */
  fromCache = false;
  progressText = 'Fetching param cache[1/2]: 10MB fetched.';
  /** Model ids the emulated browser cache holds. */
  cached = new Set<string>();
  cacheQueries: string[][] = [];
  override async cacheStatus(models: ModelSource[]): Promise<CachedModelInfo[]> {
    this.cacheQueries.push(models.map(modelIdOf));
    return models.map((m) => ({ modelId: modelIdOf(m), cached: this.cached.has(modelIdOf(m)) }));
  }
  #lost = new Set<(m: string) => void>();
  override async load(source: ModelSource, onProgress?: (p: LoadProgress) => void) {
    this.loads.push(source);
    onProgress?.({
      fraction: 0.5,
      text: this.progressText,
      elapsedMs: 5,
      loadedBytes: 10e6,
      totalBytes: 20e6,
    });
    await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.fail) throw this.fail;
    return { modelId: modelIdOf(source), elapsedMs: 1234, fromCache: this.fromCache };
  }
  override onDeviceLost(l: (m: string) => void) {
    this.#lost.add(l);
    return () => this.#lost.delete(l);
  }
  loseDevice(m: string) {
    for (const l of this.#lost) l(m);
  }
}

const MODEL = 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC';

/** A Map-backed Storage, as localStorage behaves. */
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

/** The user's format overrides and custom models, as the app's root wires them into the engine state. */
function userModels() {
  const settings = new SettingsState(memoryStorage());
  const customModels = new CustomModelsState(memoryStorage());
  const lookup: ModelLookup = {
    formatOverride: (id) => settings.formatOverride(id),
    findCustom: (id) => customModels.find(id),
  };
  return { settings, resolve: (id: string) => resolveModel(id, lookup), formatOverride: lookup.formatOverride };
}

async function setup(gpu = okGpu, opts: { storage?: Storage; loadLastOnStart?: boolean } = {}) {
  const engine = new ScriptedEngine();
  const lastModel = new LastModelStore(opts.storage ?? memoryStorage());
  const { settings, resolve, formatOverride } = userModels();
  const state = new EngineState({
    engine,
    detectGpu: async () => gpu,
    resolve,
    formatOverride,
    lastModel,
    loadLastOnStart: () => opts.loadLastOnStart ?? true,
  });
  await state.checkGpu();
  return { engine, state, lastModel, settings };
}

describe('EngineState', () => {
  it('is idle after a successful GPU check and unsupported without WebGPU', async () => {
    expect((await setup()).state.status).toBe('idle');
    const { state } = await setup(assessGpu({ hasWebGpu: false, adapter: null }));
    expect(state.status).toBe('unsupported');
    expect(state.gpu?.reason).toMatch(/does not offer WebGPU/);
  });

  it('loads a catalog model: progress while loading, then ready with the time it took', async () => {
    const { engine, state } = await setup();
    engine.delayMs = 300; // long enough to see the progress on a busy machine
    const done = state.load(MODEL);
    expect(state.status).toBe('loading');
    expect(state.model).toMatchObject({ id: MODEL, formatId: 'hermes' });
    await vi.waitFor(() => expect(state.progress?.fraction).toBe(0.5), { interval: 5 });
    await done;
    expect(state.status).toBe('ready');
    expect(state.lastLoadMs).toBe(1234);
    expect(state.progress).toBeNull();
    expect(engine.loads).toEqual([{ kind: 'catalog', id: MODEL, promptRendering: 'template' }]);
  });

  it('takes "loaded from the browser cache" from the engine\'s load result, never from its progress text', async () => {
    const { engine, state } = await setup();
    // The scripted progress says "Fetching", yet the engine found every file cached before the load.
    engine.fromCache = true;
    await state.load(MODEL);
    expect(state.lastLoadFromCache).toBe(true);
    // And a progress text that mentions the cache does not make a download count as one.
    engine.fromCache = false;
    engine.progressText = 'Loading model from cache[1/2]: 10MB loaded.';
    await state.load(MODEL);
    expect(state.lastLoadFromCache).toBe(false);
  });

  it('never throws on a failed load: a LinkError becomes a plain-words library mismatch with advice', async () => {
    const { engine, state } = await setup();
    const link = new Error(
      'WebAssembly.instantiate(): Import #3 "env" "TVMFFIEnvSetStream": function import requires a callable',
    );
    link.name = 'LinkError';
    engine.fail = link;
    await expect(state.load(MODEL)).resolves.toBeUndefined();
    expect(state.status).toBe('error');
    expect(state.error?.name).toBe('ModelLibraryMismatchError');
    expect(state.error?.message).toContain('different web-llm version');
    expect(state.error?.advice).toContain('0.2.86');
    engine.fail = null;
    await state.reload();
    expect(state.status).toBe('ready');
    expect(state.error).toBeNull();
  });

  it('refuses an unknown model id with a reason, without calling the engine', async () => {
    const { engine, state } = await setup();
    await state.load('no-such-model');
    expect(state.status).toBe('error');
    expect(state.error?.message).toContain('no-such-model');
    expect(engine.loads).toEqual([]);
  });

  it('ignores the result of a load that a newer load replaced', async () => {
    const { engine, state } = await setup();
    engine.delayMs = 30;
    const first = state.load(MODEL);
    engine.delayMs = 0;
    const other = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
    await state.load(other);
    await first;
    expect(state.model?.id).toBe(other);
    expect(state.status).toBe('ready');
  });

  it('a lost device moves to "lost" and reload() loads the same model again', async () => {
    const { engine, state } = await setup();
    await state.load(MODEL);
    engine.loseDevice('out of memory');
    expect(state.status).toBe('lost');
    expect(state.lostMessage).toBe('out of memory');
    await state.reload();
    expect(state.status).toBe('ready');
    expect(engine.loads.length).toBe(2);
  });

  it('does not load while the GPU is unsupported', async () => {
    const { engine, state } = await setup(assessGpu({ hasWebGpu: true, adapter: null }));
    await state.load(MODEL);
    expect(state.status).toBe('unsupported');
    expect(engine.loads).toEqual([]);
  });
});

describe('EngineState: the last model on start', () => {
  /** A previous visit that loaded MODEL (so it is remembered and, unless told otherwise, cached). */
  async function previousVisit(cached = true) {
    const storage = memoryStorage();
    const first = await setup(okGpu, { storage });
    await first.state.load(MODEL);
    const next = await setup(okGpu, { storage });
    if (cached) next.engine.cached.add(MODEL);
    return { storage, ...next };
  }

  it('remembers a model only once it loaded successfully', async () => {
    const { engine, state, lastModel } = await setup();
    engine.fail = new Error('quota exceeded');
    await state.load(MODEL);
    expect(lastModel.get()).toBeNull();
    engine.fail = null;
    await state.load(MODEL);
    expect(lastModel.get()).toBe(MODEL);
  });

  it('loads the last model by itself when it is in the browser cache, with the usual progress', async () => {
    const { engine, state } = await previousVisit();
    engine.delayMs = 20;
    const resumed = state.resumeLastModel();
    expect(state.resuming?.id).toBe(MODEL);
    await new Promise((r) => setTimeout(r, 5));
    expect(state.status).toBe('loading');
    expect(state.progress).not.toBeNull();
    expect(await resumed).toEqual({ load: true, modelId: MODEL });
    expect(state.status).toBe('ready');
    expect(state.model?.id).toBe(MODEL);
    expect(state.resuming).toBeNull();
    expect(engine.loads).toEqual([{ kind: 'catalog', id: MODEL, promptRendering: 'template' }]);
  });

  it('never downloads: an uncached last model waits for the click', async () => {
    const { engine, state } = await previousVisit(false);
    expect(await state.resumeLastModel()).toEqual({ load: false, reason: 'not-cached' });
    expect(state.startDecision).toEqual({ load: false, reason: 'not-cached' });
    expect(state.status).toBe('idle');
    expect(state.resuming).toBeNull();
    expect(engine.loads).toEqual([]);
  });

  it('does nothing on a first visit, without asking the cache', async () => {
    const { engine, state } = await setup();
    expect(await state.resumeLastModel()).toEqual({ load: false, reason: 'no-last-model' });
    expect(engine.cacheQueries).toEqual([]);
    expect(state.status).toBe('idle');
  });

  it('is turned off by the setting', async () => {
    const storage = memoryStorage();
    new LastModelStore(storage).set(MODEL);
    const { engine, state } = await setup(okGpu, { storage, loadLastOnStart: false });
    engine.cached.add(MODEL);
    expect(await state.resumeLastModel()).toEqual({ load: false, reason: 'disabled' });
    expect(engine.loads).toEqual([]);
  });

  it('skips a cached model this GPU cannot run, without asking the cache', async () => {
    const f16 = 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC';
    const storage = memoryStorage();
    new LastModelStore(storage).set(f16);
    const { engine, state } = await setup(okGpu, { storage });
    engine.cached.add(f16);
    expect(await state.resumeLastModel()).toMatchObject({ load: false, reason: 'not-runnable' });
    expect(engine.cacheQueries).toEqual([]);
    expect(engine.loads).toEqual([]);
  });

  it('a failed auto-load shows the usual error, and Retry loads the model', async () => {
    const { engine, state } = await previousVisit();
    engine.fail = new Error('The device was lost');
    await state.resumeLastModel();
    expect(state.status).toBe('error');
    expect(state.model?.id).toBe(MODEL);
    engine.fail = null;
    await state.reload();
    expect(state.status).toBe('ready');
  });

  it('a model the user loads while the cache is being asked wins over the auto-load', async () => {
    const { engine, state } = await previousVisit();
    const other = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
    const resumed = state.resumeLastModel();
    await state.load(other);
    await resumed;
    expect(engine.loads).toEqual([{ kind: 'catalog', id: other, promptRendering: 'template' }]);
    expect(state.model?.id).toBe(other);
  });

  it('forgets the last model when it is deleted, so the next start does not load it', async () => {
    const { engine, state, lastModel } = await previousVisit();
    state.forgetLastModel('some-other-model');
    expect(lastModel.get()).toBe(MODEL);
    state.forgetLastModel(MODEL);
    expect(await state.resumeLastModel()).toEqual({ load: false, reason: 'no-last-model' });
    expect(engine.loads).toEqual([]);
  });

  it('start() runs the GPU check, then the auto-load', async () => {
    const storage = memoryStorage();
    new LastModelStore(storage).set(MODEL);
    const engine = new ScriptedEngine();
    engine.cached.add(MODEL);
    const { resolve, formatOverride } = userModels();
    const state = new EngineState({
      engine,
      detectGpu: async () => okGpu,
      resolve,
      formatOverride,
      lastModel: new LastModelStore(storage),
      loadLastOnStart: () => true,
    });
    expect(state.status).toBe('checking');
    await state.start();
    expect(state.status).toBe('ready');
    expect(engine.loads).toEqual([{ kind: 'catalog', id: MODEL, promptRendering: 'template' }]);
  });
});

describe('promptRenderingFor', () => {
  it("loads raw-prompt formats' models for raw prompts, chat formats' models with their template", () => {
    const noOverride = () => undefined;
    expect(promptRenderingFor('any-model', 'trelis-v2', noOverride)).toBe('raw');
    expect(promptRenderingFor('any-model', 'mistral-v3', noOverride)).toBe('raw');
    expect(promptRenderingFor('any-model', 'hermes', noOverride)).toBe('template');
    expect(promptRenderingFor('any-model', 'hermes', () => 'qwen3.5')).toBe('raw');
  });
});

describe('a prompt format that needs the other rendering', () => {
  it('reloads the loaded model for it, and until then says the rendering does not match', async () => {
    const { engine, state, settings } = await setup();
    const modelId = 'Qwen3-1.7B-q4f32_1-MLC';
    await state.load(modelId);
    expect(engine.loads.at(-1)?.promptRendering).toBe('raw'); // qwen3 renders raw prompts
    expect(state.renderingMatchesFormat).toBe(true);
    settings.setFormatOverride(modelId, 'hermes');
    expect(state.renderingMatchesFormat).toBe(false);
    await state.applyFormatChange();
    expect(engine.loads).toHaveLength(2);
    expect(engine.loads.at(-1)?.promptRendering).toBe('template');
    expect(state.renderingMatchesFormat).toBe(true);
    // Another chat-template format on the template-loaded model: nothing to reload.
    settings.setFormatOverride(modelId, 'generic');
    await state.applyFormatChange();
    expect(engine.loads).toHaveLength(2);
    // Back to a raw format: loaded for raw prompts again.
    settings.setFormatOverride(modelId, 'qwen3.5');
    await state.applyFormatChange();
    expect(engine.loads).toHaveLength(3);
    expect(engine.loads.at(-1)?.promptRendering).toBe('raw');
  });
});
