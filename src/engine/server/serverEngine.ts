/**
 * Generation on a model server (llama.cpp, TGI, OpenAI-compatible), from the page with fetch.
 *
 * Design:
 * - Same generation contract as the web-llm engine (TextGenerator): the chat builds the raw prompt,
 *   this sends it, streams the text back and resolves with the finish reason and stats; the chat then
 *   parses, validates, asks and dispatches as for any model. No web-llm here, and no worker: the
 *   network is the server's GPU.
 * - "Loading" is asking the server what it runs (`/props`, `/info`, `/v1/models`): it proves the
 *   server is reachable from this page (CORS included) and gives the context window where it says.
 * - Stop aborts the fetch (AbortController): the server sees the connection close and stops
 *   generating; the partial text is kept with finish reason 'abort', as web-llm's interrupt does.
 * - The prompt's BOS text (`<s>` for Llama-2) is dropped before sending: llama.cpp, TGI and vLLM
 *   add the model's BOS themselves when they tokenize a text prompt, and a second one would change
 *   the model's answer (llama.cpp warns about exactly that).
 * - HTTP and SSE details live in pure modules (sse.ts, serverProtocols.ts, serverConstraint.ts).
 */
import { getPromptFormat } from '../../lib/formats/index.ts';
import type { GenerateRequest, GenerateResult, GenerationStats } from '../../lib/types/generation.ts';
import type { LoadResult } from '../engine.ts';
import { EngineNotLoadedError, PromptRenderingMismatchError } from '../errors.ts';
import { toServerConstraint } from './serverConstraint.ts';
import { dropped, httpFailure, streamError, unreachable } from './serverErrors.ts';
import type { ServerModelRecord } from './serverModel.ts';
import {
  buildGenerateRequest,
  enforces,
  errorMessageOf,
  infoUrl,
  listedModels,
  readServerInfo,
  StreamInterpreter,
  type ServerInfo,
} from './serverProtocols.ts';
import { SseReader } from './sse.ts';

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

function headersFor(record: ServerModelRecord, json: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  if (json) {
    headers['Content-Type'] = 'application/json';
    headers.Accept = 'text/event-stream';
  }
  if (record.apiKey) headers.Authorization = `Bearer ${record.apiKey}`;
  return headers;
}

function isAbort(e: unknown): boolean {
  return e instanceof DOMException ? e.name === 'AbortError' : e instanceof Error && e.name === 'AbortError';
}

async function bodyMessage(response: Response): Promise<string | undefined> {
  const text = await response.text().catch(() => '');
  try {
    return errorMessageOf(JSON.parse(text) as unknown) ?? (text.trim().slice(0, 500) || undefined);
  } catch {
    return text.trim().slice(0, 500) || undefined;
  }
}

/** The prompt without the BOS text the server adds by itself. */
function withoutBos(record: ServerModelRecord, prompt: string): string {
  const bos = getPromptFormat(record.formatId).syntax.bos;
  return bos && prompt.startsWith(bos) ? prompt.slice(bos.length) : prompt;
}

/** The answer ends before a stop string (TGI streams the stop sequence it matched; the others do not). */
function beforeStop(text: string, stop: readonly string[] | undefined): string {
  for (const s of stop ?? []) if (s && text.endsWith(s)) return text.slice(0, -s.length);
  return text;
}

export class ServerEngine {
  readonly #fetch: FetchFn;
  readonly #now: () => number;
  #record: ServerModelRecord | undefined;
  #info: ServerInfo = {};
  #controller: AbortController | undefined;

  constructor(fetchFn: FetchFn = (input, init) => fetch(input, init), now: () => number = () => performance.now()) {
    this.#fetch = fetchFn;
    this.#now = now;
  }

  /** The server model in use, undefined before a load. */
  get record(): ServerModelRecord | undefined {
    return this.#record;
  }

  /**
   * Asks the server what it runs.
   * @throws ServerError when it cannot be reached, is still loading, refuses, or lacks the named model
   */
  async load(record: ServerModelRecord): Promise<LoadResult> {
    const started = this.#now();
    this.#record = undefined;
    const url = infoUrl(record);
    let response: Response;
    try {
      response = await this.#fetch(url, { headers: headersFor(record, false) });
    } catch (e) {
      throw unreachable(record.baseUrl, e);
    }
    if (!response.ok) throw httpFailure(url, response.status, await bodyMessage(response));
    const body: unknown = await response.json().catch(() => undefined);
    const info = readServerInfo(record.kind, body, record.model);
    if (record.kind === 'openai' && record.model !== undefined && info.modelName === undefined) {
      const served = listedModels(body);
      throw httpFailure(
        url,
        404,
        `no model "${record.model}" here${served.length > 0 ? `; it serves ${served.join(', ')}` : ''}`,
      );
    }
    this.#record = record;
    this.#info = info;
    return {
      modelId: record.id,
      elapsedMs: this.#now() - started,
      fromCache: false,
      ...(info.contextWindow !== undefined ? { contextWindow: info.contextWindow } : {}),
    };
  }

  unload(): void {
    this.interrupt();
    this.#record = undefined;
    this.#info = {};
  }

  interrupt(): void {
    this.#controller?.abort();
    this.#controller = undefined;
  }

  /**
   * Streams a raw prompt's continuation.
   * @throws EngineNotLoadedError before a load; PromptRenderingMismatchError for chat messages (a
   *   server model renders its prompts itself, raw); ServerError for the server's failures
   */
  async generate(request: GenerateRequest, onDelta?: (delta: string, text: string) => void): Promise<GenerateResult> {
    const record = this.#record;
    if (!record) throw new EngineNotLoadedError('No server model is loaded.');
    if (request.api !== 'completion') {
      throw new PromptRenderingMismatchError('Server models take raw prompts only.', {
        loaded: 'raw',
        needed: 'template',
        modelId: record.id,
      });
    }
    const constraint = toServerConstraint(request.responseFormat);
    const http = buildGenerateRequest(
      record,
      { ...request, prompt: withoutBos(record, request.prompt) },
      enforces(record.kind, constraint) ? constraint : undefined,
      this.#info,
    );
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    const started = this.#now();
    let firstTokenAt: number | undefined;
    let text = '';
    try {
      let response: Response;
      try {
        response = await this.#fetch(http.url, {
          method: 'POST',
          headers: headersFor(record, true),
          body: JSON.stringify(http.body),
          signal: controller.signal,
        });
      } catch (e) {
        if (isAbort(e)) throw e;
        throw unreachable(record.baseUrl, e);
      }
      if (!response.ok) throw httpFailure(http.url, response.status, await bodyMessage(response));
      if (!response.body) throw dropped(http.url, 0);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const sse = new SseReader();
      const interpreter = new StreamInterpreter(record.kind);
      for (;;) {
        const { done, value } = await reader.read();
        const events = done ? sse.push(decoder.decode()) : sse.push(decoder.decode(value, { stream: true }));
        for (const event of events) {
          const step = interpreter.read(event);
          if (step.type === 'ignore') continue;
          if (step.type === 'error') throw streamError(http.url, step.message);
          if (step.delta) {
            firstTokenAt ??= this.#now();
            text += step.delta;
            onDelta?.(step.delta, text);
          }
          if (step.type === 'end') {
            void reader.cancel().catch(() => undefined);
            return {
              text: beforeStop(text, request.stop),
              finishReason: step.finishReason,
              stats: this.#stats(step.stats, started, firstTokenAt),
            };
          }
        }
        if (done) throw dropped(http.url, text.length);
      }
    } catch (e) {
      if (controller.signal.aborted) return { text, finishReason: 'abort' };
      throw e;
    } finally {
      if (this.#controller === controller) this.#controller = undefined;
    }
  }

  /** The server's figures, completed with what the page measured where the server says nothing. */
  #stats(server: GenerationStats | undefined, started: number, firstTokenAt: number | undefined): GenerationStats {
    const ended = this.#now();
    const stats: GenerationStats = { ...server };
    stats.e2eLatencyS ??= (ended - started) / 1000;
    if (firstTokenAt !== undefined) {
      stats.timeToFirstTokenS ??= (firstTokenAt - started) / 1000;
      const decodeS = (ended - firstTokenAt) / 1000;
      // The first token ends the prefill; the others were decoded in the time since.
      if (stats.decodeTokensPerS === undefined && stats.completionTokens !== undefined && decodeS > 0) {
        stats.decodeTokensPerS = Math.max(0, stats.completionTokens - 1) / decodeS;
      }
    }
    return stats;
  }
}
