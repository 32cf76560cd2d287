/// <reference lib="webworker" />
/**
 * WORKER ENTRY: `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`.
 * The only module that loads web-llm at runtime; it wires web-llm's MLCEngine into WorkerHost
 * (workerHost.ts explains why we use our own handler instead of WebWorkerMLCEngineHandler).
 *
 * BOS and the raw completion API (checked in web-llm 0.2.86, lib/index.js):
 * - `completions.create({ prompt })` goes `preparePrefillInput` → `pipeline.resetChat()` and a text-
 *   completion conversation; `getInputData` then encodes `[prompt]` as-is. The conversation template's
 *   `system_prefix_token_ids` (where Llama-2's BOS `[1]` lives) are added ONLY on the chat path
 *   ("1.2. Conversation style"), never for text completion.
 * - The tokenizer is tokenizers-cpp, whose `Encode(text)` calls `Encode(text, add_special_tokens=false)`
 *   (HF tokenizer) / sentencepiece Encode without BOS: so no BOS is added there either.
 * So web-llm's completion API does NOT prepend BOS. A Trelis v2 / Llama-2 prompt must start with the
 * literal "<s>", exactly once; HF tokenizer.json (what the MLC Llama-2 builds ship) splits added special
 * tokens out of the text, so "<s>" becomes id 1. (A sentencepiece-only tokenizer would not: it would
 * encode "<s>" as plain characters.) The `tokenize` request below lets the inspector show the first ids
 * and count BOS, to confirm "BOS present once" on the real model.
 */
import { MLCEngine, deleteModelAllInfoInCache, hasModelInCache, prebuiltAppConfig } from '@mlc-ai/web-llm';
import type { WorkerReply, WorkerRequest } from './protocol.ts';
import type { TokenizeResult } from './engine.ts';
import { WorkerHost } from './workerHost.ts';
import { cachedBytes } from './cache.ts';
import { checkModelCache } from './cacheCompleteness.ts';
import { EngineNotLoadedError } from './errors.ts';
import { WorkerConnectPolicy } from './workerConnectPolicy.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (reply: WorkerReply) => scope.postMessage(reply);

/**
 * web-llm watches `device.lost` only to log it and unload; it has no callback. Wrapping
 * `requestDevice` lets us see every device web-llm creates and report a loss ('destroyed' is our own
 * unload, not a loss).
 */
function watchDeviceLoss(onLost: (message: string) => void): void {
  if (typeof GPUAdapter === 'undefined') return;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its adapter as `this`
  const original = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (this: GPUAdapter, descriptor?: GPUDeviceDescriptor) {
    const device = await original.call(this, descriptor);
    void device.lost.then((info) => {
      if (info.reason !== 'destroyed') onLost(info.message || 'The GPU device was lost.');
    });
    return device;
  };
}

/**
 * Tokenizes with the loaded pipeline's tokenizer. MLCEngine keeps it in private fields
 * (`loadedModelIdToPipeline`, `loadedModelIdToChatConfig`); this is a debug aid, so we read them
 * through a checked structural view and fail with a clear error if a web-llm upgrade renames them.
 */
function tokenizeWith(engine: MLCEngine, modelId: string, text: string): TokenizeResult {
  const internals = engine as unknown as {
    loadedModelIdToPipeline?: Map<string, { tokenizer?: { encode(t: string): ArrayLike<number> } }>;
    loadedModelIdToChatConfig?: Map<string, { bos_token_id?: number }>;
  };
  const tokenizer = internals.loadedModelIdToPipeline?.get(modelId)?.tokenizer;
  if (!tokenizer) throw new EngineNotLoadedError('The loaded model exposes no tokenizer (web-llm internals changed?).');
  const ids = Array.from(tokenizer.encode(text));
  const bosTokenId = internals.loadedModelIdToChatConfig?.get(modelId)?.bos_token_id;
  const result: TokenizeResult = { ids };
  if (bosTokenId !== undefined) {
    result.bosTokenId = bosTokenId;
    result.bosCount = ids.filter((id) => id === bosTokenId).length;
  }
  return result;
}

const engine = new MLCEngine({ appConfig: prebuiltAppConfig });
const connectPolicy = new WorkerConnectPolicy(scope.location.origin);

const host = new WorkerHost({
  backend: engine,
  baseAppConfig: prebuiltAppConfig,
  post,
  // Our own check reads the Cache API (web-llm's default backend); other backends keep web-llm's.
  cacheCompleteness: async (record, appConfig) =>
    (appConfig.cacheBackend ?? 'cache') === 'cache'
      ? checkModelCache(caches, record)
      : { state: (await hasModelInCache(record.model_id, appConfig)) ? 'complete' : 'absent', cachedBytes: 0 },
  deleteModelAllInfoInCache,
  cachedBytes: (record) => cachedBytes(caches, record),
  tokenize: async (modelId, text) => tokenizeWith(engine, modelId, text),
  now: () => performance.now(),
  allowsUrl: (url) => connectPolicy.allows(url),
});

watchDeviceLoss((message) => {
  host.markUnloaded();
  post({ kind: 'deviceLost', message });
});

scope.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  void host.handle(event.data);
});
