/**
 * One contract for the app's engine (WorkerEngine over WorkerHost, web-llm replaced by a backend that
 * caches what it loads, as web-llm's Cache API store does) and the browser tests' FakeEngine: a first
 * load downloads, a second one reads the cache and says so in its result, cacheStatus agrees, and a
 * deleted model downloads again. The e2e "loaded from the browser cache" text rests on this.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { prebuiltAppConfig, type InitProgressReport } from '@mlc-ai/web-llm';
import type { Engine, ModelSource } from '../../../src/engine/engine.ts';
import { WorkerEngine, type WorkerPort } from '../../../src/engine/workerEngine.ts';
import { WorkerHost, type LlmBackend } from '../../../src/engine/workerHost.ts';
import type { WorkerReply, WorkerRequest } from '../../../src/engine/protocol.ts';
import { FakeEngine } from '../../doubles/fakeEngine.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';

const MODEL = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const source: ModelSource = { kind: 'catalog', id: MODEL };

/** The worker side with a cache that fills on load and empties on delete; no generation. */
function workerEngine(): Engine {
  const cached = new Set<string>();
  let progress: ((r: InitProgressReport) => void) | undefined;
  const backend: LlmBackend = {
    setAppConfig: () => undefined,
    setInitProgressCallback: (cb) => {
      progress = cb;
    },
    reload: async (modelId) => {
      progress?.({ progress: 1, timeElapsed: 0, text: 'Finish loading on WebGPU - fake' });
      cached.add(modelId);
    },
    unload: async () => undefined,
    interruptGenerate: () => undefined,
    completions: { create: () => Promise.reject(new Error('no generation in this test')) },
    chat: { completions: { create: () => Promise.reject(new Error('no generation in this test')) } },
  };
  let listener: ((r: WorkerReply) => void) | undefined;
  const host = new WorkerHost({
    backend,
    baseAppConfig: prebuiltAppConfig,
    post: (reply) => setTimeout(() => listener?.(structuredClone(reply)), 0),
    cacheCompleteness: async (record) => ({
      state: cached.has(record.model_id) ? 'complete' : 'absent',
      cachedBytes: 0,
    }),
    deleteModelAllInfoInCache: async (modelId) => void cached.delete(modelId),
    cachedBytes: async () => undefined,
    tokenize: async () => ({ ids: [] }),
    now: () => performance.now(),
  });
  const port: WorkerPort = {
    postMessage: (m: WorkerRequest) => setTimeout(() => void host.handle(structuredClone(m)), 0),
    onReply: (l) => {
      listener = l;
    },
    onCrash: () => undefined,
    terminate: () => undefined,
  };
  return new WorkerEngine(() => port);
}

describe.each([
  ['WorkerEngine', workerEngine],
  ['FakeEngine', () => new FakeEngine(() => ({ loadMs: 8 }))],
])('%s: loaded from the browser cache', (_name, make) => {
  beforeEach(() => {
    // FakeEngine keeps its emulated cache in localStorage and its fault controls on window.
    vi.stubGlobal('window', {});
    vi.stubGlobal('localStorage', new MemoryStorage());
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('downloads first, then reads the cache and says so; a deleted model downloads again', async () => {
    const engine = make();
    expect((await engine.cacheStatus([source]))[0]?.cached).toBe(false);
    expect((await engine.load(source)).fromCache).toBe(false);
    expect((await engine.cacheStatus([source]))[0]?.cached).toBe(true);
    expect((await engine.load(source)).fromCache).toBe(true);
    await engine.deleteCachedModel(source);
    expect((await engine.cacheStatus([source]))[0]?.cached).toBe(false);
    expect((await engine.load(source)).fromCache).toBe(false);
  });
});
