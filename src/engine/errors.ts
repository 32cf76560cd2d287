/**
 * The engine's error classes: one per failure the UI treats differently. Each keeps its facts in
 * `data` (structured-clone safe, so they survive postMessage) and chains the original with `cause`.
 *
 * web-llm's own worker posts `err.toString()` and its index exports only `IntegrityError`, so a
 * caller cannot tell "no WebGPU" from "out of memory". The engine sorts every failure into one of
 * these classes (normalizeError.ts), sends it across the worker boundary as `{ name, message, data }`
 * and rebuilds the class on the main thread (errorWire.ts); what the user reads is worded from the
 * class and its data (errorWording.ts), never sent.
 *
 * Every class has the same constructor shape `(message, data, options)` so the wire format can
 * rebuild any of them (ENGINE_ERROR_CLASSES).
 */

/** Field values kept on an error; structured-clone safe so they survive postMessage. */
export type ErrorData = Record<string, string | number | boolean | undefined>;

export class EngineError extends Error {
  override name = 'EngineError';
  readonly data: ErrorData;
  constructor(message: string, data: ErrorData = {}, options?: ErrorOptions) {
    super(message, options);
    this.data = data;
  }
}

export class WebGPUNotAvailableError extends EngineError {
  override name = 'WebGPUNotAvailableError';
}

export class ShaderF16NotSupportedError extends EngineError {
  override name = 'ShaderF16NotSupportedError';
}

export class DeviceLostError extends EngineError {
  override name = 'DeviceLostError';
}

export class ModelNotFoundError extends EngineError {
  override name = 'ModelNotFoundError';
}

export class ModelLoadError extends EngineError {
  override name = 'ModelLoadError';
}

/**
 * A WebAssembly `LinkError` at load: the model library (.wasm) imports a runtime function this
 * web-llm does not provide, i.e. it was compiled for another web-llm version.
 */
export class ModelLibraryMismatchError extends EngineError {
  override name = 'ModelLibraryMismatchError';
}

export class NetworkError extends EngineError {
  override name = 'NetworkError';
}

export class QuotaExceededError extends EngineError {
  override name = 'QuotaExceededError';
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
}

/**
 * A downloaded model file does not match the SRI hash its model record carries (web-llm's
 * `IntegrityError`, with `url`, `expected` and `actual`). web-llm checks after caching the file, so the
 * app deletes the model's cached files when this happens (loadFailure.ts): nothing of it is kept.
 */
export class ModelIntegrityError extends EngineError {
  override name = 'ModelIntegrityError';
}

/**
 * A model's weights or library would be downloaded from a host this build's network policy does not
 * allow (src/engine/workerConnectPolicy.ts): a custom model saved under another build or deployment.
 * Nothing was fetched. Data: `url`.
 */
export class ModelHostNotAllowedError extends EngineError {
  override name = 'ModelHostNotAllowedError';
}

/**
 * The user cancelled a load (Engine.cancelLoad): its fetches were stopped. Files that were complete
 * stay in the browser cache, so the next load of the model fetches only what is missing.
 */
export class LoadCancelledError extends EngineError {
  override name = 'LoadCancelledError';
}

export class EngineNotLoadedError extends EngineError {
  override name = 'EngineNotLoadedError';
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
}

export type EngineErrorClass = new (message: string, data?: ErrorData, options?: ErrorOptions) => EngineError;

/** Every class by its name, as the wire format rebuilds them. */
export const ENGINE_ERROR_CLASSES: Readonly<Record<string, EngineErrorClass>> = {
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
  LoadCancelledError,
  PromptRenderingMismatchError,
};
