/**
 * Is a model's download complete in web-llm's Cache API caches, partial, or absent?
 *
 * Why our own check: a dropped download leaves some files cached and others not, and a model is only
 * usable offline when every file web-llm reads at load is there. web-llm 0.2.86's `hasModelInCache`
 * looks at the weights only (tensor-cache.json and its shards); it says nothing about the chat config,
 * the tokenizer or the model library, and nothing about how much of a partial download is there. A
 * model reported "cached" while its tokenizer is missing would be loaded on start (auto-load) and
 * then start a download nobody asked for, or fail offline.
 *
 * What web-llm reads at load (index.js `reloadInternal`, checked in 0.2.86), and where it caches it:
 * - `mlc-chat-config.json` under the model folder → `webllm/config`;
 * - the model library (`model_lib`) → `webllm/wasm`, except libraries on localhost or relative URLs,
 *   which web-llm never caches (so they cannot be checked and are not required here);
 * - the tokenizer (`tokenizer.json`, else `tokenizer.model`, as `tokenizer_files` in the config says)
 *   → `webllm/model`;
 * - `tensor-cache.json` (the weights manifest; older builds `ndarray-cache.json`) and every shard its
 *   `records[].dataPath` names → `webllm/model`.
 * The Cache API stores a response only once its whole body has arrived, so a shard is either fully
 * there or not at all: counting shards is enough, and a retried download fetches only the missing ones
 * (web-llm's `fetchWithCache` reads what is cached first), which is what makes it resume.
 *
 * Works on any CacheStorage-shaped object, so Node tests pass a Map-backed fake.
 */
import { normalizeModelUrl } from './customModelUrl.ts';
import { WEBLLM_CACHES } from './cache.ts';

/** The parts of CacheStorage the check uses (the browser's `caches` satisfies it). */
export interface CacheReaderStorage {
  has(name: string): Promise<boolean>;
  open(name: string): Promise<{ match(url: string): Promise<Response | undefined> }>;
}

export type CacheState = 'complete' | 'partial' | 'absent';

export interface ModelCacheCompleteness {
  state: CacheState;
  /** Bytes of the weight shards in the cache, from the manifest's `nbytes`. */
  cachedBytes: number;
  /** Bytes of all weight shards, when the manifest is cached (otherwise the total is unknown). */
  totalBytes?: number;
  shardsCached: number;
  shardsTotal?: number;
  /** What is missing, in words ("mlc-chat-config.json", "3 of 20 weight shards"…); empty when complete. */
  missing: string[];
}

interface ManifestRecord {
  dataPath: string;
  nbytes: number;
}

const MANIFESTS = ['tensor-cache.json', 'ndarray-cache.json'] as const;

async function openIfPresent(storage: CacheReaderStorage, name: string) {
  return (await storage.has(name)) ? storage.open(name) : undefined;
}

async function readJson(res: Response | undefined): Promise<unknown> {
  if (!res) return undefined;
  try {
    return (await res.clone().json()) as unknown;
  } catch {
    return undefined;
  }
}

/** The manifest's shard list; undefined when it is unreadable (then the weights count as missing). */
function shardList(manifest: unknown): ManifestRecord[] | undefined {
  if (typeof manifest !== 'object' || manifest === null || !('records' in manifest) || !Array.isArray(manifest.records))
    return undefined;
  const out: ManifestRecord[] = [];
  for (const r of manifest.records as unknown[]) {
    if (typeof r !== 'object' || r === null) return undefined;
    const { dataPath, nbytes } = r as { dataPath?: unknown; nbytes?: unknown };
    if (typeof dataPath !== 'string') return undefined;
    out.push({ dataPath, nbytes: typeof nbytes === 'number' && Number.isFinite(nbytes) ? nbytes : 0 });
  }
  return out;
}

/** The tokenizer file web-llm will read, from the config's `tokenizer_files` (tokenizer.json first). */
function tokenizerFile(config: unknown): string {
  const files =
    typeof config === 'object' && config !== null && 'tokenizer_files' in config ? config.tokenizer_files : undefined;
  if (Array.isArray(files) && !files.includes('tokenizer.json') && files.includes('tokenizer.model'))
    return 'tokenizer.model';
  return 'tokenizer.json';
}

/** Whether web-llm caches this library URL at all (it skips localhost and relative URLs). */
function libraryIsCached(url: string): boolean {
  return url.startsWith('http') && !url.includes('localhost');
}

export async function checkModelCache(
  storage: CacheReaderStorage,
  record: { model: string; model_lib: string },
): Promise<ModelCacheCompleteness> {
  const folder = normalizeModelUrl(record.model).url;
  const at = (file: string) => new URL(file, folder).href;
  const [modelCache, configCache, wasmCache] = await Promise.all([
    openIfPresent(storage, WEBLLM_CACHES.model),
    openIfPresent(storage, WEBLLM_CACHES.config),
    openIfPresent(storage, WEBLLM_CACHES.wasm),
  ]);
  const missing: string[] = [];
  let present = 0;

  const configRes = await configCache?.match(at('mlc-chat-config.json'));
  if (configRes) present++;
  else missing.push('mlc-chat-config.json');

  const tokenizer = tokenizerFile(await readJson(configRes));
  if (await modelCache?.match(at(tokenizer))) present++;
  else missing.push(tokenizer);

  if (libraryIsCached(record.model_lib) && !(await wasmCache?.match(record.model_lib)))
    missing.push('the model library (.wasm)');

  let manifest: ManifestRecord[] | undefined;
  let manifestBase = folder;
  for (const name of MANIFESTS) {
    const res = await modelCache?.match(at(name));
    if (!res) continue;
    manifest = shardList(await readJson(res));
    manifestBase = new URL('.', at(name)).href;
    break;
  }
  let cachedBytes = 0;
  let shardsCached = 0;
  let totalBytes: number | undefined;
  if (!manifest) {
    missing.push('tensor-cache.json (the weights manifest)');
  } else {
    present++;
    totalBytes = 0;
    for (const shard of manifest) {
      totalBytes += shard.nbytes;
      if (await modelCache?.match(new URL(shard.dataPath, manifestBase).href)) {
        shardsCached++;
        cachedBytes += shard.nbytes;
      }
    }
    if (shardsCached < manifest.length)
      missing.push(`${manifest.length - shardsCached} of ${manifest.length} weight shards`);
  }
  present += shardsCached;

  // The library alone does not make a model "partial": catalog models share libraries.
  const state: CacheState = missing.length === 0 ? 'complete' : present > 0 ? 'partial' : 'absent';
  const result: ModelCacheCompleteness = { state, cachedBytes, shardsCached, missing };
  if (totalBytes !== undefined) result.totalBytes = totalBytes;
  if (manifest) result.shardsTotal = manifest.length;
  return result;
}
