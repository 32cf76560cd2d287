/**
 * web-llm message classification: sorts any thrown value (a web-llm error, a DOMException, a
 * WebAssembly.LinkError, a `toString()`-ed string "Error: …") into one of our error classes
 * (errors.ts), by web-llm's `name` where it kept one, else by its message text.
 */
import {
  DeviceLostError,
  EngineError,
  EngineNotLoadedError,
  GenerationError,
  ModelIntegrityError,
  ModelLibraryMismatchError,
  ModelLoadError,
  ModelNotFoundError,
  NetworkError,
  QuotaExceededError,
  ShaderF16NotSupportedError,
  WebGPUNotAvailableError,
  WorkerCrashedError,
  type EngineErrorClass,
  type ErrorData,
} from './errors.ts';
import { MODEL_LIB_VERSION, WEB_LLM_VERSION } from './webLlmVersion.ts';

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
  const make = (C: EngineErrorClass, data: ErrorData = {}) => new C(message, { ...context, ...data }, cause);

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
