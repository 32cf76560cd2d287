import { describe, expect, it } from 'vitest';
import { WorkerConnectPolicy } from '../../../src/engine/workerConnectPolicy.ts';
import { WorkerHost, type LlmBackend } from '../../../src/engine/workerHost.ts';
import { connectSources } from '../../../src/security/contentSecurityPolicy.ts';
import type { WorkerReply } from '../../../src/engine/protocol.ts';
import type { AppConfig } from '@mlc-ai/web-llm';
import type { ModelSource } from '../../../src/engine/engine.ts';

const custom = (modelUrl: string): ModelSource => ({
  kind: 'custom',
  record: {
    id: 'my-model',
    displayName: 'my-model',
    modelUrl,
    modelLibUrl: 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/x.wasm',
    formatId: 'hermes',
    requiredFeatures: [],
  },
});

function hostWith(policy: WorkerConnectPolicy) {
  const reloaded: string[] = [];
  const replies: WorkerReply[] = [];
  const backend = {
    setAppConfig: () => undefined,
    setInitProgressCallback: () => undefined,
    reload: async (id: string) => void reloaded.push(id),
    unload: async () => undefined,
    interruptGenerate: () => undefined,
    completions: { create: async () => [] },
    chat: { completions: { create: async () => [] } },
  } as unknown as LlmBackend;
  const deps = {
    backend,
    baseAppConfig: { model_list: [] } as unknown as AppConfig,
    post: (r: WorkerReply) => void replies.push(r),
    hasModelInCache: async () => false,
    cacheCompleteness: async () => ({ state: 'absent', cachedBytes: 0 }),
    deleteModelAllInfoInCache: async () => undefined,
    cachedBytes: async () => undefined,
    tokenize: async () => ({ ids: [] }),
    now: () => 0,
    allowsUrl: (url: string) => policy.allows(url),
  };
  // Other helpers may add required dependencies to HostDeps; this test only needs the ones above.
  const host = new WorkerHost(deps as unknown as ConstructorParameters<typeof WorkerHost>[0]);
  return { host, reloaded, replies };
}

describe("the engine worker's network allow-list", () => {
  it("allows this build's connect-src: catalog hosts and loopback (no CALLAMA_MODEL_HOSTS in unit tests)", () => {
    const policy = new WorkerConnectPolicy('https://callama.example');
    expect(policy.allows('https://huggingface.co/mlc-ai/x')).toBe(true);
    expect(policy.allows('http://127.0.0.1:8000/m/resolve/main/')).toBe(true);
    expect(policy.allows('https://models.example/m/resolve/main/')).toBe(false);
  });

  it('allows the hosts a deployment adds, and no others', () => {
    const policy = new WorkerConnectPolicy('https://callama.example', connectSources(['https://models.example']));
    expect(policy.allows('https://models.example/m/resolve/main/')).toBe(true);
    expect(policy.allows('https://evil.example/m/resolve/main/')).toBe(false);
  });

  it('refuses to load a custom model from a host off the list, before web-llm downloads anything', async () => {
    const { host, reloaded, replies } = hostWith(new WorkerConnectPolicy('https://callama.example'));
    await host.handle({ kind: 'load', id: 'r1', source: custom('https://example.com/steal/resolve/main/') });
    expect(reloaded).toEqual([]);
    const reply = replies.find((r) => r.kind === 'error');
    expect(reply?.kind === 'error' ? reply.error : undefined).toMatchObject({
      name: 'ModelHostNotAllowedError',
      data: { url: 'https://example.com/steal/resolve/main/' },
    });
  });

  it('loads a custom model from an allowed host', async () => {
    const { host, reloaded } = hostWith(new WorkerConnectPolicy('https://callama.example'));
    await host.handle({ kind: 'load', id: 'r1', source: custom('http://127.0.0.1:8000/m/resolve/main/') });
    expect(reloaded).toEqual(['my-model']);
  });
});
