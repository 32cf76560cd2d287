// EngineState with server models ("Run on a server"): they resolve from the user's saved servers, load
// without WebGPU, and take the context window the server reported.
import { describe, expect, it } from 'vitest';
import { EngineState, resolveModel, type ModelLookup } from '../../../src/ui/state/engine.svelte.ts';
import { assessGpu } from '../../../src/engine/gpu.ts';
import { LastModelStore } from '../../../src/ui/state/lastModel.ts';
import { ServerModelsState } from '../../../src/ui/state/serverModels.svelte.ts';
import { modelIdOf, type LoadResult, type ModelSource } from '../../../src/engine/engine.ts';
import { InertEngine } from '../../doubles/inertEngine.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';

class RecordingEngine extends InertEngine {
  loads: ModelSource[] = [];
  override async load(source: ModelSource): Promise<LoadResult> {
    this.loads.push(source);
    return { modelId: modelIdOf(source), elapsedMs: 5, fromCache: false, contextWindow: 8192 };
  }
}

const noGpu = assessGpu({ hasWebGpu: false, adapter: null });

async function setup() {
  const engine = new RecordingEngine();
  const servers = new ServerModelsState(new MemoryStorage(), undefined, (url) => url.startsWith('http://localhost:'));
  const lookup: ModelLookup = {
    formatOverride: () => undefined,
    findCustom: () => undefined,
    findServer: (id) => servers.find(id),
  };
  const state = new EngineState({
    engine,
    detectGpu: async () => noGpu,
    resolve: (id) => resolveModel(id, lookup),
    formatOverride: lookup.formatOverride,
    lastModel: new LastModelStore(new MemoryStorage()),
    loadLastOnStart: () => false,
  });
  await state.checkGpu();
  const added = servers.add({
    displayName: 'Big box',
    kind: 'llamacpp',
    baseUrl: 'http://localhost:8080',
    apiKey: '',
    model: '',
    formatId: 'trelis-v2',
  });
  if (!added.ok) throw new Error('not added');
  return { engine, state, servers, id: added.record.id };
}

describe('EngineState with server models', () => {
  it('loads a server model without WebGPU, for raw prompts, with the context window the server gave', async () => {
    const { engine, state, id } = await setup();
    expect(state.status).toBe('unsupported');
    await state.load(id);
    expect(state.status).toBe('ready');
    expect(engine.loads[0]).toMatchObject({ kind: 'server', promptRendering: 'raw' });
    expect(state.promptRendering).toBe('raw');
    expect(state.model).toMatchObject({ id, name: 'Big box', formatId: 'trelis-v2', contextWindow: 8192 });
  });

  it('connects to a server model when asked, without the download question a browser model gets', async () => {
    const { engine, state, id } = await setup();
    await state.requestLoad(id);
    expect(state.downloadQuestion).toBeNull();
    expect(engine.loads).toHaveLength(1);
    expect(state.status).toBe('ready');
  });

  it('still refuses browser models without WebGPU, and goes back to unsupported after an unload', async () => {
    const { engine, state, id } = await setup();
    await state.load('Qwen2.5-1.5B-Instruct-q4f32_1-MLC');
    expect(engine.loads).toHaveLength(0);
    expect(state.status).toBe('unsupported');
    await state.load(id);
    await state.unload();
    expect(state.status).toBe('unsupported');
  });

  it('keeps saved server models across a restart of the page, refusing hosts the build does not allow', () => {
    const storage = new MemoryStorage();
    const allowed = (url: string) => url.startsWith('http://localhost:');
    const first = new ServerModelsState(storage, undefined, allowed);
    const input = { displayName: 'A', kind: 'tgi' as const, apiKey: 'k', model: '', formatId: 'trelis-v3' };
    expect(first.add({ ...input, baseUrl: 'https://gpu.example.org' }).ok).toBe(false);
    expect(first.add({ ...input, baseUrl: 'http://localhost:3000' }).ok).toBe(true);
    const second = new ServerModelsState(storage, undefined, allowed);
    expect(second.all).toEqual([
      {
        id: 'server:a',
        displayName: 'A',
        kind: 'tgi',
        baseUrl: 'http://localhost:3000',
        apiKey: 'k',
        formatId: 'trelis-v3',
      },
    ]);
    second.remove('server:a');
    expect(new ServerModelsState(storage, undefined, allowed).all).toEqual([]);
  });
});
