/**
 * The question before a download, and Cancel / Resume, as the app's EngineState and the widget's
 * EmbedChat run them over the same rule (ui/state/downloadConfirm.ts), with a scripted engine.
 */
import { describe, expect, it } from 'vitest';
import { DownloadConsentStore, downloadQuestion } from '../../../src/ui/state/downloadConfirm.ts';
import { EngineState, resolveModel } from '../../../src/ui/state/engine.svelte.ts';
import { EmbedChat } from '../../../src/embed/embedChat.svelte.ts';
import { HostBridge } from '../../../src/embed/hostBridge.ts';
import { assessGpu } from '../../../src/engine/gpu.ts';
import { findModel } from '../../../src/engine/catalog.ts';
import { getPromptFormat } from '../../../src/lib/formats/index.ts';
import { LastModelStore } from '../../../src/ui/state/lastModel.ts';
import { modelIdOf, type CachedModelInfo, type ModelSource } from '../../../src/engine/engine.ts';
import { ScriptedEngine } from '../../doubles/scriptedEngine.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';

const MODEL = 'Qwen3-1.7B-q4f32_1-MLC';
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A scripted engine whose cache holds `cached` models and a stopped download of `partial` ones. */
class CachingEngine extends ScriptedEngine {
  cached = new Set<string>();
  partial = new Map<string, number>();
  override async cacheStatus(models: ModelSource[]): Promise<CachedModelInfo[]> {
    return models.map((m) => {
      const id = modelIdOf(m);
      const bytes = this.partial.get(id);
      return bytes !== undefined
        ? { modelId: id, cached: false, partial: { cachedBytes: bytes, totalBytes: 1_000_000_000 } }
        : { modelId: id, cached: this.cached.has(id) };
    });
  }
}

async function appState(engine: CachingEngine, storage = new MemoryStorage()) {
  const gpu = assessGpu({ hasWebGpu: true, adapter: { features: [], limits: {}, info: {} } });
  const state = new EngineState({
    engine,
    detectGpu: async () => gpu,
    resolve: (id) => resolveModel(id, { formatOverride: () => undefined, findCustom: () => undefined }),
    formatOverride: () => undefined,
    lastModel: new LastModelStore(new MemoryStorage()),
    loadLastOnStart: () => false,
    downloadConsent: new DownloadConsentStore(storage),
  });
  await state.checkGpu();
  return state;
}

describe('downloadQuestion', () => {
  it('asks with the catalog size, the GPU memory and the host; not for a cached or remembered model', () => {
    const entry = findModel(MODEL);
    const q = downloadQuestion(MODEL, 'Qwen3', { modelId: MODEL, cached: false }, false);
    expect(q).toMatchObject({
      downloadBytes: Math.round((entry?.downloadMB ?? 0) * 1e6),
      gpuBytes: Math.round((entry?.vramMB ?? 0) * 1e6),
      estimate: true,
      host: 'huggingface.co',
    });
    expect(downloadQuestion(MODEL, 'Qwen3', { modelId: MODEL, cached: true }, false)).toBeNull();
    expect(downloadQuestion(MODEL, 'Qwen3', { modelId: MODEL, cached: false }, true)).toBeNull();
  });

  it('for a stopped download asks only for the rest, from the real size', () => {
    const q = downloadQuestion(
      MODEL,
      'Qwen3',
      { modelId: MODEL, cached: false, partial: { cachedBytes: 300e6, totalBytes: 1000e6 } },
      false,
    );
    expect(q).toMatchObject({ downloadBytes: 700e6, cachedBytes: 300e6, estimate: false });
  });

  it('asks when the cache cannot be read', () => {
    expect(downloadQuestion(MODEL, 'Qwen3', undefined, false)).not.toBeNull();
  });
});

describe('the app: requestLoad, Cancel and Resume', () => {
  it('asks before downloading; a no loads nothing, a yes with "Don\'t ask again" loads and is remembered', async () => {
    const engine = new CachingEngine();
    const storage = new MemoryStorage();
    const state = await appState(engine, storage);
    await state.requestLoad(MODEL);
    expect(state.downloadQuestion?.modelId).toBe(MODEL);
    state.declineDownload();
    expect(state.downloadQuestion).toBeNull();
    expect(engine.loads).toBe(0);

    await state.requestLoad(MODEL);
    await state.confirmDownload(true);
    expect(state.status).toBe('ready');
    expect(engine.loads).toBe(1);

    // A new visit (same storage): no question for that model.
    const again = await appState(new CachingEngine(), storage);
    await again.requestLoad(MODEL);
    expect(again.downloadQuestion).toBeNull();
    expect(again.status).toBe('ready');
  });

  it('loads a cached model without asking', async () => {
    const engine = new CachingEngine();
    engine.cached.add(MODEL);
    const state = await appState(engine);
    await state.requestLoad(MODEL);
    expect(state.downloadQuestion).toBeNull();
    expect(state.status).toBe('ready');
  });

  it("Cancel stops the engine's load, keeps the model as stopped with what is cached, and Resume loads it without asking", async () => {
    const engine = new CachingEngine([], { holdLoads: true });
    const state = await appState(engine);
    await state.requestLoad(MODEL);
    const loading = state.confirmDownload(false);
    await tick();
    expect(state.status).toBe('loading');

    engine.partial.set(MODEL, 400e6);
    state.cancelLoad();
    await loading;
    await tick();
    expect(engine.cancels).toBe(1);
    expect(state.status).toBe('idle');
    expect(state.model).toBeNull();
    expect(state.error).toBeNull();
    expect(state.stopped).toMatchObject({ model: { id: MODEL }, cachedBytes: 400e6, totalBytes: 1e9 });

    const resumed = state.resumeDownload();
    await tick();
    expect(state.downloadQuestion).toBeNull();
    expect(state.stopped).toBeNull();
    engine.finishLoad();
    await resumed;
    expect(state.status).toBe('ready');
    expect(engine.loads).toBe(2);
  });
});

describe('the widget: the same question, Cancel and Resume', () => {
  const widget = (engine: CachingEngine, storage = new MemoryStorage()) =>
    new EmbedChat({
      engine,
      modelId: MODEL,
      modelName: 'Qwen3 1.7B',
      format: getPromptFormat('hermes'),
      builtins: [],
      bridge: new HostBridge({ parent: null, allowedOrigins: [], callTimeoutMs: 1000, warn: () => {} }),
      downloadConsent: new DownloadConsentStore(storage),
    });

  it('a message typed before the load waits for the yes, then is answered', async () => {
    const engine = new CachingEngine(['Hi there.']);
    const chat = widget(engine);
    const sending = chat.send('hello');
    await tick();
    expect(chat.downloadQuestion).toMatchObject({ modelId: MODEL, name: 'Qwen3 1.7B' });
    expect(chat.busy).toBe(true);
    expect(engine.loads).toBe(0);
    chat.confirmDownload(false);
    await sending;
    expect(chat.status).toBe('ready');
    expect(chat.messages.at(-1)).toMatchObject({ role: 'assistant' });
    expect(engine.requests).toHaveLength(1);
  });

  it('a no fails the waiting message with that reason and downloads nothing', async () => {
    const engine = new CachingEngine(['Hi there.']);
    const chat = widget(engine);
    const sending = chat.send('hello');
    await tick();
    chat.declineDownload();
    await sending;
    expect(engine.loads).toBe(0);
    expect(JSON.stringify(chat.messages.at(-1))).toContain('The model was not downloaded.');
  });

  it('Cancel stops the download; Resume loads without asking', async () => {
    const engine = new CachingEngine([], { holdLoads: true });
    const chat = widget(engine);
    const loading = chat.load();
    await tick();
    chat.confirmDownload(false);
    await tick();
    expect(chat.status).toBe('loading');
    chat.cancelLoad();
    expect(await loading).toBe(false);
    expect(chat.status).toBe('idle');
    expect(chat.stopped).toBe(true);
    expect(engine.cancels).toBe(1);

    const resumed = chat.resume();
    await tick();
    expect(chat.downloadQuestion).toBeNull();
    engine.finishLoad();
    expect(await resumed).toBe(true);
    expect(chat.stopped).toBe(false);
  });
});
