/**
 * A custom model as it is stored and loaded: our record (CustomModelRecord), the SRI hash rule its
 * integrity fields obey, and its mapping to web-llm's ModelRecord / AppConfig, used by the worker.
 * The form that builds a record is customModelForm.ts. Main-thread safe: type-only web-llm import.
 */
import type { AppConfig, ModelRecord } from '@mlc-ai/web-llm';
import type { ModelSource } from './engine.ts';
import type { FormatId } from '../lib/formats/index.ts';

/** web-llm's ModelIntegrity without `onFailure` (always "error" here: a mismatch must stop the load). */
export interface CustomModelIntegrity {
  config?: string;
  model_lib?: string;
  /** File name → SRI hash ("tokenizer.json", "tokenizer.model"). */
  tokenizer?: Record<string, string>;
}

export interface CustomModelRecord {
  id: string;
  displayName: string;
  /** The weights folder exactly as web-llm will read it (ends with "/resolve/<branch>/"). */
  modelUrl: string;
  modelLibUrl: string;
  formatId: FormatId;
  contextWindow?: number;
  /** Inherited from a catalog library ("shader-f16" for f16 libraries). */
  requiredFeatures: string[];
  vramMB?: number;
  /** SRI hashes web-llm checks each downloaded file against. */
  integrity?: CustomModelIntegrity;
}

/** Digest sizes of the algorithms SRI (and web-llm's verifyIntegrity) accepts. */
const SRI_DIGEST_BYTES: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };

/**
 * Why `value` is not a well-formed SRI hash, or undefined when it is. The same rule as web-llm's
 * `isValidSRI` (an algorithm, a dash, base64 of exactly the digest's length), which cannot be
 * imported here without pulling web-llm into the main bundle; a unit test compares the two.
 */
export function sriProblem(value: string): string | undefined {
  const match = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(value);
  if (!match?.[1] || !match[2]) {
    return /^[a-z0-9]+-/i.test(value) && !/^sha(256|384|512)-/.test(value)
      ? 'Use sha256-, sha384- or sha512- (the algorithm comes first, e.g. "sha256-…").'
      : 'Not an SRI hash: expected "sha256-", "sha384-" or "sha512-" followed by the base64 digest (e.g. from `openssl dgst -sha256 -binary FILE | openssl base64 -A`).';
  }
  const [, algo, digest] = match;
  const padding = /=+$/.exec(digest)?.[0].length ?? 0;
  const rest = digest.length % 4;
  const bytes =
    rest === 1 || (padding > 0 && rest !== 0)
      ? -1
      : Math.floor(digest.length / 4) * 3 - padding + (padding === 0 && rest > 1 ? rest - 1 : 0);
  const expected = SRI_DIGEST_BYTES[algo] ?? 0;
  if (bytes !== expected)
    return `A ${algo} digest is ${expected} bytes (${Math.ceil(expected / 3) * 4} base64 characters); this one ${bytes < 0 ? 'is not valid base64' : `is ${bytes} bytes`}.`;
  return undefined;
}

/** A stored or received integrity object, keeping only well-formed hashes under known keys. */
export function cleanIntegrity(value: unknown): CustomModelIntegrity | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const ok = (x: unknown): x is string => typeof x === 'string' && sriProblem(x) === undefined;
  const out: CustomModelIntegrity = {};
  if (ok(v.config)) out.config = v.config;
  if (ok(v.model_lib)) out.model_lib = v.model_lib;
  if (typeof v.tokenizer === 'object' && v.tokenizer !== null) {
    const t = v.tokenizer as Record<string, unknown>;
    for (const file of ['tokenizer.json', 'tokenizer.model'])
      if (ok(t[file])) out.tokenizer = { ...out.tokenizer, [file]: t[file] };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function toModelRecord(m: CustomModelRecord): ModelRecord {
  const r: ModelRecord = { model: m.modelUrl, model_id: m.id, model_lib: m.modelLibUrl };
  if (m.requiredFeatures.length > 0) r.required_features = [...m.requiredFeatures];
  if (m.vramMB !== undefined) r.vram_required_MB = m.vramMB;
  if (m.contextWindow !== undefined) r.overrides = { context_window_size: m.contextWindow };
  if (m.integrity) r.integrity = { ...m.integrity, onFailure: 'error' };
  return r;
}

/** web-llm's AppConfig: the prebuilt records plus ours (ours replace a prebuilt record with the same id). */
export function buildAppConfig(base: AppConfig, customModels: CustomModelRecord[]): AppConfig {
  const custom = customModels.map(toModelRecord);
  const ids = new Set(custom.map((r) => r.model_id));
  return { ...base, model_list: [...base.model_list.filter((r) => !ids.has(r.model_id)), ...custom] };
}

/**
 * The ModelRecord a custom source brings with it (the worker's side of the union); undefined for a
 * catalog source, whose record is web-llm's own. The hashes are checked again here (the worker trusts
 * nothing it receives): one that is not well-formed is dropped, and a mismatch always fails the load.
 */
export function modelRecordFor(source: ModelSource): ModelRecord | undefined {
  if (source.kind !== 'custom') return undefined;
  const { integrity, ...rest } = source.record;
  const clean = cleanIntegrity(integrity);
  const requiredFeatures = rest.requiredFeatures.filter((f): f is string => typeof f === 'string');
  return toModelRecord({ ...rest, requiredFeatures, ...(clean ? { integrity: clean } : {}) });
}
