import { describe, expect, it, vi } from 'vitest';

// The module creates the app's engine at import; in Node there is no worker, so that one is a stub.
// Every test below builds its own EngineState around a scripted engine.
vi.mock('../../../src/engine/createEngine.ts', () => ({
  createEngine: () => ({
    load: async () => ({ modelId: 'x', elapsedMs: 0 }),
    unload: async () => undefined,
    onDeviceLost: () => () => undefined,
    generate: async () => ({ text: '', finishReason: 'stop' }),
    interrupt: () => undefined,
  }),
}));

const { EngineState, resolveModel } = await import('../../../src/ui/state/engine.svelte.ts');
const { assessGpu } = await import('../../../src/engine/gpu.ts');
import type { Engine, LoadProgress, ModelSource } from '../../../src/engine/engine.ts';

const okGpu = assessGpu({ hasWebGpu: true, adapter: { features: [], limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 }, info: { vendor: 'test' } } });

class ScriptedEngine implements Engine {
  loads: ModelSource[] = [];
  fail: unknown = null;
  delayMs = 0;
  #lost = new Set<(m: string) => void>();
  async load(source: ModelSource, onProgress?: (p: LoadProgress) => void) {
    this.loads.push(source);
    onProgress?.({ fraction: 0.5, text: 'Fetching param cache[1/2]: 10MB fetched.', elapsedMs: 5, loadedBytes: 10e6, totalBytes: 20e6 });
    await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.fail) throw this.fail;
    return { modelId: source.modelId, elapsedMs: 1234, fromCache: false };
  }
  async unload() {}
  onDeviceLost(l: (m: string) => void) {
    this.#lost.add(l);
    return () => this.#lost.delete(l);
  }
  loseDevice(m: string) {
    for (const l of this.#lost) l(m);
  }
  async generate() {
    return { text: '', finishReason: 'stop' as const };
  }
  interrupt() {}
}

const MODEL = 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC';

async function setup(gpu = okGpu) {
  const engine = new ScriptedEngine();
  const state = new EngineState({ engine, detectGpu: async () => gpu, resolve: resolveModel, autoCheck: false });
  await state.checkGpu();
  return { engine, state };
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
    engine.delayMs = 20;
    const done = state.load(MODEL);
    expect(state.status).toBe('loading');
    expect(state.model).toMatchObject({ id: MODEL, formatId: 'hermes' });
    await new Promise((r) => setTimeout(r, 5));
    expect(state.progress?.fraction).toBe(0.5);
    await done;
    expect(state.status).toBe('ready');
    expect(state.lastLoadMs).toBe(1234);
    expect(state.progress).toBeNull();
    expect(engine.loads).toEqual([{ modelId: MODEL }]);
  });

  it('never throws on a failed load: a LinkError becomes a plain-words library mismatch with advice', async () => {
    const { engine, state } = await setup();
    const link = new Error('WebAssembly.instantiate(): Import #3 "env" "TVMFFIEnvSetStream": function import requires a callable');
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
