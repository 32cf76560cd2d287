import { describe, expect, it } from 'vitest';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { validateCustomModel, type CustomModelInput } from '../../../src/engine/customModelForm.ts';
import { buildAppConfig, modelRecordFor } from '../../../src/engine/customModelRecord.ts';
import { normalizeModelUrl, RESOLVE_HELP } from '../../../src/engine/customModelUrl.ts';
import { CUSTOM_MODEL_EXAMPLE } from '../../../src/engine/catalog.data.ts';

const trelis: CustomModelInput = {
  id: CUSTOM_MODEL_EXAMPLE.id,
  modelUrl: CUSTOM_MODEL_EXAMPLE.modelUrl,
  modelLib: { ...CUSTOM_MODEL_EXAMPLE.modelLib },
  formatId: CUSTOM_MODEL_EXAMPLE.formatId,
};

type FakeRes = { ok: boolean; status: number; text(): Promise<string> };
const res = (status: number, body = ''): FakeRes => ({
  ok: status >= 200 && status < 300,
  status,
  text: async () => body,
});
/** A fake server: path suffix → response. */
function server(files: Record<string, string>) {
  const asked: string[] = [];
  const fetch = async (url: string): Promise<FakeRes> => {
    asked.push(url);
    const hit = Object.keys(files).find((k) => url.endsWith(k));
    return hit === undefined ? res(404) : res(200, files[hit]);
  };
  return { fetch, asked };
}

describe('normalizeModelUrl (web-llm resolve/main rule)', () => {
  it('appends /resolve/main/ unless the URL names a branch', () => {
    expect(normalizeModelUrl('https://huggingface.co/me/M')).toEqual({
      url: 'https://huggingface.co/me/M/resolve/main/',
      appendedResolve: true,
    });
    expect(normalizeModelUrl('https://huggingface.co/me/M/resolve/v2')).toEqual({
      url: 'https://huggingface.co/me/M/resolve/v2/',
      appendedResolve: false,
    });
  });
});

describe('validateCustomModel', () => {
  it('accepts the Trelis v2 example on the prebuilt Llama-2 q4f16_1 library, served from 127.0.0.1', async () => {
    const { fetch, asked } = server({
      'mlc-chat-config.json': '{"model_type":"llama"}',
      'tensor-cache.json': '{"records":[]}',
    });
    const r = await validateCustomModel(trelis, { existingIds: [], fetch });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.record.modelUrl).toBe(
      'http://127.0.0.1:8000/Llama-2-7b-chat-hf-function-calling-v2-q4f16_1-MLC/resolve/main/',
    );
    expect(r.record.modelLibUrl).toMatch(/v0_2_86\/base\/Llama-2-7b-chat-hf-q4f16_1_cs1k-webgpu\.wasm$/);
    expect(r.record.formatId).toBe('trelis-v2');
    expect(r.record.requiredFeatures).toEqual(['shader-f16']);
    expect(r.warnings).toEqual([
      'Files will be read from http://127.0.0.1:8000/Llama-2-7b-chat-hf-function-calling-v2-q4f16_1-MLC/resolve/main/.',
    ]);
    expect(asked[0]).toBe(
      'http://127.0.0.1:8000/Llama-2-7b-chat-hf-function-calling-v2-q4f16_1-MLC/resolve/main/mlc-chat-config.json',
    );
  });

  it('accepts http://localhost and older ndarray-cache.json folders', async () => {
    const { fetch } = server({ 'mlc-chat-config.json': '{}', 'ndarray-cache.json': '{}' });
    const r = await validateCustomModel(
      { ...trelis, modelUrl: 'http://localhost:5000/w/resolve/main/' },
      { existingIds: [], fetch },
    );
    expect(r.ok).toBe(true);
  });

  it('reports every missing field', async () => {
    const r = await validateCustomModel(
      { id: '', modelUrl: '', modelLib: { kind: 'url', url: '' }, formatId: '' },
      { existingIds: [] },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field).sort()).toEqual(['formatId', 'id', 'modelLib', 'modelUrl']);
  });

  it('rejects malformed and insecure URLs, and non-.wasm libraries', async () => {
    const r = await validateCustomModel(
      { ...trelis, modelUrl: 'not a url', modelLib: { kind: 'url', url: 'http://example.com/lib.wasm' } },
      { existingIds: [] },
    );
    if (r.ok) throw new Error('accepted bad URLs');
    expect(r.errors.find((e) => e.field === 'modelUrl')?.message).toMatch(/valid URL/);
    expect(r.errors.find((e) => e.field === 'modelLib')?.message).toMatch(/https/);
    const r2 = await validateCustomModel(
      { ...trelis, modelLib: { kind: 'url', url: 'https://example.com/lib.bin' } },
      { existingIds: [] },
    );
    expect(!r2.ok && r2.errors[0]?.message).toMatch(/\.wasm/);
  });

  it('warns that a library URL not built for v0_2_86 may fail with a LinkError', async () => {
    const r = await validateCustomModel(
      {
        ...trelis,
        modelLib: { kind: 'url', url: 'https://example.com/v0_2_48/Llama-2-7b-chat-hf-q4f16_1-webgpu.wasm' },
      },
      { existingIds: [] },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.warnings.join(' ')).toMatch(/v0_2_86.*0\.2\.86/);
  });

  it('rejects an id already taken by a custom or catalog model', async () => {
    const a = await validateCustomModel(trelis, { existingIds: [trelis.id] });
    expect(!a.ok && a.errors[0]).toMatchObject({ field: 'id' });
    const b = await validateCustomModel({ ...trelis, id: 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC' }, { existingIds: [] });
    expect(!b.ok && b.errors[0]).toMatchObject({ field: 'id' });
  });

  it('reports an unreachable or wrong folder with the resolve/main help', async () => {
    const notFound = await validateCustomModel(trelis, { existingIds: [], fetch: server({}).fetch });
    if (notFound.ok) throw new Error('accepted a 404 folder');
    expect(notFound.errors[0]?.message).toMatch(/HTTP 404.*resolve\/main/);
    const offline = await validateCustomModel(trelis, {
      existingIds: [],
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    if (offline.ok) throw new Error('accepted an unreachable server');
    const message = offline.errors[0]?.message ?? '';
    expect(message).toMatch(/Failed to fetch/);
    // What to check, each once, and not web-llm's folder rule the field's help already gives.
    expect(message).toContain('server is running');
    expect(message.match(/Access-Control-Allow-Origin/g)).toHaveLength(1);
    expect(message.match(/…\/resolve\/main\//g)).toHaveLength(1);
    expect(message).not.toContain(RESOLVE_HELP);
    const noWeights = await validateCustomModel(trelis, {
      existingIds: [],
      fetch: server({ 'mlc-chat-config.json': '{}' }).fetch,
    });
    expect(!noWeights.ok && noWeights.errors[0]?.message).toMatch(/tensor-cache\.json/);
  });
});

describe('mapping to web-llm records', () => {
  it('round-trips a custom model through its ModelSource into an AppConfig record', async () => {
    const r = await validateCustomModel({ ...trelis, contextWindow: 2048 }, { existingIds: [] });
    if (!r.ok) throw new Error('invalid');
    const record = modelRecordFor({ kind: 'custom', record: r.record });
    expect(record).toEqual({
      model: r.record.modelUrl,
      model_id: trelis.id,
      model_lib: r.record.modelLibUrl,
      required_features: ['shader-f16'],
      vram_required_MB: r.record.vramMB,
      overrides: { context_window_size: 2048 },
    });
    const config = buildAppConfig(prebuiltAppConfig, [r.record]);
    expect(config.model_list.length).toBe(prebuiltAppConfig.model_list.length + 1);
    expect(config.model_list.at(-1)?.model_id).toBe(trelis.id);
    expect(modelRecordFor({ kind: 'catalog', id: 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC' })).toBeUndefined();
  });
});
