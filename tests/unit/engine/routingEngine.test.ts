import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RoutingEngine } from '../../../src/engine/routingEngine.ts';
import { ServerEngine } from '../../../src/engine/server/serverEngine.ts';
import { FakeEngine } from '../../doubles/fakeEngine.ts';
import { startModelServer, type ModelServer } from '../../doubles/modelServers.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ kind: 'llamacpp', rules: [{ match: '', reply: { tokens: ['from', ' server'] } }] });
});
afterAll(() => server.close());
beforeEach(() => {
  // FakeEngine keeps its emulated cache in localStorage and its fault controls on window.
  vi.stubGlobal('window', {});
  vi.stubGlobal('localStorage', new MemoryStorage());
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('RoutingEngine', () => {
  it('sends generation to the engine that loaded the current model', async () => {
    const local = new FakeEngine(() => ({ rules: [{ match: '', reply: 'from browser' }] }));
    const engine = new RoutingEngine(local, new ServerEngine());
    const record = {
      id: 'server:s',
      displayName: 's',
      kind: 'llamacpp' as const,
      baseUrl: server.url,
      formatId: 'trelis-v2' as const,
    };

    await engine.load({ kind: 'catalog', id: 'Qwen3-1.7B-q4f16_1-MLC' });
    expect((await engine.generate({ api: 'chat', messages: [{ role: 'user', content: 'hi' }] })).text).toBe(
      'from browser',
    );

    const loaded = await engine.load({ kind: 'server', record, promptRendering: 'raw' });
    expect(loaded.modelId).toBe('server:s');
    expect((await engine.generate({ api: 'completion', prompt: 'hi' })).text).toBe('from server');
    // The browser model was unloaded: it holds no GPU memory while the server answers.
    await expect(local.tokenize('x')).rejects.toThrow();
    expect(engine.finishingStopped()).toBe(false);

    await engine.load({ kind: 'catalog', id: 'Qwen3-1.7B-q4f16_1-MLC' });
    expect((await engine.generate({ api: 'chat', messages: [{ role: 'user', content: 'hi' }] })).text).toBe(
      'from browser',
    );
    expect(server.generations()).toHaveLength(1);
  });

  it('reports server models as not cached, and asks the browser engine only about its own', async () => {
    const engine = new RoutingEngine(new FakeEngine(() => ({})), new ServerEngine());
    const record = {
      id: 'server:s',
      displayName: 's',
      kind: 'tgi' as const,
      baseUrl: server.url,
      formatId: 'trelis-v2' as const,
    };
    const status = await engine.cacheStatus([{ kind: 'server', record }]);
    expect(status).toEqual([{ modelId: 'server:s', cached: false }]);
  });
});
