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

export type CustomModelLib = { kind: 'url'; url: string } | { kind: 'catalog'; modelId: string };

export interface CustomModelInput {
  id: string;
  displayName?: string;
  modelUrl: string;
  modelLib: CustomModelLib;
  formatId: string;
  contextWindow?: number;
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
}

export type CustomModelField = 'id' | 'modelUrl' | 'modelLib' | 'formatId' | 'contextWindow';
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
    return LOCAL_HOSTS.has(u.hostname) ? undefined : 'Use https:// (plain http:// only works for localhost / 127.0.0.1).';
  }
  return `Unsupported scheme "${u.protocol}"; use https:// (or http:// on localhost).`;
}

export interface ValidateOptions {
  existingIds: Iterable<string>;
  /** When given, checks that mlc-chat-config.json and tensor-cache.json (or ndarray-cache.json) answer. */
  fetch?: (url: string) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;
}

async function reachable(fetchFn: NonNullable<ValidateOptions['fetch']>, url: string): Promise<{ ok: true; body: string } | { ok: false; why: string }> {
  try {
    const res = await fetchFn(url);
    if (!res.ok) return { ok: false, why: `HTTP ${res.status}` };
    return { ok: true, body: await res.text() };
  } catch (e) {
    return { ok: false, why: e instanceof Error ? e.message : String(e) };
  }
}

/** @returns the record to store and load, or every problem found, each tied to its form field. */
export async function validateCustomModel(input: CustomModelInput, options: ValidateOptions): Promise<ValidationResult> {
  const errors: { field: CustomModelField; message: string }[] = [];
  const warnings: string[] = [];
  const id = input.id.trim();
  const taken = new Set([...options.existingIds, ...CATALOG.map((m) => m.id)]);
  if (id === '') errors.push({ field: 'id', message: 'Give the model an id.' });
  else if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) errors.push({ field: 'id', message: 'Use letters, digits, ".", "_" and "-" only.' });
  else if (taken.has(id)) errors.push({ field: 'id', message: `"${id}" is already used by another model.` });

  let modelUrl: string | undefined;
  if (input.modelUrl.trim() === '') errors.push({ field: 'modelUrl', message: 'Enter the URL of the MLC weights folder.' });
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
    if (!lib) errors.push({ field: 'modelLib', message: `No catalog model "${input.modelLib.modelId}" to borrow a library from.` });
    else {
      modelLibUrl = lib.modelLibUrl;
      requiredFeatures = lib.needsF16 ? ['shader-f16'] : [];
      vramMB = lib.vramMB;
    }
  } else if (input.modelLib.url.trim() === '') {
    errors.push({ field: 'modelLib', message: 'Enter the model library URL (.wasm), or pick a catalog library of the same architecture.' });
  } else {
    const bad = checkUrl(input.modelLib.url);
    if (bad) errors.push({ field: 'modelLib', message: bad });
    else if (!/\.wasm(\?.*)?$/.test(input.modelLib.url.trim())) errors.push({ field: 'modelLib', message: 'The model library is a .wasm file.' });
    else {
      modelLibUrl = new URL(input.modelLib.url.trim()).href;
      if (!modelLibUrl.includes(MODEL_LIB_VERSION)) warnings.push(LIBRARY_VERSION_NOTE);
      if (/f16/.test(modelLibUrl)) requiredFeatures = ['shader-f16'];
    }
  }

  if (!isFormatId(input.formatId)) errors.push({ field: 'formatId', message: 'Pick a prompt format.' });
  if (input.contextWindow !== undefined && !(Number.isInteger(input.contextWindow) && input.contextWindow >= 256)) {
    errors.push({ field: 'contextWindow', message: 'The context window is a whole number of tokens, at least 256.' });
  }

  if (errors.length === 0 && modelUrl && options.fetch) {
    const config = await reachable(options.fetch, new URL('mlc-chat-config.json', modelUrl).href);
    if (!config.ok) {
      errors.push({ field: 'modelUrl', message: `Could not read ${new URL('mlc-chat-config.json', modelUrl).href} (${config.why}). ${RESOLVE_HELP}` });
    } else {
      try {
        JSON.parse(config.body);
      } catch {
        errors.push({ field: 'modelUrl', message: 'mlc-chat-config.json is not valid JSON: is this an MLC weights folder?' });
      }
      const tensors = await reachable(options.fetch, new URL('tensor-cache.json', modelUrl).href);
      const legacy = tensors.ok ? tensors : await reachable(options.fetch, new URL('ndarray-cache.json', modelUrl).href);
      if (!legacy.ok) errors.push({ field: 'modelUrl', message: 'Found mlc-chat-config.json but neither tensor-cache.json nor ndarray-cache.json: the weights are missing.' });
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
  return { ok: true, record, warnings };
}

export function toModelRecord(m: CustomModelRecord): ModelRecord {
  const r: ModelRecord = { model: m.modelUrl, model_id: m.id, model_lib: m.modelLibUrl };
  if (m.requiredFeatures.length > 0) r.required_features = [...m.requiredFeatures];
  if (m.vramMB !== undefined) r.vram_required_MB = m.vramMB;
  if (m.contextWindow !== undefined) r.overrides = { context_window_size: m.contextWindow };
  return r;
}

/** web-llm's AppConfig: the prebuilt records plus ours (ours replace a prebuilt record with the same id). */
export function buildAppConfig(base: AppConfig, customModels: CustomModelRecord[]): AppConfig {
  const custom = customModels.map(toModelRecord);
  const ids = new Set(custom.map((r) => r.model_id));
  return { ...base, model_list: [...base.model_list.filter((r) => !ids.has(r.model_id)), ...custom] };
}

/** What the UI passes to `engine.load()` / cache calls for a custom model. */
export function toModelSource(m: CustomModelRecord): { modelId: string; modelUrl: string; modelLibUrl: string; overrides: Record<string, unknown> } {
  const { model: _m, model_id: _i, model_lib: _l, ...rest } = toModelRecord(m);
  return { modelId: m.id, modelUrl: m.modelUrl, modelLibUrl: m.modelLibUrl, overrides: rest };
}

/**
 * The ModelRecord for a ModelSource that names its own URLs (the worker's side of toModelSource).
 * Only ModelRecord keys we know are copied from `overrides`; anything else is ignored.
 */
export function recordFromSource(source: { modelId: string; modelUrl?: string; modelLibUrl?: string; overrides?: Record<string, unknown> }): ModelRecord | undefined {
  if (!source.modelUrl || !source.modelLibUrl) return undefined;
  const r: ModelRecord = { model: source.modelUrl, model_id: source.modelId, model_lib: source.modelLibUrl };
  const o = source.overrides ?? {};
  if (Array.isArray(o.required_features)) r.required_features = o.required_features.filter((f): f is string => typeof f === 'string');
  if (typeof o.vram_required_MB === 'number') r.vram_required_MB = o.vram_required_MB;
  if (typeof o.buffer_size_required_bytes === 'number') r.buffer_size_required_bytes = o.buffer_size_required_bytes;
  if (typeof o.overrides === 'object' && o.overrides !== null) r.overrides = { ...(o.overrides as ModelRecord['overrides']) };
  if (typeof o.context_window_size === 'number') r.overrides = { ...r.overrides, context_window_size: o.context_window_size };
  return r;
}
