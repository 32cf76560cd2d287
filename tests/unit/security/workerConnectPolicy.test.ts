import { describe, expect, it } from 'vitest';
import { WorkerConnectPolicy, isConnectPolicyMessage } from '../../../src/engine/workerConnectPolicy.ts';
import { WorkerHost, type LlmBackend } from '../../../src/engine/workerHost.ts';
import { runtimeConnectSrc } from '../../../src/security/contentSecurityPolicy.ts';
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
  it('before the page speaks: catalog hosts and loopback only', () => {
    const policy = new WorkerConnectPolicy('https://callama.example');
    expect(policy.allows('https://huggingface.co/mlc-ai/x')).toBe(true);
    expect(policy.allows('http://127.0.0.1:8000/m/resolve/main/')).toBe(true);
    expect(policy.allows('https://models.example/m/resolve/main/')).toBe(false);
  });

  it("takes the page's list once; a second message cannot widen it", () => {
    const policy = new WorkerConnectPolicy('https://callama.example');
    policy.fix(runtimeConnectSrc(['https://models.example']));
    policy.fix(runtimeConnectSrc(['https://evil.example']));
    expect(policy.allows('https://models.example/m/resolve/main/')).toBe(true);
    expect(policy.allows('https://evil.example/m/resolve/main/')).toBe(false);
    expect(isConnectPolicyMessage({ kind: 'connectPolicy', sources: ["'self'"] })).toBe(true);
    expect(isConnectPolicyMessage({ kind: 'connectPolicy', sources: [1] })).toBe(false);
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
