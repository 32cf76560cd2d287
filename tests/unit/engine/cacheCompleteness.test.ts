import { describe, expect, it } from 'vitest';
import { checkModelCache, type CacheReaderStorage } from '../../../src/engine/cacheCompleteness.ts';
import { WEBLLM_CACHES } from '../../../src/engine/cache.ts';

/** A Map-backed stand-in for the Cache API: cache name → URL → body. */
class MapCaches implements CacheReaderStorage {
  readonly buckets = new Map<string, Map<string, string>>();
  put(cache: string, url: string, body = 'x'): void {
    let bucket = this.buckets.get(cache);
    if (!bucket) this.buckets.set(cache, (bucket = new Map<string, string>()));
    bucket.set(url, body);
  }
  delete(cache: string, url: string): void {
    this.buckets.get(cache)?.delete(url);
  }
  async has(name: string): Promise<boolean> {
    return this.buckets.has(name);
  }
  async open(name: string) {
    const bucket = this.buckets.get(name) ?? new Map<string, string>();
    return { match: async (url: string) => (bucket.has(url) ? new Response(bucket.get(url)) : undefined) };
  }
}

const record = {
  model: 'https://huggingface.co/mlc-ai/Test-MLC',
  model_lib: 'https://raw.githubusercontent.com/x/libs/Test-webgpu.wasm',
};
const folder = 'https://huggingface.co/mlc-ai/Test-MLC/resolve/main/';
const shards = [
  { dataPath: 'params_shard_0.bin', nbytes: 30_000_000 },
  { dataPath: 'params_shard_1.bin', nbytes: 30_000_000 },
  { dataPath: 'params_shard_2.bin', nbytes: 20_000_000 },
];

/** Everything web-llm caches for `record` after a finished download. */
function fullDownload(): MapCaches {
  const c = new MapCaches();
  c.put(
    WEBLLM_CACHES.config,
    `${folder}mlc-chat-config.json`,
    JSON.stringify({ tokenizer_files: ['tokenizer.json', 'tokenizer_config.json'] }),
  );
  c.put(WEBLLM_CACHES.model, `${folder}tokenizer.json`);
  c.put(WEBLLM_CACHES.model, `${folder}tensor-cache.json`, JSON.stringify({ records: shards }));
  for (const s of shards) c.put(WEBLLM_CACHES.model, folder + s.dataPath);
  c.put(WEBLLM_CACHES.wasm, record.model_lib);
  return c;
}

describe('checkModelCache', () => {
  it('reports a finished download as complete, with the weights size from the manifest', async () => {
    expect(await checkModelCache(fullDownload(), record)).toEqual({
      state: 'complete',
      cachedBytes: 80_000_000,
      totalBytes: 80_000_000,
      shardsCached: 3,
      shardsTotal: 3,
      missing: [],
    });
  });

  it('never calls a model whose manifest is cached but a shard is missing complete (a dropped download)', async () => {
    const caches = fullDownload();
    caches.delete(WEBLLM_CACHES.model, `${folder}params_shard_2.bin`);
    const status = await checkModelCache(caches, record);
    expect(status).toMatchObject({
      state: 'partial',
      cachedBytes: 60_000_000,
      totalBytes: 80_000_000,
      shardsCached: 2,
      shardsTotal: 3,
    });
    expect(status.missing).toEqual(['1 of 3 weight shards']);
  });

  it('checks the config, the tokenizer the config names and the library, not only the weights', async () => {
    for (const [cache, url, what] of [
      [WEBLLM_CACHES.config, `${folder}mlc-chat-config.json`, 'mlc-chat-config.json'],
      [WEBLLM_CACHES.model, `${folder}tokenizer.json`, 'tokenizer.json'],
      [WEBLLM_CACHES.wasm, record.model_lib, 'the model library (.wasm)'],
    ] as const) {
      const caches = fullDownload();
      caches.delete(cache, url);
      const status = await checkModelCache(caches, record);
      expect(status.state, what).toBe('partial');
      expect(status.missing).toEqual([what]);
    }
    const sentencePiece = fullDownload();
    sentencePiece.put(
      WEBLLM_CACHES.config,
      `${folder}mlc-chat-config.json`,
      JSON.stringify({ tokenizer_files: ['tokenizer.model'] }),
    );
    sentencePiece.delete(WEBLLM_CACHES.model, `${folder}tokenizer.json`);
    expect((await checkModelCache(sentencePiece, record)).missing).toEqual(['tokenizer.model']);
  });

  it('a download that stopped before the manifest arrived is partial with an unknown total', async () => {
    const caches = new MapCaches();
    caches.put(WEBLLM_CACHES.config, `${folder}mlc-chat-config.json`, '{}');
    const status = await checkModelCache(caches, record);
    expect(status.state).toBe('partial');
    expect(status.totalBytes).toBeUndefined();
    expect(status.missing).toContain('tensor-cache.json (the weights manifest)');
  });

  it('nothing cached (or only a library another model shares) is absent; an unreadable manifest is not complete', async () => {
    expect((await checkModelCache(new MapCaches(), record)).state).toBe('absent');
    const shared = new MapCaches();
    shared.put(WEBLLM_CACHES.wasm, record.model_lib);
    expect((await checkModelCache(shared, record)).state).toBe('absent');
    const broken = fullDownload();
    broken.put(WEBLLM_CACHES.model, `${folder}tensor-cache.json`, '{"records": [{"nbytes": 1}]}');
    expect((await checkModelCache(broken, record)).state).toBe('partial');
  });

  it('does not require a library web-llm never caches (localhost), and reads the legacy ndarray-cache.json', async () => {
    const caches = fullDownload();
    caches.delete(WEBLLM_CACHES.model, `${folder}tensor-cache.json`);
    caches.put(WEBLLM_CACHES.model, `${folder}ndarray-cache.json`, JSON.stringify({ records: shards }));
    const local = { model: 'http://localhost:8000/m/resolve/main/', model_lib: 'http://localhost:8000/lib.wasm' };
    const localFolder = 'http://localhost:8000/m/resolve/main/';
    caches.put(WEBLLM_CACHES.config, `${localFolder}mlc-chat-config.json`, '{}');
    caches.put(WEBLLM_CACHES.model, `${localFolder}tokenizer.json`);
    caches.put(WEBLLM_CACHES.model, `${localFolder}tensor-cache.json`, JSON.stringify({ records: shards.slice(0, 1) }));
    caches.put(WEBLLM_CACHES.model, `${localFolder}params_shard_0.bin`);
    expect((await checkModelCache(caches, local)).state).toBe('complete');
    expect((await checkModelCache(caches, record)).state).toBe('complete');
  });
});
