/**
 * The server engine against the scripted servers (real HTTP on loopback, tests/doubles/modelServers.ts):
 * what it sends, what it reads back, Stop, and each failure a user can meet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ServerEngine } from '../../../../src/engine/server/serverEngine.ts';
import { ServerError } from '../../../../src/engine/server/serverErrors.ts';
import type { ServerKind, ServerModelRecord } from '../../../../src/engine/server/serverModel.ts';
import {
  CONTEXT_WINDOW,
  infoBody,
  startModelServer,
  streamEvents,
  type ModelServer,
} from '../../../doubles/modelServers.ts';
import { randomByteSplits } from './splits.ts';

const KINDS: ServerKind[] = ['llamacpp', 'tgi', 'openai'];
const servers = new Map<ServerKind, ModelServer>();
const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/servers/${name}`, import.meta.url), 'utf8');
const PROMPT = fixture('prompt.txt');
const TOKENS = [
  ' {"',
  'function',
  '":',
  ' "',
  'search',
  '_',
  'bing',
  '",',
  ' "',
  'arguments',
  '":',
  ' {"',
  'query',
  '":',
  ' "',
  'latest',
  ' news',
  ' on',
  ' AI',
  '"}}',
];

function record(server: ModelServer, extra: Partial<ServerModelRecord> = {}): ServerModelRecord {
  return {
    id: `server:${server.kind}`,
    displayName: server.kind,
    kind: server.kind,
    baseUrl: server.url,
    formatId: 'trelis-v2',
    ...extra,
  };
}

function serverOf(kind: ServerKind): ModelServer {
  const server = servers.get(kind);
  if (!server) throw new Error(`no ${kind} server`);
  return server;
}

async function failure(promise: Promise<unknown>): Promise<ServerError> {
  const e: unknown = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof ServerError)) throw new Error(`expected a ServerError, got ${String(e)}`);
  return e;
}

beforeAll(async () => {
  for (const kind of KINDS) servers.set(kind, await startModelServer({ kind }));
});
afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.close()));
});

describe.each(KINDS)('ServerEngine on a %s server', (kind) => {
  it('writes the recorded example stream byte for byte', async () => {
    const server = serverOf(kind);
    server.setRules([{ match: 'latest news', reply: { tokens: TOKENS } }]);
    const path = kind === 'llamacpp' ? '/completion' : kind === 'tgi' ? '/generate_stream' : '/v1/completions';
    const body = kind === 'tgi' ? { inputs: PROMPT, stream: true } : { prompt: PROMPT, stream: true };
    const response = await fetch(server.url + path, { method: 'POST', body: JSON.stringify(body) });
    expect(await response.text()).toBe(fixture(`${kind}-stream.sse`));
  });

  it('loads by asking the server, then streams a raw prompt without its BOS text', async () => {
    const server = serverOf(kind);
    server.setRules([{ match: '^\\{\\n    "function"', reply: { tokens: TOKENS } }]);
    const engine = new ServerEngine();
    const loaded = await engine.load(record(server));
    expect(loaded.contextWindow).toBe(CONTEXT_WINDOW);
    const deltas: string[] = [];
    const result = await engine.generate(
      { api: 'completion', prompt: `<s>${PROMPT}`, stop: ['</s>'], maxTokens: 300 },
      (delta) => deltas.push(delta),
    );
    expect(result.text).toBe(TOKENS.join(''));
    expect(deltas).toEqual(TOKENS);
    expect(result.finishReason).toBe('stop');
    expect(result.stats?.completionTokens).toBeGreaterThanOrEqual(20);
    expect(result.stats?.decodeTokensPerS).toBeGreaterThan(0);
    const sent = server.generations().at(-1)?.body ?? {};
    expect(kind === 'tgi' ? sent.inputs : sent.prompt).toBe(PROMPT);
  });

  it('sends the tool_choice constraint where the server enforces it', async () => {
    const server = serverOf(kind);
    server.setRules([{ match: '', reply: { tokens: ['{}'] } }]);
    const engine = new ServerEngine();
    await engine.load(record(server));
    const schema = { type: 'object', properties: { function: { const: 'calculate' } } };
    await engine.generate({
      api: 'completion',
      prompt: PROMPT,
      responseFormat: { type: 'json_object', schema: JSON.stringify(schema) },
    });
    const sent = server.generations().at(-1)?.body ?? {};
    if (kind === 'llamacpp') expect(sent.json_schema).toEqual(schema);
    if (kind === 'tgi') expect(sent.parameters).toMatchObject({ grammar: { type: 'json', value: schema } });
    if (kind === 'openai') expect(sent.structured_outputs).toEqual({ json: schema });
  });

  it('Stop aborts the request: the server sees the connection close and the partial text is kept', async () => {
    const server = serverOf(kind);
    server.setRules([{ match: '', reply: { tokens: Array.from({ length: 200 }, (_, i) => `w${i} `), delayMs: 20 } }]);
    const engine = new ServerEngine();
    await engine.load(record(server));
    let seen = '';
    const pending = engine.generate({ api: 'completion', prompt: PROMPT }, (_d, text) => {
      seen = text;
      if (text.includes('w3 ')) engine.interrupt();
    });
    const result = await pending;
    expect(result.finishReason).toBe('abort');
    expect(result.text).toBe(seen);
    expect(result.text.startsWith('w0 w1 w2 w3 ')).toBe(true);
    await expect.poll(() => server.generations().at(-1)?.aborted).toBe(true);
  });

  it('says a dropped stream was cut short', async () => {
    const server = serverOf(kind);
    server.setRules([{ match: '', reply: { tokens: ['a', 'b'], drop: true } }]);
    const engine = new ServerEngine();
    await engine.load(record(server));
    const e = await failure(engine.generate({ api: 'completion', prompt: PROMPT }));
    expect(e.data.reason).toBe('dropped');
    expect(e.message).toMatch(/ended before its final message, after 2 characters/);
  });

  it("shows a refused request with the server's own words", async () => {
    const server = serverOf(kind);
    server.setRules([{ match: '', reply: { status: 400, error: 'the request exceeds the available context size' } }]);
    const engine = new ServerEngine();
    await engine.load(record(server));
    const e = await failure(engine.generate({ api: 'completion', prompt: PROMPT }));
    expect(e.data).toMatchObject({ reason: 'refused', status: 400 });
    expect(e.message).toContain('HTTP 400');
    expect(e.message).toContain('the request exceeds the available context size');
  });

  it('shows an error event in the stream', async () => {
    const server = serverOf(kind);
    server.setRules([{ match: '', reply: { tokens: ['a'], streamError: 'CUDA error: out of memory' } }]);
    const engine = new ServerEngine();
    await engine.load(record(server));
    const e = await failure(engine.generate({ api: 'completion', prompt: PROMPT }));
    expect(e.message).toContain('CUDA error: out of memory');
  });

  it('says the model is still loading (503)', async () => {
    const server = serverOf(kind);
    server.setInfoStatus(503);
    try {
      const e = await failure(new ServerEngine().load(record(server)));
      expect(e.data.reason).toBe('loading');
      expect(e.message).toContain('still loading its model');
    } finally {
      server.setInfoStatus(200);
    }
  });
});

describe('ServerEngine failures that do not depend on the protocol', () => {
  it('says an unreachable server could not be reached (and why that may be)', async () => {
    const closed = await startModelServer({ kind: 'llamacpp' });
    await closed.close();
    const e = await failure(new ServerEngine().load(record(closed)));
    expect(e.data.reason).toBe('unreachable');
    expect(e.message).toContain(`could not reach the server at ${closed.url}`);
    expect(e.message).toContain('CORS');
  });

  it('sends the API key as a bearer token, and says when it is refused', async () => {
    const locked = await startModelServer({ kind: 'openai', apiKey: 'sekret' });
    try {
      const e = await failure(new ServerEngine().load(record(locked, { apiKey: 'wrong' })));
      expect(e.message).toContain('HTTP 401');
      expect(e.message).toContain('Check the API key');
      const loaded = await new ServerEngine().load(record(locked, { apiKey: 'sekret' }));
      expect(loaded.contextWindow).toBe(CONTEXT_WINDOW);
    } finally {
      await locked.close();
    }
  });

  it('names the models an OpenAI server has when the asked one is missing', async () => {
    const e = await failure(new ServerEngine().load(record(serverOf('openai'), { model: 'llama3' })));
    expect(e.message).toContain('no model "llama3" here; it serves Trelis/Llama-2-7b-chat-hf-function-calling-v2');
  });

  it('drops a stop string TGI streamed at the end of the answer', async () => {
    const server = serverOf('tgi');
    server.setRules([{ match: '', reply: { tokens: ['Hi', ' there', '[INST]'] } }]);
    const engine = new ServerEngine();
    await engine.load(record(server));
    const result = await engine.generate({ api: 'completion', prompt: PROMPT, stop: ['[INST]'] });
    expect(result.text).toBe('Hi there');
  });

  it('refuses chat messages: a server model takes raw prompts', async () => {
    const engine = new ServerEngine();
    await engine.load(record(serverOf('llamacpp')));
    await expect(engine.generate({ api: 'chat', messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow(
      /raw prompts only/,
    );
  });
});

describe('ServerEngine reading bytes cut anywhere', () => {
  it.each(KINDS)('%s: multi-byte characters split across chunks arrive whole', async (kind) => {
    const tokens = ['23 × 19', ' = 437', ' — ✓', ' 日本', ' 🦙'];
    const { pieces, final } = streamEvents(kind, PROMPT, tokens);
    const bytes = new TextEncoder().encode([...pieces, ...final].join(''));
    for (let seed = 1; seed <= 40; seed++) {
      const chunks = randomByteSplits(bytes, seed, 60);
      const fetchFn = async (url: string) => {
        if (!url.endsWith('/completion') && !url.endsWith('/generate_stream') && !url.endsWith('/v1/completions')) {
          return new Response(JSON.stringify(infoBody(kind)), { status: 200 });
        }
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(chunk);
            controller.close();
          },
        });
        return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
      };
      const engine = new ServerEngine(fetchFn);
      await engine.load({
        id: 'server:x',
        displayName: 'x',
        kind,
        baseUrl: 'http://localhost:1',
        formatId: 'trelis-v2',
      });
      const result = await engine.generate({ api: 'completion', prompt: PROMPT });
      expect(result.text).toBe(tokens.join(''));
      expect(result.finishReason).toBe('stop');
    }
  });
});
