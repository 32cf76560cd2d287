/**
 * The three server protocols as pure functions: the streaming request each endpoint takes, what one
 * streamed event means (new text, the end with its finish reason and timings, or an error), and what
 * the server says about itself (context window, model name). No fetch here: serverEngine.ts does the
 * HTTP, these say what to send and how to read it, so unit tests feed them recorded streams.
 *
 * Formats, from each project's documentation:
 * - llama.cpp `POST /completion` (tools/server/README.md): `data: {"content": "…", "stop": false, …}`
 *   per token; the last event has `"stop": true`, `stop_type` ("eos", "limit", "word") and `timings`
 *   (`prompt_n`, `prompt_per_second`, `predicted_n`, `predicted_per_second`, `cache_n`…). Errors in
 *   the stream come as an `error: {…}` line. `GET /props`: `default_generation_settings.n_ctx`.
 * - TGI `POST /generate_stream` (router/src/lib.rs StreamResponse): `data:{"index":…,"token":{"id",
 *   "text","logprob","special"},"generated_text":null,"details":null}`; the last event carries
 *   `generated_text` and, with `details: true`, `{"finish_reason":"length"|"eos_token"|"stop_sequence",
 *   "generated_tokens","input_length"}`. Errors: `data:{"error":"…","error_type":"…"}`.
 *   `GET /info`: `model_id`, `max_total_tokens`, `max_input_tokens`, `max_stop_sequences`.
 * - OpenAI `POST /v1/completions` with `stream: true`: `data: {"choices":[{"text":"…","finish_reason":
 *   null}]}` per piece, a usage chunk with `stream_options.include_usage`, then `data: [DONE]`.
 *   `GET /v1/models`: `data[].id` (vLLM adds `max_model_len`).
 */
import type { FinishReason, GenerateRequest, GenerationStats } from '../../lib/types/generation.ts';
import type { ServerConstraint } from './serverConstraint.ts';
import type { ServerKind, ServerModelRecord } from './serverModel.ts';
import type { SseEvent } from './sse.ts';

type CompletionRequest = Extract<GenerateRequest, { api: 'completion' }>;

export interface ServerHttpRequest {
  url: string;
  body: Record<string, unknown>;
}

/** What one streamed event says. */
export type StreamStep =
  | { type: 'text'; delta: string }
  | { type: 'end'; delta: string; finishReason: FinishReason; stats?: GenerationStats }
  | { type: 'error'; message: string }
  | { type: 'ignore' };

export interface ServerInfo {
  contextWindow?: number;
  modelName?: string;
  /** TGI refuses more stop sequences than this (`max_stop_sequences`). */
  maxStopSequences?: number;
}

/** The endpoint that streams a completion. */
export function generateUrl(record: ServerModelRecord): string {
  if (record.kind === 'llamacpp') return `${record.baseUrl}/completion`;
  if (record.kind === 'tgi') return `${record.baseUrl}/generate_stream`;
  return `${record.baseUrl}/v1/completions`;
}

/** The endpoint that says what the server runs. */
export function infoUrl(record: ServerModelRecord): string {
  if (record.kind === 'llamacpp') return `${record.baseUrl}/props`;
  if (record.kind === 'tgi') return `${record.baseUrl}/info`;
  return `${record.baseUrl}/v1/models`;
}

function llamaCppBody(req: CompletionRequest, constraint: ServerConstraint | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {
    prompt: req.prompt,
    stream: true,
    // -1: until the model stops or the context is full (llama.cpp's own default).
    n_predict: req.maxTokens ?? -1,
    // The next turn of a conversation extends this prompt: its cached prefix is not read again.
    cache_prompt: true,
  };
  if (req.stop && req.stop.length > 0) body.stop = req.stop;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (constraint?.kind === 'json') body.json_schema = constraint.schema;
  if (constraint?.kind === 'grammar') body.grammar = constraint.grammar;
  return body;
}

function tgiBody(
  req: CompletionRequest,
  constraint: ServerConstraint | undefined,
  info: ServerInfo,
): Record<string, unknown> {
  const parameters: Record<string, unknown> = { details: true };
  if (req.maxTokens !== undefined) parameters.max_new_tokens = req.maxTokens;
  if (req.stop && req.stop.length > 0) parameters.stop = req.stop.slice(0, info.maxStopSequences ?? 4);
  // TGI refuses temperature 0 ("must be strictly positive"); without sampling it decodes greedily.
  if (req.temperature !== undefined && req.temperature > 0) {
    parameters.temperature = req.temperature;
    parameters.do_sample = true;
  }
  if (constraint?.kind === 'json') parameters.grammar = { type: 'json', value: constraint.schema };
  return { inputs: req.prompt, parameters, stream: true };
}

function openAiBody(
  req: CompletionRequest,
  constraint: ServerConstraint | undefined,
  record: ServerModelRecord,
  info: ServerInfo,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    prompt: req.prompt,
    stream: true,
    stream_options: { include_usage: true },
  };
  const model = record.model ?? info.modelName;
  if (model) body.model = model;
  if (req.maxTokens !== undefined) body.max_tokens = req.maxTokens;
  if (req.stop && req.stop.length > 0) body.stop = req.stop;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  // vLLM reads `structured_outputs` (since 0.10; `guided_*` were removed in 0.12), llama.cpp its own
  // `json_schema` / `grammar`; each server ignores the other's field.
  if (constraint?.kind === 'json') {
    body.structured_outputs = { json: constraint.schema };
    body.json_schema = constraint.schema;
  }
  if (constraint?.kind === 'grammar') {
    body.structured_outputs = { grammar: constraint.grammar };
    body.grammar = constraint.grammar;
  }
  return body;
}

/** Which constraints a kind of server enforces (see serverConstraint.ts). */
export function enforces(kind: ServerKind, constraint: ServerConstraint | undefined): boolean {
  if (!constraint) return true;
  return kind !== 'tgi' || constraint.kind === 'json';
}

/** The streaming request for `req` (a raw prompt) on this server. */
export function buildGenerateRequest(
  record: ServerModelRecord,
  req: CompletionRequest,
  constraint: ServerConstraint | undefined,
  info: ServerInfo = {},
): ServerHttpRequest {
  const body =
    record.kind === 'llamacpp'
      ? llamaCppBody(req, constraint)
      : record.kind === 'tgi'
        ? tgiBody(req, constraint, info)
        : openAiBody(req, constraint, record, info);
  return { url: generateUrl(record), body };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Keeps only the stats that are finite numbers. */
function cleanStats(stats: GenerationStats): GenerationStats | undefined {
  const kept = Object.fromEntries(Object.entries(stats).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)));
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/**
 * The message of an error body, whichever shape the server uses: llama.cpp and OpenAI
 * `{"error": {"message": …}}`, TGI and Ollama `{"error": "…"}`, older vLLM `{"message": …}`.
 */
export function errorMessageOf(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const error = body.error;
  if (typeof error === 'string' && error) return error;
  if (isObject(error) && typeof error.message === 'string' && error.message) return error.message;
  if (typeof body.message === 'string' && body.message) return body.message;
  if (typeof body.detail === 'string' && body.detail) return body.detail;
  return undefined;
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

/** llama.cpp `timings` → our stats. */
export function llamaCppStats(timings: unknown, done: Record<string, unknown>): GenerationStats | undefined {
  const t = isObject(timings) ? timings : {};
  const promptMs = num(t.prompt_ms);
  const predictedMs = num(t.predicted_ms);
  const stats: GenerationStats = {
    promptTokens: num(t.prompt_n) ?? num(done.tokens_evaluated),
    promptTokensReused: num(t.cache_n) ?? num(done.tokens_cached),
    completionTokens: num(t.predicted_n) ?? num(done.tokens_predicted),
    prefillTokensPerS: num(t.prompt_per_second),
    decodeTokensPerS: num(t.predicted_per_second),
    timeToFirstTokenS: promptMs !== undefined ? promptMs / 1000 : undefined,
    e2eLatencyS: promptMs !== undefined && predictedMs !== undefined ? (promptMs + predictedMs) / 1000 : undefined,
  };
  return cleanStats(stats);
}

function readLlamaCpp(event: SseEvent): StreamStep {
  const json = parseJson(event.data);
  if (!isObject(json)) return { type: 'ignore' };
  if (event.event === 'error' || 'error' in json) {
    return { type: 'error', message: errorMessageOf(json) ?? event.data };
  }
  const delta = typeof json.content === 'string' ? json.content : '';
  if (json.stop !== true) return { type: 'text', delta };
  const limit = json.stop_type === 'limit' || json.stopped_limit === true;
  const stats = llamaCppStats(json.timings, json);
  return { type: 'end', delta, finishReason: limit ? 'length' : 'stop', ...(stats ? { stats } : {}) };
}

function readTgi(event: SseEvent): StreamStep {
  const json = parseJson(event.data);
  if (!isObject(json)) return { type: 'ignore' };
  if ('error' in json) return { type: 'error', message: errorMessageOf(json) ?? event.data };
  const token = isObject(json.token) ? json.token : {};
  // The end-of-sequence token is special: its text ("</s>") is not part of the answer.
  const delta = token.special === true || typeof token.text !== 'string' ? '' : token.text;
  if (json.generated_text === null || json.generated_text === undefined) return { type: 'text', delta };
  const details = isObject(json.details) ? json.details : {};
  const stats = cleanStats({
    promptTokens: num(details.input_length),
    completionTokens: num(details.generated_tokens),
  });
  return {
    type: 'end',
    delta,
    finishReason: details.finish_reason === 'length' ? 'length' : 'stop',
    ...(stats ? { stats } : {}),
  };
}

/** OpenAI chunks carry no end flag of their own: the end is `[DONE]` (see OpenAiStreamState). */
function readOpenAi(
  event: SseEvent,
): StreamStep | { type: 'chunk'; delta: string; finish?: FinishReason; usage?: GenerationStats } {
  if (event.data.trim() === '[DONE]') return { type: 'end', delta: '', finishReason: 'stop' };
  const json = parseJson(event.data);
  if (!isObject(json)) return { type: 'ignore' };
  if ('error' in json || json.object === 'error') return { type: 'error', message: errorMessageOf(json) ?? event.data };
  const choices = Array.isArray(json.choices) ? json.choices : [];
  const choice: unknown = choices[0];
  const delta = isObject(choice) && typeof choice.text === 'string' ? choice.text : '';
  const reason = isObject(choice) ? choice.finish_reason : undefined;
  const usage = isObject(json.usage) ? json.usage : undefined;
  const stats = usage
    ? cleanStats({ promptTokens: num(usage.prompt_tokens), completionTokens: num(usage.completion_tokens) })
    : undefined;
  return {
    type: 'chunk',
    delta,
    ...(reason === 'length' ? { finish: 'length' as const } : reason === 'stop' ? { finish: 'stop' as const } : {}),
    ...(stats ? { usage: stats } : {}),
  };
}

/**
 * Reads a server's stream event by event. OpenAI streams say the finish reason in one chunk and end
 * with `[DONE]` after the usage chunk, so the reader keeps what it saw until the end.
 */
export class StreamInterpreter {
  readonly #kind: ServerKind;
  #finish: FinishReason | undefined;
  #usage: GenerationStats | undefined;

  constructor(kind: ServerKind) {
    this.#kind = kind;
  }

  read(event: SseEvent): StreamStep {
    if (this.#kind === 'llamacpp') return readLlamaCpp(event);
    if (this.#kind === 'tgi') return readTgi(event);
    const step = readOpenAi(event);
    if (step.type !== 'chunk') {
      if (step.type !== 'end') return step;
      return {
        type: 'end',
        delta: '',
        finishReason: this.#finish ?? 'stop',
        ...(this.#usage ? { stats: this.#usage } : {}),
      };
    }
    if (step.finish) this.#finish = step.finish;
    if (step.usage) this.#usage = step.usage;
    return { type: 'text', delta: step.delta };
  }
}

/** What `/props`, `/info` or `/v1/models` say about the model. */
export function readServerInfo(kind: ServerKind, body: unknown, wantedModel?: string): ServerInfo {
  if (!isObject(body)) return {};
  const info: ServerInfo = {};
  if (kind === 'llamacpp') {
    const settings = isObject(body.default_generation_settings) ? body.default_generation_settings : {};
    const nCtx = num(settings.n_ctx) ?? num(body.n_ctx);
    if (nCtx !== undefined && nCtx > 0) info.contextWindow = nCtx;
    const path = typeof body.model_path === 'string' ? body.model_path : undefined;
    if (path) info.modelName = path.split(/[\\/]/).pop() ?? path;
    return info;
  }
  if (kind === 'tgi') {
    const total = num(body.max_total_tokens);
    if (total !== undefined && total > 0) info.contextWindow = total;
    if (typeof body.model_id === 'string') info.modelName = body.model_id;
    const maxStops = num(body.max_stop_sequences);
    if (maxStops !== undefined) info.maxStopSequences = maxStops;
    return info;
  }
  const models = Array.isArray(body.data) ? body.data.filter(isObject) : [];
  const model = models.find((m) => m.id === wantedModel) ?? (wantedModel === undefined ? models[0] : undefined);
  if (model) {
    if (typeof model.id === 'string') info.modelName = model.id;
    const len = num(model.max_model_len) ?? num(isObject(model.meta) ? model.meta.n_ctx_train : undefined);
    if (len !== undefined && len > 0) info.contextWindow = len;
  }
  return info;
}

/** The model ids an OpenAI-compatible server lists (for the "model not found" message). */
export function listedModels(body: unknown): string[] {
  if (!isObject(body) || !Array.isArray(body.data)) return [];
  return body.data.filter(isObject).flatMap((m) => (typeof m.id === 'string' ? [m.id] : []));
}
