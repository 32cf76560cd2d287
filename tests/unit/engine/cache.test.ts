import { describe, expect, it } from 'vitest';
import {
  bytesNeeded,
  cachedBytes,
  checkSpace,
  formatBytes,
  requestPersistentStorage,
  storageInfo,
  type CacheStorageLike,
} from '../../../src/engine/cache.ts';
import { findModel } from '../../../src/engine/catalog.ts';

describe('formatBytes / bytesNeeded / checkSpace', () => {
  it('formats sizes the way the UI shows them', () => {
    expect(formatBytes(1_100_000_000)).toBe('1.1 GB');
    expect(formatBytes(30e9)).toBe('30 GB');
    expect(formatBytes(420e6)).toBe('420 MB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(Number.NaN)).toBe('?');
  });

  it('says how much a model needs against free space', () => {
    const model = findModel('Qwen2.5-1.5B-Instruct-q4f32_1-MLC');
    if (!model) throw new Error('missing model');
    const need = bytesNeeded(model);
    expect(need).toBe(model.downloadMB * 1e6);
    const ok = checkSpace(1.1e9, { quota: 31e9, usage: 1e9 });
    expect(ok).toMatchObject({
      enough: true,
      freeBytes: 30e9,
      message: 'This model needs about 1.1 GB; you have 30 GB free.',
    });
    const full = checkSpace(1.1e9, { quota: 2e9, usage: 1.5e9 });
    expect(full.enough).toBe(false);
    expect(full.message).toMatch(/only 500 MB is free/);
    expect(checkSpace(1.1e9, { quota: 0 }, true).enough).toBe(true);
    expect(checkSpace(1.1e9, undefined).enough).toBe(true);
  });
});

describe('storage', () => {
  it('reports totals and asks for persistence only when needed', async () => {
    let asked = 0;
    const storage = {
      estimate: async () => ({ usage: 2e9, quota: 10e9 }),
      persisted: async () => false,
      persist: async () => {
        asked++;
        return true;
      },
    };
    expect(await storageInfo(storage)).toEqual({ usage: 2e9, quota: 10e9, freeBytes: 8e9, persisted: false });
    expect(await requestPersistentStorage(storage)).toBe(true);
    expect(asked).toBe(1);
    expect(await requestPersistentStorage({ ...storage, persisted: async () => true })).toBe(true);
    expect(asked).toBe(1);
    expect(await storageInfo(undefined)).toEqual({ persisted: false });
  });
});

describe('cachedBytes', () => {
  function fakeCaches(buckets: Record<string, Record<string, number | undefined>>): CacheStorageLike {
    return {
      has: async (name) => name in buckets,
      open: async (name) => {
        const entries = buckets[name] ?? {};
        return {
          keys: async () => Object.keys(entries).map((u) => new Request(u)),
          match: async (req: Request) => {
            const len = entries[req.url];
            return new Response('', { headers: len === undefined ? {} : { 'content-length': String(len) } });
          },
        };
      },
    };
  }
  const record = { model: 'https://huggingface.co/mlc-ai/M-q4f32_1-MLC', model_lib: 'https://libs/M.wasm' };
  const folder = 'https://huggingface.co/mlc-ai/M-q4f32_1-MLC/resolve/main/';

  it("sums the model's shards, config and library, and nothing of other models", async () => {
    const storage = fakeCaches({
      'webllm/model': {
        [`${folder}params_shard_0.bin`]: 30e6,
        [`${folder}params_shard_1.bin`]: 20e6,
        'https://huggingface.co/mlc-ai/Other-MLC/resolve/main/params_shard_0.bin': 99e6,
      },
      'webllm/config': { [`${folder}mlc-chat-config.json`]: 2000 },
      'webllm/wasm': { 'https://libs/M.wasm': 5e6, 'https://libs/Other.wasm': 7e6 },
    });
    expect(await cachedBytes(storage, record)).toBe(30e6 + 20e6 + 2000 + 5e6);
  });

  it('is undefined when nothing is cached or sizes are unknown', async () => {
    expect(await cachedBytes(fakeCaches({}), record)).toBeUndefined();
    expect(
      await cachedBytes(fakeCaches({ 'webllm/model': { [`${folder}a.bin`]: undefined } }), record),
    ).toBeUndefined();
  });
});

describe('quotaMessage (storage full during a download)', () => {
  it('says what the model needs, what is free, and how much to free', async () => {
    const { quotaMessage } = await import('../../../src/engine/cache.ts');
    expect(quotaMessage({ neededBytes: 1.1e9, freeBytes: 3e8, quotaBytes: 10e9 })).toBe(
      'This model needs about 1.1 GB; the browser has 300 MB free for this site (of the 10 GB it allows this site). Free at least 800 MB.',
    );
    expect(quotaMessage({ neededBytes: 4.4e8, freeBytes: 2e9 })).toBe(
      'This model needs about 440 MB; the browser has 2.0 GB free for this site.',
    );
    expect(quotaMessage({})).toBe('This model needs more space, and the browser refused to store more for this site.');
  });
});
