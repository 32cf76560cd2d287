/**
 * "Add a custom model": MLC weights URL + model library + prompt format.
 *
 * validateCustomModel checks the form and (with an injected fetch) that the weights folder answers;
 * toModelRecord / buildAppConfig map a valid model to web-llm's ModelRecord / AppConfig, used by the
 * worker. Persisting custom models is the UI's job (IndexedDB). Main-thread safe: type-only web-llm import.
 *
 * URL rule (web-llm 0.2.86 cleanModelUrl): web-llm adds "/" and then "resolve/main/" to the weights URL
 * unless it already contains "/resolve/<branch>/". Files are then read relative to that folder
 * (mlc-chat-config.json, tensor-cache.json, params_shard_*.bin, tokenizer files). So a folder served by
 * your own host must either live under ".../resolve/main/" or be given with "/resolve/<branch>/" in it.
 */
import type { AppConfig, ModelRecord } from '@mlc-ai/web-llm';
import { CATALOG, findModel } from './catalog.ts';
import { MODEL_LIB_VERSION, WEB_LLM_VERSION } from './errors.ts';
import { isFormatId, type FormatId } from '../lib/formats/index.ts';
import { errorMessage } from '../lib/errors.ts';

export type CustomModelLib = { kind: 'url'; url: string } | { kind: 'catalog'; modelId: string };

/** SRI hashes the form takes ("sha256-…", "sha384-…", "sha512-…"); empty strings mean "none". */
export interface IntegrityInput {
  config?: string;
  modelLib?: string;
  tokenizerJson?: string;
  tokenizerModel?: string;
}

export interface CustomModelInput {
  id: string;
  displayName?: string;
  modelUrl: string;
  modelLib: CustomModelLib;
  formatId: string;
  contextWindow?: number;
  integrity?: IntegrityInput;
}

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

export type CustomModelField =
  | 'id'
  | 'modelUrl'
  | 'modelLib'
  | 'formatId'
  | 'contextWindow'
  | 'integrityConfig'
  | 'integrityModelLib'
  | 'integrityTokenizerJson'
  | 'integrityTokenizerModel';
export type ValidationResult =
  | { ok: true; record: CustomModelRecord; warnings: string[] }
  | { ok: false; errors: { field: CustomModelField; message: string }[] };

export const RESOLVE_HELP =
  'web-llm reads model files from "<weights URL>/resolve/main/" unless the URL already contains "/resolve/<branch>/". ' +
  'On your own server, put the files under a ".../resolve/main/" folder, or enter the URL of the folder including "/resolve/<branch>/".';

export const LIBRARY_VERSION_NOTE =
  `The model library (.wasm) must be compiled for web-llm ${WEB_LLM_VERSION} (modelVersion ${MODEL_LIB_VERSION}); ` +
  'a library built for another version fails to load with a WebAssembly LinkError.';

/** web-llm's cleanModelUrl, plus whether "resolve/main/" was appended. */
export function normalizeModelUrl(url: string): { url: string; appendedResolve: boolean } {
  let u = url.trim();
  u += u.endsWith('/') ? '' : '/';
  const appendedResolve = !/.+\/resolve\/.+\//.test(u);
  if (appendedResolve) u += 'resolve/main/';
  return { url: new URL(u).href, appendedResolve };
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

const INTEGRITY_FIELDS = [
  ['config', 'integrityConfig'],
  ['modelLib', 'integrityModelLib'],
  ['tokenizerJson', 'integrityTokenizerJson'],
  ['tokenizerModel', 'integrityTokenizerModel'],
] as const;

/** The form's hashes as web-llm's integrity record, or the problems found (each tied to its field). */
function checkIntegrity(
  input: IntegrityInput | undefined,
  errors: { field: CustomModelField; message: string }[],
): CustomModelIntegrity | undefined {
  const out: CustomModelIntegrity = {};
  for (const [key, field] of INTEGRITY_FIELDS) {
    const value = input?.[key]?.trim() ?? '';
    if (value === '') continue;
    const problem = sriProblem(value);
    if (problem) {
      errors.push({ field, message: problem });
      continue;
    }
    if (key === 'config') out.config = value;
    else if (key === 'modelLib') out.model_lib = value;
    else out.tokenizer = { ...out.tokenizer, [key === 'tokenizerJson' ? 'tokenizer.json' : 'tokenizer.model']: value };
  }
  return Object.keys(out).length > 0 ? out : undefined;
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

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An error message, or undefined when `raw` is an acceptable http(s) URL. */
function checkUrl(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return 'Not a valid URL (expected https://… or http://localhost:PORT/…).';
  }
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:') {
    // Browsers block plain http from an https page, except for the local machine.
    return LOCAL_HOSTS.has(u.hostname)
      ? undefined
      : 'Use https:// (plain http:// only works for localhost / 127.0.0.1).';
  }
  return `Unsupported scheme "${u.protocol}"; use https:// (or http:// on localhost).`;
}

export interface ValidateOptions {
  existingIds: Iterable<string>;
  /** When given, checks that mlc-chat-config.json and tensor-cache.json (or ndarray-cache.json) answer. */
  fetch?: (url: string) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;
}

async function reachable(
  fetchFn: NonNullable<ValidateOptions['fetch']>,
  url: string,
): Promise<{ ok: true; body: string } | { ok: false; why: string }> {
  try {
    const res = await fetchFn(url);
    if (!res.ok) return { ok: false, why: `HTTP ${res.status}` };
    return { ok: true, body: await res.text() };
  } catch (e) {
    return { ok: false, why: errorMessage(e) };
  }
}

/** @returns the record to store and load, or every problem found, each tied to its form field. */
export async function validateCustomModel(
  input: CustomModelInput,
  options: ValidateOptions,
): Promise<ValidationResult> {
  const errors: { field: CustomModelField; message: string }[] = [];
  const warnings: string[] = [];
  const id = input.id.trim();
  const taken = new Set([...options.existingIds, ...CATALOG.map((m) => m.id)]);
  if (id === '') errors.push({ field: 'id', message: 'Give the model an id.' });
  else if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id))
    errors.push({ field: 'id', message: 'Use letters, digits, ".", "_" and "-" only.' });
  else if (taken.has(id)) errors.push({ field: 'id', message: `"${id}" is already used by another model.` });

  let modelUrl: string | undefined;
  if (input.modelUrl.trim() === '')
    errors.push({ field: 'modelUrl', message: 'Enter the URL of the MLC weights folder.' });
  else {
    const bad = checkUrl(input.modelUrl);
    if (bad) errors.push({ field: 'modelUrl', message: bad });
    else {
      const n = normalizeModelUrl(input.modelUrl);
      modelUrl = n.url;
      if (n.appendedResolve) warnings.push(`Files will be read from ${n.url}. ${RESOLVE_HELP}`);
    }
  }

  let modelLibUrl: string | undefined;
  let requiredFeatures: string[] = [];
  let vramMB: number | undefined;
  if (input.modelLib.kind === 'catalog') {
    const lib = findModel(input.modelLib.modelId);
    if (!lib)
      errors.push({
        field: 'modelLib',
        message: `No catalog model "${input.modelLib.modelId}" to borrow a library from.`,
      });
    else {
      modelLibUrl = lib.modelLibUrl;
      requiredFeatures = lib.needsF16 ? ['shader-f16'] : [];
      vramMB = lib.vramMB;
    }
  } else if (input.modelLib.url.trim() === '') {
    errors.push({
      field: 'modelLib',
      message: 'Enter the model library URL (.wasm), or pick a catalog library of the same architecture.',
    });
  } else {
    const bad = checkUrl(input.modelLib.url);
    if (bad) errors.push({ field: 'modelLib', message: bad });
    else if (!/\.wasm(\?.*)?$/.test(input.modelLib.url.trim()))
      errors.push({ field: 'modelLib', message: 'The model library is a .wasm file.' });
    else {
      modelLibUrl = new URL(input.modelLib.url.trim()).href;
      if (!modelLibUrl.includes(MODEL_LIB_VERSION)) warnings.push(LIBRARY_VERSION_NOTE);
      if (/f16/.test(modelLibUrl)) requiredFeatures = ['shader-f16'];
    }
  }

  if (!isFormatId(input.formatId)) errors.push({ field: 'formatId', message: 'Pick a prompt format.' });
  const integrity = checkIntegrity(input.integrity, errors);
  if (input.contextWindow !== undefined && !(Number.isInteger(input.contextWindow) && input.contextWindow >= 256)) {
    errors.push({ field: 'contextWindow', message: 'The context window is a whole number of tokens, at least 256.' });
  }

  if (errors.length === 0 && modelUrl && options.fetch) {
    const config = await reachable(options.fetch, new URL('mlc-chat-config.json', modelUrl).href);
    if (!config.ok) {
      errors.push({
        field: 'modelUrl',
        message: `Could not read ${new URL('mlc-chat-config.json', modelUrl).href} (${config.why}). ${RESOLVE_HELP}`,
      });
    } else {
      try {
        JSON.parse(config.body);
      } catch {
        errors.push({
          field: 'modelUrl',
          message: 'mlc-chat-config.json is not valid JSON: is this an MLC weights folder?',
        });
      }
      const tensors = await reachable(options.fetch, new URL('tensor-cache.json', modelUrl).href);
      const legacy = tensors.ok
        ? tensors
        : await reachable(options.fetch, new URL('ndarray-cache.json', modelUrl).href);
      if (!legacy.ok)
        errors.push({
          field: 'modelUrl',
          message:
            'Found mlc-chat-config.json but neither tensor-cache.json nor ndarray-cache.json: the weights are missing.',
        });
    }
  }

  if (errors.length > 0 || !modelUrl || !modelLibUrl || !isFormatId(input.formatId)) return { ok: false, errors };
  const record: CustomModelRecord = {
    id,
    displayName: input.displayName?.trim() || id,
    modelUrl,
    modelLibUrl,
    formatId: input.formatId,
    requiredFeatures,
  };
  if (input.contextWindow !== undefined) record.contextWindow = input.contextWindow;
  if (vramMB !== undefined) record.vramMB = vramMB;
  if (integrity) record.integrity = integrity;
  return { ok: true, record, warnings };
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

/** What the UI passes to `engine.load()` / cache calls for a custom model. */
export function toModelSource(m: CustomModelRecord): {
  modelId: string;
  modelUrl: string;
  modelLibUrl: string;
  overrides: Record<string, unknown>;
} {
  const { model: _m, model_id: _i, model_lib: _l, ...rest } = toModelRecord(m);
  return { modelId: m.id, modelUrl: m.modelUrl, modelLibUrl: m.modelLibUrl, overrides: rest };
}

/**
 * The ModelRecord for a ModelSource that names its own URLs (the worker's side of toModelSource).
 * Only ModelRecord keys we know are copied from `overrides`; anything else is ignored.
 */
export function recordFromSource(source: {
  modelId: string;
  modelUrl?: string;
  modelLibUrl?: string;
  overrides?: Record<string, unknown>;
}): ModelRecord | undefined {
  if (!source.modelUrl || !source.modelLibUrl) return undefined;
  const r: ModelRecord = { model: source.modelUrl, model_id: source.modelId, model_lib: source.modelLibUrl };
  const o = source.overrides ?? {};
  if (Array.isArray(o.required_features))
    r.required_features = o.required_features.filter((f): f is string => typeof f === 'string');
  if (typeof o.vram_required_MB === 'number') r.vram_required_MB = o.vram_required_MB;
  if (typeof o.buffer_size_required_bytes === 'number') r.buffer_size_required_bytes = o.buffer_size_required_bytes;
  if (typeof o.overrides === 'object' && o.overrides !== null)
    r.overrides = { ...(o.overrides as ModelRecord['overrides']) };
  if (typeof o.context_window_size === 'number')
    r.overrides = { ...r.overrides, context_window_size: o.context_window_size };
  // Hashes are checked again here (the worker trusts nothing it receives); a mismatch always fails.
  const integrity = cleanIntegrity(o.integrity);
  if (integrity) r.integrity = { ...integrity, onFailure: 'error' };
  return r;
}
