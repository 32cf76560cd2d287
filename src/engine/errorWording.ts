/**
 * What an engine error tells the person using the app: one short sentence, and what they can do about
 * it when there is something to do. Worded from the error's class (its `name`) and its `data` on the
 * side that shows it — never sent across the worker boundary — so the app and the widget say the same.
 */
import type { EngineError } from './errors.ts';
import { MODEL_LIB_VERSION, WEB_LLM_VERSION } from './webLlmVersion.ts';
import { HOST_NOT_ALLOWED_ADVICE, hostNotAllowedMessage } from '../security/contentSecurityPolicy.ts';

export interface ErrorWording {
  /** A short sentence for the person using the app. */
  message: string;
  /** What they can do about it, when there is something to do. */
  advice?: string;
}

/** What the side that shows a load failure knows besides the error (loadFailure.ts fills it in). */
export interface LoadContext {
  /** The host the model's files come from, e.g. "huggingface.co". */
  host?: string;
  /** navigator.onLine when the load failed: false means the browser knows it is offline. */
  online?: boolean;
}

/** The host of `url`, or undefined when it is not an absolute URL. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

/** A download that failed: offline, no answer at all (the request itself failed), or an HTTP error. */
function wordNetworkError(err: EngineError, context: LoadContext): ErrorWording {
  const url = err.data.url !== undefined ? String(err.data.url) : undefined;
  const host = context.host ?? hostOf(url);
  const from = host ? ` from ${host}` : '';
  const kept = 'files already downloaded are kept, and models saved for offline use still load without a connection.';
  if (context.online === false) {
    return {
      message: `You are offline, so the model files cannot be downloaded${from}.`,
      advice: `Connect to the internet and try again; ${kept}`,
    };
  }
  // No HTTP status: the request got no answer at all, which is what a lost connection looks like
  // (some browsers keep navigator.onLine true when offline).
  if (err.data.status === undefined) {
    return {
      message: `You appear to be offline: ${host ?? 'the model host'} could not be reached, so the model files cannot be downloaded.`,
      advice: `Check your connection and try again; ${kept}`,
    };
  }
  return {
    message: `A model file could not be downloaded${from} (HTTP ${String(err.data.status)}${url ? `, ${url}` : ''}).`,
    advice: 'Check the model URL, then try again; files already downloaded are kept.',
  };
}

/**
 * The wording of `err`; a class without its own words shows its message as it is.
 * @param context for a failed download: where the files come from and whether the browser is offline
 */
export function wordError(err: EngineError, context: LoadContext = {}): ErrorWording {
  const data = err.data;
  const text = (key: string): string | undefined => (data[key] !== undefined ? String(data[key]) : undefined);
  switch (err.name) {
    case 'WebGPUNotAvailableError':
      return {
        message: 'WebGPU is not available in this browser, so models cannot run here.',
        advice:
          'Use a recent Chrome, Edge or Safari 26+ on a computer with a GPU. On Linux Chrome, enable chrome://flags/#enable-unsafe-webgpu and chrome://flags/#enable-vulkan.',
      };
    case 'ShaderF16NotSupportedError':
      return {
        message:
          'This model variant needs 16-bit float shaders (shader-f16), which this GPU or browser does not offer.',
        advice: 'Pick the q4f32 variant of the same model; it runs without shader-f16.',
      };
    case 'DeviceLostError':
      return {
        message: 'The GPU stopped responding (device lost), often because it ran out of memory.',
        advice: 'Reload the model, or choose a smaller one or a shorter context. Your conversation is kept.',
      };
    case 'ModelNotFoundError':
      return { message: `The model "${text('modelId') ?? ''}" is not in the catalog or your custom models.` };
    case 'ModelLoadError':
      return { message: `The model could not be loaded: ${err.message}` };
    case 'ModelLibraryMismatchError': {
      const missing = text('missingImport');
      const asks = missing ? ` (it asks for "${missing}", which this version lacks)` : '';
      return {
        message: `The model library was compiled for a different web-llm version${asks}. This app runs web-llm ${WEB_LLM_VERSION}.`,
        advice: `Use a model library built for web-llm ${WEB_LLM_VERSION} (modelVersion ${MODEL_LIB_VERSION}), e.g. the prebuilt library of the same architecture from the catalog.`,
      };
    }
    case 'NetworkError':
      return wordNetworkError(err, context);
    case 'QuotaExceededError':
      return {
        message: 'The browser storage is full, so the model cannot be saved for offline use.',
        advice: 'Delete cached models you no longer need (Models → Storage) or free disk space, then retry.',
      };
    case 'WorkerCrashedError':
      return {
        message: `The engine stopped unexpectedly (${err.message}).`,
        advice: 'It restarts by itself and reloads the model from the browser cache; your conversation is kept.',
      };
    case 'ModelIntegrityError': {
      // web-llm checks after caching the file, so the app deletes the model's cached files (loadFailure.ts).
      const expected = text('expected');
      const hashes = expected ? ` Expected ${expected}, got ${text('actual') ?? '?'}.` : '';
      return {
        message: `${text('url') ?? 'A model file'} does not match its integrity hash; nothing was kept.`,
        advice: `The file may be corrupted or was changed on the server. Check the hashes in the model's settings, or ask its publisher.${hashes}`,
      };
    }
    case 'ModelHostNotAllowedError':
      return {
        message: hostNotAllowedMessage(text('url') ?? 'the model'),
        advice: HOST_NOT_ALLOWED_ADVICE,
      };
    case 'EngineNotLoadedError':
      return { message: 'No model is loaded yet.', advice: 'Load a model first.' };
    case 'LoadCancelledError':
      return {
        message: 'The download was cancelled.',
        advice: 'The files already downloaded are kept; loading the model again fetches only the rest.',
      };
    case 'PromptRenderingMismatchError':
      return {
        message:
          data.needed === 'raw'
            ? 'This model was loaded with its chat template, so a raw prompt cannot be grammar-constrained.'
            : 'This model was loaded for raw prompts, so it cannot take chat messages.',
        advice: 'Load the model again: it is loaded the way its prompt format needs.',
      };
    default:
      return { message: err.message };
  }
}
