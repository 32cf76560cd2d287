/**
 * The worker's request handler, over an injected web-llm engine (worker.ts wires the real MLCEngine;
 * unit tests pass a fake). Why our own handler rather than web-llm's WebWorkerMLCEngineHandler: that
 * one posts `err.toString()`, so error classes and fields are lost and would have to be re-guessed
 * from text; ours sends `{name, message, data}` (errorWire.ts), keeps one typed protocol (protocol.ts),
 * and lets load report `fromCache` and generations be abandoned per request id.
 *
 * Always replies: every request ends in exactly one `result` or `error` with its id.
 */
import type {
  AppConfig,
  ChatOptions,
  ChatCompletionChunk,
  ChatCompletionRequestStreaming,
  Completion,
  CompletionCreateParamsStreaming,
  InitProgressReport,
  ModelRecord,
} from '@mlc-ai/web-llm';
import {
  modelIdOf,
  type CachedModelInfo,
  type ModelSource,
  type PromptRendering,
  type TokenizeResult,
} from './engine.ts';
import type {
  ChatMessage,
  FinishReason,
  GenerateRequest,
  GenerateResult,
  GenerationStats,
} from '../lib/types/generation.ts';
import { resultReply, type ResultMap, type WorkerReply, type WorkerRequest } from './protocol.ts';
import {
  EngineNotLoadedError,
  ModelHostNotAllowedError,
  ModelNotFoundError,
  PromptRenderingMismatchError,
} from './errors.ts';
import { serializeError } from './errorWire.ts';
import { parseProgress } from './progress.ts';
import { DeltaBatcher } from './deltaBatcher.ts';
import { readChunk, toChatParams, toCompletionParams, toRawChatParams, usageToStats } from './requestMapping.ts';
import { chatOptionsFor } from './passThroughTemplate.ts';
import { modelRecordFor } from './customModelRecord.ts';
import { conversationAfter, rawPromptMessages, reusedPromptTokens, type KvConversation } from './promptReuse.ts';
import type { ModelCacheCompleteness } from './cacheCompleteness.ts';

/** The parts of web-llm's MLCEngine the host uses (MLCEngine satisfies it). */
export interface LlmBackend {
  setAppConfig(appConfig: AppConfig): void;
  setInitProgressCallback(cb?: (report: InitProgressReport) => void): void;
  reload(modelId: string, chatOpts?: ChatOptions): Promise<void>;
  unload(): Promise<void>;
  interruptGenerate(): void | Promise<void>;
  completions: { create(params: CompletionCreateParamsStreaming): Promise<AsyncIterable<Completion>> };
  chat: {
    completions: { create(params: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>> };
  };
}

export interface HostDeps {
  backend: LlmBackend;
  baseAppConfig: AppConfig;
  post(reply: WorkerReply): void;
  /** Whether every file a load reads is cached (cacheCompleteness.ts), or part of them, or none. */
  cacheCompleteness(
    record: ModelRecord,
    appConfig: AppConfig,
  ): Promise<Pick<ModelCacheCompleteness, 'state' | 'cachedBytes' | 'totalBytes'>>;
  deleteModelAllInfoInCache(modelId: string, appConfig: AppConfig): Promise<void>;
  cachedBytes(record: ModelRecord): Promise<number | undefined>;
  tokenize(modelId: string, text: string): Promise<TokenizeResult>;
  now(): number;
  /** The network allow-list (workerConnectPolicy.ts); a record from another host is refused. */
  allowsUrl?(url: string): boolean;
}

export class WorkerHost {
  #deps: HostDeps;
  #appConfig: AppConfig;
  /** The loaded model, and how its prompts are rendered (its load's ModelSource.promptRendering). */
  #loaded: { modelId: string; rendering: PromptRendering } | undefined;
  /** The generation running now, and whether an interrupt asked it to stop. */
  #running: { id: string; interrupted: boolean } | undefined;
  /** What web-llm's KV cache holds after the last generation, when the next one can continue from it (promptReuse.ts). */
  #kv: KvConversation | undefined;

  constructor(deps: HostDeps) {
    this.#deps = deps;
    this.#appConfig = deps.baseAppConfig;
    deps.backend.setAppConfig(this.#appConfig);
  }

  /** Called when the GPU device is lost: the model is gone and must be reloaded. */
  markUnloaded(): void {
    this.#loaded = undefined;
    this.#kv = undefined;
  }

  async handle(msg: WorkerRequest): Promise<void> {
    const phase = msg.kind === 'load' ? 'load' : msg.kind === 'generate' ? 'generate' : 'other';
    try {
      switch (msg.kind) {
        case 'load':
          return this.#reply(msg.id, 'load', await this.#load(msg.id, msg.source));
        case 'generate':
          return this.#reply(msg.id, 'generate', await this.#generate(msg.id, msg.request));
        case 'interrupt':
          if (this.#running && (msg.target === undefined || msg.target === this.#running.id)) {
            this.#running.interrupted = true;
            await this.#deps.backend.interruptGenerate();
          }
          return this.#reply(msg.id, 'interrupt', null);
        case 'unload':
          this.#loaded = undefined;
          this.#kv = undefined;
          await this.#deps.backend.unload();
          return this.#reply(msg.id, 'unload', null);
        case 'cacheStatus':
          return this.#reply(msg.id, 'cacheStatus', await Promise.all(msg.models.map((m) => this.#cacheStatus(m))));
        case 'cacheDelete': {
          const record = this.#register(msg.model);
          await this.#deps.deleteModelAllInfoInCache(record.model_id, this.#appConfig);
          return this.#reply(msg.id, 'cacheDelete', null);
        }
        case 'tokenize':
          if (!this.#loaded) throw new EngineNotLoadedError('Load a model before tokenizing.');
          // The raw prompt's own ids: on a 'raw' model the constrained chat path sends the same ones
          // (the pass-through template adds no text and no BOS), so the check holds for both paths.
          return this.#reply(msg.id, 'tokenize', await this.#deps.tokenize(this.#loaded.modelId, msg.text));
      }
    } catch (e) {
      this.#deps.post({ kind: 'error', id: msg.id, error: serializeError(e, phase) });
    }
  }

  #reply<K extends keyof ResultMap>(id: string, kind: K, result: ResultMap[K]): void {
    this.#deps.post(resultReply(id, kind, result));
  }

  /** Finds the source's record (catalog or custom); custom records join the app config. */
  #register(source: ModelSource): ModelRecord {
    const custom = modelRecordFor(source);
    // Before the record reaches web-llm, which would download from its URLs.
    for (const url of custom ? [custom.model, custom.model_lib] : []) {
      if (this.#deps.allowsUrl && !this.#deps.allowsUrl(url)) {
        throw new ModelHostNotAllowedError(`${url} is not on the page's network allow-list.`, {
          url,
          modelId: modelIdOf(source),
        });
      }
    }
    if (custom) {
      const others = this.#appConfig.model_list.filter((r) => r.model_id !== custom.model_id);
      this.#appConfig = { ...this.#appConfig, model_list: [...others, custom] };
      this.#deps.backend.setAppConfig(this.#appConfig);
      return custom;
    }
    const modelId = modelIdOf(source);
    const found = this.#appConfig.model_list.find((r) => r.model_id === modelId);
    if (!found) throw new ModelNotFoundError(`No model record for ${modelId}.`, { modelId });
    return found;
  }

  async #load(id: string, source: ModelSource): Promise<ResultMap['load']> {
    const record = this.#register(source);
    const started = this.#deps.now();
    // Asked before the load, which caches what it downloads: true only when nothing had to be fetched.
    const fromCache = await this.#deps
      .cacheCompleteness(record, this.#appConfig)
      .then((c) => c.state === 'complete')
      .catch(() => false);
    this.#deps.backend.setInitProgressCallback((report) => {
      this.#deps.post({ kind: 'progress', id, progress: parseProgress(report, this.#deps.now() - started) });
    });
    this.#loaded = undefined;
    this.#kv = undefined;
    const rendering = source.promptRendering ?? 'template';
    try {
      // Only raw-prompt models get chat options: the others keep their mlc-chat-config.json untouched.
      const chatOpts = chatOptionsFor(rendering);
      if (chatOpts) await this.#deps.backend.reload(record.model_id, chatOpts);
      else await this.#deps.backend.reload(record.model_id);
    } finally {
      this.#deps.backend.setInitProgressCallback(undefined);
    }
    this.#loaded = { modelId: record.model_id, rendering };
    return { modelId: record.model_id, elapsedMs: this.#deps.now() - started, fromCache };
  }

  async #generate(id: string, request: GenerateRequest): Promise<GenerateResult> {
    if (!this.#loaded) throw new EngineNotLoadedError('No model is loaded.');
    const loaded = this.#loaded;
    const running = { id, interrupted: false };
    this.#running = running;
    // A raw prompt with a grammar on a raw model reaches web-llm as chat messages: these ones.
    const sent: GenerateRequest =
      request.api === 'completion' && request.responseFormat && loaded.rendering === 'raw'
        ? { api: 'chat', messages: rawPromptMessages(this.#kv, request.prompt) }
        : request;
    const reused = reusedPromptTokens(this.#kv, sent);
    // Whatever happens next, the cache no longer holds what #kv says until this generation ends well.
    this.#kv = undefined;
    try {
      const stream = await this.#stream(request, loaded, sent.api === 'chat' ? sent.messages : undefined);
      let text = '';
      let finishReason: FinishReason | undefined;
      let stats: GenerationStats | undefined;
      // Each message carries only its new text: the page adds it up (workerEngine.ts).
      const deltas = new DeltaBatcher({
        now: () => this.#deps.now(),
        send: (delta) => this.#deps.post({ kind: 'delta', id, delta }),
      });
      try {
        for await (const chunk of stream) {
          const parts = readChunk(chunk);
          if (parts.delta) {
            text += parts.delta;
            deltas.push(parts.delta);
          }
          if (parts.finishReason) finishReason = parts.finishReason;
          if (parts.usage) stats = usageToStats(parts.usage);
          // web-llm checks its interrupt flag only between decode steps; leaving the loop ends the
          // stream (its finally releases the model lock) even if a step was still running.
          if (running.interrupted && !finishReason) break;
        }
      } finally {
        // Before the result or the error: the page has every piece before the generation ends.
        deltas.flush();
      }
      if (running.interrupted && finishReason !== 'stop' && finishReason !== 'length') finishReason = 'abort';
      const result: GenerateResult = { text, finishReason: finishReason ?? 'stop' };
      if (stats) {
        result.stats = { ...stats, promptTokensReused: reused };
        this.#kv = conversationAfter(sent, text, result.finishReason, {
          reused,
          ...(stats.promptTokens !== undefined ? { read: stats.promptTokens } : {}),
          ...(stats.completionTokens !== undefined ? { completion: stats.completionTokens } : {}),
        });
      }
      return result;
    } finally {
      if (this.#running === running) this.#running = undefined;
    }
  }

  /**
   * Which web-llm API a request takes. A raw prompt with a grammar needs the chat API and a model
   * loaded with the pass-through template; chat messages need the model's own template. A mismatch
   * fails (PromptRenderingMismatchError): dropping the grammar, or sending messages without their
   * role markers, would give answers that only look right.
   */
  #stream(
    request: GenerateRequest,
    loaded: { modelId: string; rendering: PromptRendering },
    rawMessages?: ChatMessage[],
  ): Promise<AsyncIterable<Completion | ChatCompletionChunk>> {
    const mismatch = (needed: PromptRendering) =>
      new PromptRenderingMismatchError(
        needed === 'raw'
          ? `${loaded.modelId} was loaded with its chat template; a raw prompt with a response format needs promptRendering 'raw'.`
          : `${loaded.modelId} was loaded for raw prompts (pass-through template); chat messages need promptRendering 'template'.`,
        { modelId: loaded.modelId, loaded: loaded.rendering, needed },
      );
    const { backend } = this.#deps;
    if (request.api === 'chat') {
      if (loaded.rendering === 'raw') throw mismatch('template');
      return backend.chat.completions.create(toChatParams(request));
    }
    if (!request.responseFormat) return backend.completions.create(toCompletionParams(request));
    if (loaded.rendering !== 'raw') throw mismatch('raw');
    return backend.chat.completions.create(toRawChatParams(request, request.responseFormat, rawMessages));
  }

  async #cacheStatus(source: ModelSource): Promise<CachedModelInfo> {
    const record = this.#register(source);
    const completeness = await this.#deps.cacheCompleteness(record, this.#appConfig).catch(() => undefined);
    const info: CachedModelInfo = { modelId: record.model_id, cached: completeness?.state === 'complete' };
    if (completeness?.state === 'partial') {
      info.partial = { cachedBytes: completeness.cachedBytes };
      if (completeness.totalBytes !== undefined) info.partial.totalBytes = completeness.totalBytes;
    }
    const bytes = await this.#deps.cachedBytes(record).catch(() => undefined);
    if (bytes !== undefined) info.bytes = bytes;
    return info;
  }
}
