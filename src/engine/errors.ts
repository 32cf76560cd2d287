/**
 * Typed engine errors that keep their class across the worker boundary.
 *
 * web-llm's own worker posts `err.toString()` and its index exports only `IntegrityError`, so a
 * caller cannot tell "no WebGPU" from "out of memory". Here every failure becomes one of our classes
 * (sorted by web-llm's `name`, or by the message when only text is left), travels as
 * `{ name, message, data }` (plain, structured-clone safe) and is rebuilt on the main thread.
 *
 * Every class has the same constructor shape `(message, data, options)` so `deserializeError` can
 * rebuild any of them from the wire; `userMessage` / `advice` are derived from `data`, never sent.
 */

/** The web-llm version this app runs, and the model-library ABI it expects (web-llm's `modelVersion`). */
export const WEB_LLM_VERSION = '0.2.86';
export const MODEL_LIB_VERSION = 'v0_2_86';

/** Field values kept on an error; structured-clone safe so they survive postMessage. */
export type ErrorData = Record<string, string | number | boolean | undefined>;

export interface SerializedError {
  name: string;
  message: string;
  data: ErrorData;
}

export class EngineError extends Error {
  override name = 'EngineError';
  readonly data: ErrorData;
  constructor(message: string, data: ErrorData = {}, options?: ErrorOptions) {
    super(message, options);
    this.data = data;
  }
  /** A short sentence for the person using the app. */
  get userMessage(): string {
    return this.message;
  }
  /** What they can do about it, when there is something to do. */
  get advice(): string | undefined {
    return undefined;
  }
}

export class WebGPUNotAvailableError extends EngineError {
  override name = 'WebGPUNotAvailableError';
  override get userMessage(): string {
    return 'WebGPU is not available in this browser, so models cannot run here.';
  }
  override get advice(): string {
    return 'Use a recent Chrome, Edge or Safari 26+ on a computer with a GPU. On Linux Chrome, enable chrome://flags/#enable-unsafe-webgpu and chrome://flags/#enable-vulkan.';
  }
}

export class ShaderF16NotSupportedError extends EngineError {
  override name = 'ShaderF16NotSupportedError';
  override get userMessage(): string {
    return 'This model variant needs 16-bit float shaders (shader-f16), which this GPU or browser does not offer.';
  }
  override get advice(): string {
    return 'Pick the q4f32 variant of the same model; it runs without shader-f16.';
  }
}

export class DeviceLostError extends EngineError {
  override name = 'DeviceLostError';
  override get userMessage(): string {
    return 'The GPU stopped responding (device lost), often because it ran out of memory.';
  }
  override get advice(): string {
    return 'Reload the model, or choose a smaller one or a shorter context. Your conversation is kept.';
  }
}

export class ModelNotFoundError extends EngineError {
  override name = 'ModelNotFoundError';
  override get userMessage(): string {
    return `The model "${String(this.data.modelId ?? '')}" is not in the catalog or your custom models.`;
  }
}

export class ModelLoadError extends EngineError {
  override name = 'ModelLoadError';
  override get userMessage(): string {
    return `The model could not be loaded: ${this.message}`;
  }
}

/**
 * A WebAssembly `LinkError` at load: the model library (.wasm) imports a runtime function this
 * web-llm does not provide, i.e. it was compiled for another web-llm version.
 */
export class ModelLibraryMismatchError extends EngineError {
  override name = 'ModelLibraryMismatchError';
  override get userMessage(): string {
    const missing = this.data.missingImport
      ? ` (it asks for "${String(this.data.missingImport)}", which this version lacks)`
      : '';
    return `The model library was compiled for a different web-llm version${missing}. This app runs web-llm ${WEB_LLM_VERSION}.`;
  }
  override get advice(): string {
    return `Use a model library built for web-llm ${WEB_LLM_VERSION} (modelVersion ${MODEL_LIB_VERSION}), e.g. the prebuilt library of the same architecture from the catalog.`;
  }
}

export class NetworkError extends EngineError {
  override name = 'NetworkError';
  override get userMessage(): string {
    const url = this.data.url ? ` (${String(this.data.url)})` : '';
    return `A model file could not be downloaded${url}.`;
  }
  override get advice(): string {
    return 'Check your connection and the model URL, then try again; files already downloaded are kept.';
  }
}

export class QuotaExceededError extends EngineError {
  override name = 'QuotaExceededError';
  override get userMessage(): string {
    return 'The browser storage is full, so the model cannot be saved for offline use.';
  }
  override get advice(): string {
    return 'Delete cached models you no longer need (Models → Storage) or free disk space, then retry.';
  }
}

export class GenerationError extends EngineError {
  override name = 'GenerationError';
}

/**
 * The engine worker died (an uncaught error, a failed start, a message it could not read). Every
 * request it had not answered fails with this; the next request starts a new worker, which has no
 * model loaded until one is loaded again.
 */
export class WorkerCrashedError extends EngineError {
  override name = 'WorkerCrashedError';
  override get userMessage(): string {
    return `The engine stopped unexpectedly (${this.message}).`;
  }
  override get advice(): string {
    return 'It restarts by itself and reloads the model from the browser cache; your conversation is kept.';
  }
}

/**
 * A downloaded model file does not match the SRI hash its model record carries (web-llm's
 * `IntegrityError`, with `url`, `expected` and `actual`). web-llm checks after caching the file, so the
 * app deletes the model's cached files when this happens (EngineState): nothing of it is kept.
 */
export class ModelIntegrityError extends EngineError {
  override name = 'ModelIntegrityError';
  override get userMessage(): string {
    const url = this.data.url ? String(this.data.url) : 'A model file';
    return `${url} does not match its integrity hash; nothing was kept.`;
  }
  override get advice(): string {
    const hashes = this.data.expected
      ? ` Expected ${String(this.data.expected)}, got ${String(this.data.actual ?? '?')}.`
      : '';
    return `The file may be corrupted or was changed on the server. Check the hashes in the model's settings, or ask its publisher.${hashes}`;
  }
}

/**
 * A model's weights or library would be downloaded from a host the page's network policy does not
 * allow (src/engine/workerConnectPolicy.ts): a custom model added from a new host in this visit.
 * Nothing was fetched. Data: `url`.
 */
export class ModelHostNotAllowedError extends EngineError {
  override name = 'ModelHostNotAllowedError';
  override get userMessage(): string {
    const url = this.data.url ? String(this.data.url) : 'the model';
    return `This page may not download from ${url} yet.`;
  }
  override get advice(): string {
    return 'Reload the page: a custom model added from a new host is allowed after a reload.';
  }
}

export class EngineNotLoadedError extends EngineError {
  override name = 'EngineNotLoadedError';
  override get userMessage(): string {
    return 'No model is loaded yet.';
  }
  override get advice(): string {
    return 'Load a model first.';
  }
}

/**
 * A generation needs the model's prompts rendered another way than it was loaded with: a raw prompt
 * with a grammar (`responseFormat`) on a model loaded with its chat template, whose completion API
 * cannot apply the grammar — or chat messages on a model loaded for raw prompts, whose pass-through
 * template (passThroughTemplate.ts) would send them with no role markers at all. Thrown instead of
 * silently dropping the constraint or sending a malformed prompt. Data: `loaded`, `needed`
 * ('raw' | 'template'), `modelId`.
 */
export class PromptRenderingMismatchError extends EngineError {
  override name = 'PromptRenderingMismatchError';
  override get userMessage(): string {
    return this.data.needed === 'raw'
      ? 'This model was loaded with its chat template, so a raw prompt cannot be grammar-constrained.'
      : 'This model was loaded for raw prompts, so it cannot take chat messages.';
  }
  override get advice(): string {
    return 'Load the model again: it is loaded the way its prompt format needs.';
  }
}

type ErrorClass = new (message: string, data?: ErrorData, options?: ErrorOptions) => EngineError;

const CLASSES: Record<string, ErrorClass> = {
  EngineError,
  WebGPUNotAvailableError,
  ShaderF16NotSupportedError,
  DeviceLostError,
  ModelNotFoundError,
  ModelLoadError,
  ModelLibraryMismatchError,
  NetworkError,
  QuotaExceededError,
  GenerationError,
  EngineNotLoadedError,
  WorkerCrashedError,
  ModelIntegrityError,
  ModelHostNotAllowedError,
  PromptRenderingMismatchError,
};

/** Reads `Import #3 "env" "foo"` (Chromium) or `function="foo"` (older builds) from a LinkError message. */
function missingImport(message: string): string | undefined {
  const quoted = /Import #\d+ (?:module=)?"[^"]*"(?: function=)? ?"([^"]+)"/.exec(message);
  if (quoted?.[1]) return quoted[1];
  const named = /function="([^"]+)"/.exec(message);
  return named?.[1];
}

function firstUrl(message: string): string | undefined {
  return /https?:\/\/\S+/.exec(message)?.[0]?.replace(/[.,;]+$/, '');
}

/**
 * Sorts any thrown value (web-llm error, DOMException, WebAssembly.LinkError, a `toString()`-ed
 * string "Error: …") into one of our classes. Already-typed engine errors pass through unchanged.
 * `phase` says what was running, so an unrecognised failure becomes ModelLoadError or GenerationError.
 */
export function normalizeError(
  e: unknown,
  phase: 'load' | 'generate' | 'other' = 'other',
  context: ErrorData = {},
): EngineError {
  if (e instanceof EngineError) return e;
  const raw = e instanceof Error ? e : undefined;
  let name = raw?.name ?? (typeof e === 'object' && e !== null && 'name' in e ? String(e.name) : '');
  let message = raw?.message ?? (typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : String(e));
  // web-llm's worker strings look like "ModelNotFoundError: Cannot find…" or "Error: …".
  const prefixed = /^([A-Z][A-Za-z]*Error):\s*([\s\S]*)$/.exec(message);
  if (prefixed?.[1] && prefixed[2] !== undefined && (name === '' || name === 'Error')) {
    name = prefixed[1];
    message = prefixed[2];
  }
  const cause = { cause: e };
  const text = `${name} ${message}`;
  const make = (C: ErrorClass, data: ErrorData = {}) => new C(message, { ...context, ...data }, cause);

  if (name === 'WorkerCrashedError') return make(WorkerCrashedError);
  if (name === 'IntegrityError' || /^Integrity verification failed/.test(message)) {
    // web-llm's IntegrityError keeps url/expected/actual as fields; its text has them too.
    const field = (key: string, pattern: RegExp) => {
      const value = typeof e === 'object' && e !== null && key in e ? (e as Record<string, unknown>)[key] : undefined;
      return typeof value === 'string' ? value : pattern.exec(message)?.[1];
    };
    return make(ModelIntegrityError, {
      url: field('url', /failed for (\S+)/),
      expected: field('expected', /Expected: (\S+)/),
      actual: field('actual', /Actual: (\S+)/),
    });
  }
  if (
    name === 'WebGPUNotAvailableError' ||
    name === 'WebGPUNotFoundError' ||
    /Unable to find a compatible GPU|WebGPU is not supported|Cannot initialize runtime because of requested max/i.test(
      message,
    )
  ) {
    return make(WebGPUNotAvailableError);
  }
  if (name === 'ShaderF16SupportError' || /shader-f16|f16 is not supported|enable f16/i.test(message))
    return make(ShaderF16NotSupportedError);
  if (name === 'DeviceLostError' || /device (was )?lost/i.test(message)) return make(DeviceLostError);
  if (name === 'ModelNotFoundError' || /Cannot find model record/.test(message)) {
    const modelId = /for (\S+?)\.? Please/.exec(message)?.[1];
    return make(ModelNotFoundError, modelId ? { modelId } : {});
  }
  if (name === 'LinkError' || /LinkError|function import requires a callable/.test(text)) {
    return make(ModelLibraryMismatchError, {
      missingImport: missingImport(message),
      runtimeVersion: WEB_LLM_VERSION,
      modelVersion: MODEL_LIB_VERSION,
    });
  }
  if (name === 'QuotaExceededError' || /quota/i.test(message)) return make(QuotaExceededError);
  if (
    /Failed to fetch|NetworkError|Network response was not ok|Unable to fetch|Cannot fetch|Request failed|Load failed/i.test(
      text,
    )
  ) {
    const status = /status (\d{3})/.exec(message)?.[1];
    return make(NetworkError, { url: firstUrl(message), status: status ? Number(status) : undefined });
  }
  if (name === 'ModelNotLoadedError' || name === 'WorkerEngineModelNotLoadedError' || name === 'EngineNotLoadedError')
    return make(EngineNotLoadedError);
  if (phase === 'load') return make(ModelLoadError, { originalName: name || undefined });
  return make(GenerationError, { originalName: name || undefined });
}

/** For postMessage: keeps the class name and the data fields; drops the stack and the cause. */
export function serializeError(e: unknown, phase: 'load' | 'generate' | 'other' = 'other'): SerializedError {
  const err = normalizeError(e, phase);
  const data: ErrorData = {};
  for (const [k, v] of Object.entries(err.data)) if (v !== undefined) data[k] = v;
  return { name: err.name, message: err.message, data };
}

/** Rebuilds the class from the wire; names we do not own (web-llm's) are sorted like thrown errors. */
export function deserializeError(wire: SerializedError): EngineError {
  const C = CLASSES[wire.name];
  if (C) return new C(wire.message, { ...wire.data });
  const err = new Error(wire.message);
  err.name = wire.name;
  return normalizeError(err, 'other', wire.data);
}
