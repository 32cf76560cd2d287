/**
 * Scripted model servers for the tests (Node, node:http): each speaks one protocol's streaming format
 * byte for byte as its project documents it — llama.cpp `POST /completion`, TGI `POST
 * /generate_stream`, OpenAI `POST /v1/completions` (as vLLM writes it) — plus the endpoint that says
 * what it runs (`/props`, `/info`, `/v1/models`). The examples in tests/fixtures/servers/ are what
 * these servers send for the scripted answer in their README; a unit test checks that the two agree.
 *
 * The answer to a request is chosen by the first rule whose `match` (a regular expression) matches the
 * prompt; the server records every request (its JSON body) and whether the client closed the
 * connection before the answer ended (Stop aborts the fetch). Replies can also fail: an HTTP error
 * with the server's own error body, an error event in the stream, or a stream that simply ends
 * without its final event (a dropped connection).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readJsonBody } from './readJsonBody.ts';

export type ModelServerKind = 'llamacpp' | 'tgi' | 'openai';

export type ServerReply =
  /** Streams these pieces (one token each), then the final event. */
  | { tokens: string[]; finish?: 'stop' | 'length'; delayMs?: number }
  /** Streams these pieces, then ends the response without the final event. */
  | { tokens: string[]; drop: true; delayMs?: number }
  /** Streams these pieces, then the protocol's error event. */
  | { tokens: string[]; streamError: string }
  /** Answers with this status and the protocol's error body. */
  | { status: number; error: string };

export interface ServerRule {
  match: string;
  reply: ServerReply;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> | undefined;
  /** The client closed the connection before the answer ended. */
  aborted: boolean;
}

export interface ModelServerOptions {
  kind: ModelServerKind;
  port?: number;
  rules?: ServerRule[];
  /** Send CORS headers (default true); false makes the server unreachable from a page. */
  cors?: boolean;
  /** HTTP status of the info endpoint (503: the model is still loading). */
  infoStatus?: number;
  /** Required `Authorization: Bearer …` value, when set. */
  apiKey?: string;
}

export interface ModelServer {
  url: string;
  kind: ModelServerKind;
  requests: RecordedRequest[];
  /** The generation requests only. */
  generations(): RecordedRequest[];
  setRules(rules: ServerRule[]): void;
  setInfoStatus(status: number): void;
  close(): Promise<void>;
}

export const MODEL_FILE = 'models/llama-2-7b-chat-hf-function-calling-v2.Q4_K_M.gguf';
export const MODEL_ID = 'Trelis/Llama-2-7b-chat-hf-function-calling-v2';
export const CONTEXT_WINDOW = 4096;
/** Fixed, so the recorded examples stay byte-identical. */
const CREATED = 1732950000;

/** Token ids are fake but stable: the position in the answer plus 1000. */
function tokenId(i: number): number {
  return 1000 + i;
}

function promptTokens(prompt: string): number {
  return Math.max(1, Math.ceil(prompt.length / 4));
}

/** The info endpoint's body, as each server documents it. */
export function infoBody(kind: ModelServerKind): unknown {
  if (kind === 'llamacpp') {
    return {
      default_generation_settings: {
        id: 0,
        id_task: -1,
        n_ctx: CONTEXT_WINDOW,
        speculative: false,
        is_processing: false,
        params: { n_predict: -1, seed: 4294967295, temperature: 0.800000011920929, top_k: 40, stop: [], grammar: '' },
      },
      total_slots: 1,
      model_path: MODEL_FILE,
      chat_template: '',
      modalities: { vision: false },
      build_info: 'b4000-0123abcd',
      is_sleeping: false,
    };
  }
  if (kind === 'tgi') {
    return {
      model_id: MODEL_ID,
      model_sha: null,
      model_pipeline_tag: 'text-generation',
      max_concurrent_requests: 128,
      max_best_of: 2,
      max_stop_sequences: 4,
      max_input_tokens: CONTEXT_WINDOW - 1024,
      max_total_tokens: CONTEXT_WINDOW,
      validation_workers: 2,
      max_client_batch_size: 4,
      router: 'text-generation-router',
      version: '3.0.0',
      sha: null,
      docker_label: null,
    };
  }
  return {
    object: 'list',
    data: [
      {
        id: MODEL_ID,
        object: 'model',
        created: CREATED,
        owned_by: 'vllm',
        root: MODEL_ID,
        parent: null,
        max_model_len: CONTEXT_WINDOW,
        permission: [],
      },
    ],
  };
}

/** The error body each server sends with an HTTP error. */
export function errorBody(kind: ModelServerKind, status: number, message: string): unknown {
  if (kind === 'llamacpp') {
    const type =
      status === 503 ? 'unavailable_error' : status === 401 ? 'authentication_error' : 'invalid_request_error';
    return { error: { code: status, message, type } };
  }
  if (kind === 'tgi') return { error: message, error_type: status === 422 ? 'validation' : 'generation' };
  return { error: { message, type: 'BadRequestError', param: null, code: status } };
}

/** The SSE events of a streamed answer, each a complete `…\n\n` block, as the server writes them. */
export function streamEvents(
  kind: ModelServerKind,
  prompt: string,
  tokens: readonly string[],
  finish: 'stop' | 'length' = 'stop',
): { pieces: string[]; final: string[] } {
  const n = tokens.length;
  const inputTokens = promptTokens(prompt);
  if (kind === 'llamacpp') {
    const pieces = tokens.map(
      (content, i) =>
        `data: ${JSON.stringify({ index: 0, content, tokens: [tokenId(i)], stop: false, id_slot: -1, tokens_predicted: i + 1, tokens_evaluated: inputTokens })}\n\n`,
    );
    const timings = {
      cache_n: 0,
      prompt_n: inputTokens,
      prompt_ms: inputTokens * 2,
      prompt_per_token_ms: 2,
      prompt_per_second: 500,
      predicted_n: n,
      predicted_ms: n * 25,
      predicted_per_token_ms: 25,
      predicted_per_second: 40,
    };
    const end = {
      index: 0,
      content: '',
      tokens: [],
      id_slot: 0,
      stop: true,
      model: 'gpt-3.5-turbo',
      tokens_predicted: n,
      tokens_evaluated: inputTokens,
      generation_settings: { n_predict: -1, n_ctx: CONTEXT_WINDOW },
      prompt: prompt,
      has_new_line: tokens.some((t) => t.includes('\n')),
      truncated: false,
      stop_type: finish === 'length' ? 'limit' : 'eos',
      stopping_word: '',
      tokens_cached: inputTokens + n,
      timings,
    };
    return { pieces, final: [`data: ${JSON.stringify(end)}\n\n`] };
  }
  if (kind === 'tgi') {
    const event = (index: number, token: unknown, generated: string | null, details: unknown) =>
      `data:${JSON.stringify({ index, token, generated_text: generated, details })}\n\n`;
    const pieces = tokens.map((text, i) =>
      event(i + 1, { id: tokenId(i), text, logprob: -0.25, special: false }, null, null),
    );
    // The last token is the end-of-sequence token (special, "</s>"), or the last piece when cut off.
    const details = {
      finish_reason: finish === 'length' ? 'length' : 'eos_token',
      generated_tokens: n + 1,
      seed: null,
      input_length: inputTokens,
    };
    const final = event(n + 1, { id: 2, text: '</s>', logprob: -0.01, special: true }, tokens.join(''), details);
    return { pieces, final: [final] };
  }
  const chunk = (text: string, reason: string | null) =>
    `data: ${JSON.stringify({ id: 'cmpl-callama-test', object: 'text_completion', created: CREATED, model: MODEL_ID, choices: [{ index: 0, text, logprobs: null, finish_reason: reason, stop_reason: null }], usage: null })}\n\n`;
  const pieces = tokens.map((t) => chunk(t, null));
  const usage = `data: ${JSON.stringify({ id: 'cmpl-callama-test', object: 'text_completion', created: CREATED, model: MODEL_ID, choices: [], usage: { prompt_tokens: inputTokens, total_tokens: inputTokens + n, completion_tokens: n } })}\n\n`;
  return { pieces, final: [chunk('', finish), usage, 'data: [DONE]\n\n'] };
}

/** The error event a server writes into a stream that fails. */
export function streamErrorEvent(kind: ModelServerKind, message: string): string {
  if (kind === 'llamacpp') return `error: ${JSON.stringify({ code: 500, message, type: 'server_error' })}\n\n`;
  if (kind === 'tgi') return `data:${JSON.stringify({ error: message, error_type: 'generation' })}\n\n`;
  return `data: ${JSON.stringify({ error: { message, type: 'InternalServerError', param: null, code: 500 } })}\n\n`;
}

function generatePath(kind: ModelServerKind): string {
  return kind === 'llamacpp' ? '/completion' : kind === 'tgi' ? '/generate_stream' : '/v1/completions';
}

function infoPath(kind: ModelServerKind): string {
  return kind === 'llamacpp' ? '/props' : kind === 'tgi' ? '/info' : '/v1/models';
}

function promptOf(kind: ModelServerKind, body: Record<string, unknown> | undefined): string {
  const value = kind === 'tgi' ? body?.inputs : body?.prompt;
  return typeof value === 'string' ? value : '';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The request's JSON object, if it sent one. */
async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const body = await readJsonBody(req);
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;
}

export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const { kind } = options;
  let rules = options.rules ?? [];
  let infoStatus = options.infoStatus ?? 200;
  const requests: RecordedRequest[] = [];

  const cors = (req: IncomingMessage, res: ServerResponse) => {
    if (options.cors === false) return;
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'content-type, authorization');
  };
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      cors(req, res);
      if (req.method === 'OPTIONS') {
        res.writeHead(204);
        res.end();
        return;
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const body = await readBody(req);
      const record: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, aborted: false };
      requests.push(record);
      let finished = false;
      res.on('close', () => {
        if (!finished) record.aborted = true;
      });
      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        finished = true;
        return json(res, 401, errorBody(kind, 401, 'Invalid API Key'));
      }
      if (req.method === 'GET' && path === infoPath(kind)) {
        finished = true;
        if (infoStatus === 503) return json(res, 503, errorBody(kind, 503, 'Loading model'));
        return json(res, infoStatus, infoBody(kind));
      }
      if (req.method !== 'POST' || path !== generatePath(kind)) {
        finished = true;
        return json(res, 404, errorBody(kind, 404, 'File Not Found'));
      }
      const prompt = promptOf(kind, body);
      const rule = rules.find((r) => new RegExp(r.match).test(prompt));
      const reply: ServerReply = rule?.reply ?? { tokens: ['(no rule matched)'] };
      if ('status' in reply) {
        finished = true;
        return json(res, reply.status, errorBody(kind, reply.status, reply.error));
      }
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
      });
      const finish = 'finish' in reply ? reply.finish : undefined;
      const { pieces, final } = streamEvents(kind, prompt, reply.tokens, finish);
      const delay = 'delayMs' in reply ? (reply.delayMs ?? 0) : 0;
      for (const piece of pieces) {
        if (record.aborted) return;
        res.write(piece);
        if (delay > 0) await sleep(delay);
      }
      if (record.aborted) return;
      if ('streamError' in reply) res.write(streamErrorEvent(kind, reply.streamError));
      else if (!('drop' in reply)) for (const event of final) res.write(event);
      finished = true;
      res.end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    kind,
    requests,
    generations: () => requests.filter((r) => r.method === 'POST'),
    setRules: (next) => {
      rules = next;
    },
    setInfoStatus: (status) => {
      infoStatus = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
