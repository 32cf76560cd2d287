/**
 * Model cache management helpers.
 *
 * Split by where they can run: web-llm's `hasModelInCache` / `deleteModelAllInfoInCache` run in the
 * worker (reached through `engine.cacheStatus` / `engine.deleteCachedModel`) so web-llm stays out of
 * the main bundle; the sizes come from the Cache API (`cachedBytes`, used by the worker, works with
 * any CacheStorage-like object); storage totals and persistence use `navigator.storage`, whose
 * `persist()` exists only on the main thread. web-llm's default cacheBackend 'cache' stores weights
 * in the Cache API buckets named below, keyed by the file URLs.
 */
import { normalizeModelUrl } from './customModelUrl.ts';

export const WEBLLM_CACHES = { model: 'webllm/model', config: 'webllm/config', wasm: 'webllm/wasm' } as const;

/** "1.1 GB", "420 MB", "12 KB" (decimal units, as disk sizes are usually shown). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  const digits = i === 0 || value >= 100 ? 0 : value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[i]}`;
}

/** Bytes a model will take in the cache: its (estimated) download size. */
export function bytesNeeded(model: { downloadMB: number }): number {
  return Math.round(model.downloadMB * 1e6);
}

export interface StorageEstimateLike {
  usage?: number;
  quota?: number;
}

export interface SpaceCheck {
  enough: boolean;
  neededBytes: number;
  freeBytes?: number;
  message: string;
}

/** "This model needs 1.1 GB; you have 30 GB free." — `enough` is true when the browser gives no quota. */
export function checkSpace(
  neededBytes: number,
  estimate: StorageEstimateLike | undefined,
  alreadyCached = false,
): SpaceCheck {
  if (alreadyCached)
    return { enough: true, neededBytes: 0, message: 'Already downloaded: loads from the browser cache.' };
  const need = formatBytes(neededBytes);
  if (estimate?.quota === undefined) return { enough: true, neededBytes, message: `This model needs about ${need}.` };
  const freeBytes = Math.max(0, estimate.quota - (estimate.usage ?? 0));
  const enough = freeBytes >= neededBytes;
  const message = enough
    ? `This model needs about ${need}; you have ${formatBytes(freeBytes)} free.`
    : `This model needs about ${need}, but only ${formatBytes(freeBytes)} is free: delete cached models or free disk space first.`;
  return { enough, neededBytes, freeBytes, message };
}

export interface StorageInfo {
  usage?: number;
  quota?: number;
  freeBytes?: number;
  persisted: boolean;
}

type StorageLike = Pick<StorageManager, 'estimate' | 'persisted'> & Partial<Pick<StorageManager, 'persist'>>;

function defaultStorage(): StorageLike | undefined {
  return typeof navigator !== 'undefined' ? navigator.storage : undefined;
}

export async function storageInfo(storage: StorageLike | undefined = defaultStorage()): Promise<StorageInfo> {
  if (!storage) return { persisted: false };
  const [estimate, persisted] = await Promise.all([
    storage.estimate().catch(() => undefined),
    storage.persisted().catch(() => false),
  ]);
  const info: StorageInfo = { persisted };
  if (estimate?.usage !== undefined) info.usage = estimate.usage;
  if (estimate?.quota !== undefined) {
    info.quota = estimate.quota;
    info.freeBytes = Math.max(0, estimate.quota - (estimate.usage ?? 0));
  }
  return info;
}

/**
 * Asks the browser not to evict the downloaded models under storage pressure. Chrome grants it
 * silently to installed / engaged sites, Firefox asks the user. Resolves with whether it is persisted.
 */
export async function requestPersistentStorage(storage: StorageLike | undefined = defaultStorage()): Promise<boolean> {
  if (!storage) return false;
  if (await storage.persisted().catch(() => false)) return true;
  if (!storage.persist) return false;
  return storage.persist().catch(() => false);
}

/** The parts of CacheStorage / Cache the size scan uses (so tests can pass fakes). */
export interface CacheLike {
  keys(): Promise<readonly Request[]>;
  match(request: Request): Promise<Response | undefined>;
}
export interface CacheStorageLike {
  has(name: string): Promise<boolean>;
  open(name: string): Promise<CacheLike>;
}

async function sumMatching(
  storage: CacheStorageLike,
  name: string,
  keep: (url: string) => boolean,
): Promise<{ bytes: number; known: boolean }> {
  if (!(await storage.has(name))) return { bytes: 0, known: false };
  const cache = await storage.open(name);
  let bytes = 0;
  let known = false;
  for (const req of await cache.keys()) {
    if (!keep(req.url)) continue;
    const res = await cache.match(req);
    const len = Number(res?.headers.get('content-length'));
    if (Number.isFinite(len) && len > 0) {
      bytes += len;
      known = true;
    }
  }
  return { bytes, known };
}

/**
 * Bytes a model takes in web-llm's Cache API buckets: weight shards and tokenizer under its folder URL,
 * its config, and its library. Undefined when no entry reports a content-length.
 * A library shared by several models (e.g. Hermes-3-Llama-3.2-3B uses Llama-3.2-3B's) counts for each.
 */
export async function cachedBytes(
  storage: CacheStorageLike,
  record: { model: string; model_lib: string },
): Promise<number | undefined> {
  const folder = normalizeModelUrl(record.model).url;
  const parts = await Promise.all([
    sumMatching(storage, WEBLLM_CACHES.model, (u) => u.startsWith(folder)),
    sumMatching(storage, WEBLLM_CACHES.config, (u) => u.startsWith(folder)),
    sumMatching(storage, WEBLLM_CACHES.wasm, (u) => u === record.model_lib),
  ]);
  if (!parts.some((p) => p.known)) return undefined;
  return parts.reduce((sum, p) => sum + p.bytes, 0);
}

/**
 * The "storage full" explanation: what the model needs against what the browser says is free for this
 * site. Browsers give each site a share of the disk (the quota), so "free" here is that share minus
 * what the site already uses, which can be far less than the disk's free space.
 */
export function quotaMessage(space: { neededBytes?: number; freeBytes?: number; quotaBytes?: number }): string {
  const need =
    space.neededBytes !== undefined
      ? `This model needs about ${formatBytes(space.neededBytes)}`
      : 'This model needs more space';
  if (space.freeBytes === undefined) return `${need}, and the browser refused to store more for this site.`;
  const of = space.quotaBytes !== undefined ? ` (of the ${formatBytes(space.quotaBytes)} it allows this site)` : '';
  const short =
    space.neededBytes !== undefined && space.neededBytes > space.freeBytes
      ? ` Free at least ${formatBytes(space.neededBytes - space.freeBytes)}.`
      : '';
  return `${need}; the browser has ${formatBytes(space.freeBytes)} free for this site${of}.${short}`;
}

/** How to free space, for the same message: our own cached models first, then the browser's settings. */
export const FREE_SPACE_STEPS = [
  'Delete cached models you no longer use (listed below, also under Models → Storage).',
  "Free disk space, or clear other sites' data in the browser's settings (Chrome: Settings → Privacy and security → Third-party cookies / Site data; Firefox: Settings → Privacy & Security → Cookies and Site Data).",
  'Ask for persistent storage, so the browser keeps the models it has and may grant this site more room.',
] as const;
