/**
 * WorkerHost and raw prompts (issue 10 §3): a model loaded with `promptRendering: 'raw'` gets the
 * pass-through chat options; a raw prompt with a grammar goes through the chat API as one user
 * message there, and fails with a typed error anywhere else.
 */
import { describe, expect, it } from 'vitest';
import { prebuiltAppConfig, type ChatOptions } from '@mlc-ai/web-llm';
import { WorkerHost, type LlmBackend } from '../../../src/engine/workerHost.ts';
import type { WorkerReply } from '../../../src/engine/protocol.ts';
import { PromptRenderingMismatchError } from '../../../src/engine/errors.ts';
import { deserializeError } from '../../../src/engine/errorWire.ts';
import { chatOptionsFor } from '../../../src/engine/passThroughTemplate.ts';
import type { ModelSource } from '../../../src/engine/engine.ts';
import type { GenerateRequest, ResponseFormat } from '../../../src/lib/types/generation.ts';

const MODEL = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const SCHEMA: ResponseFormat = { type: 'json_object', schema: '{"type":"object"}' };

async function* oneChunk(object: 'text_completion' | 'chat.completion.chunk') {
  yield object === 'text_completion'
    ? { id: 'x', object, created: 0, model: MODEL, choices: [{ text: '{}', index: 0, finish_reason: 'stop' }] }
    : {
        id: 'x',
        object,
        created: 0,
        model: MODEL,
        choices: [{ delta: { content: '{}' }, index: 0, finish_reason: 'stop' }],
      };
}

function setup() {
  const calls: { api: 'completion' | 'chat' | 'reload'; params: unknown }[] = [];
  const backend: LlmBackend = {
    setAppConfig: () => {},
    setInitProgressCallback: () => {},
    reload: async (modelId: string, chatOpts?: ChatOptions) => {
      calls.push({ api: 'reload', params: chatOpts === undefined ? [modelId] : [modelId, chatOpts] });
    },
    unload: async () => {},
    interruptGenerate: () => {},
    completions: {
      create: async (p) => (calls.push({ api: 'completion', params: p }), oneChunk('text_completion') as never),
    },
    chat: {
      completions: {
        create: async (p) => (calls.push({ api: 'chat', params: p }), oneChunk('chat.completion.chunk') as never),
      },
    },
  };
  const replies: WorkerReply[] = [];
  const host = new WorkerHost({
    backend,
    baseAppConfig: prebuiltAppConfig,
    post: (r) => replies.push(structuredClone(r)),
    cacheCompleteness: async () => ({ state: 'absent', cachedBytes: 0 }),
    deleteModelAllInfoInCache: async () => {},
    cachedBytes: async () => undefined,
    tokenize: async (_id, text) => ({ ids: Array.from(text, (c) => c.charCodeAt(0)) }),
    now: () => 0,
  });
  let n = 0;
  /** Sends one request and returns its final reply (result or error). */
  async function send(msg: { kind: 'load'; source: ModelSource } | { kind: 'generate'; request: GenerateRequest }) {
    const id = `r${++n}`;
    await host.handle({ ...msg, id });
    const reply = replies.filter((r) => 'id' in r && r.id === id && (r.kind === 'result' || r.kind === 'error')).at(-1);
    if (!reply) throw new Error('no reply');
    return reply;
  }
  return { calls, send };
}

describe('WorkerHost: prompt rendering', () => {
  it('reloads a raw model with the pass-through chat options, a template model with none', async () => {
    const { calls, send } = setup();
    await send({ kind: 'load', source: { kind: 'catalog', id: MODEL, promptRendering: 'raw' } });
    await send({ kind: 'load', source: { kind: 'catalog', id: MODEL } });
    await send({ kind: 'load', source: { kind: 'catalog', id: MODEL, promptRendering: 'template' } });
    expect(calls).toEqual([
      { api: 'reload', params: [MODEL, chatOptionsFor('raw')] },
      { api: 'reload', params: [MODEL] },
      { api: 'reload', params: [MODEL] },
    ]);
  });

  it('sends a raw prompt with a grammar as one user message with response_format, on a raw model', async () => {
    const { calls, send } = setup();
    await send({ kind: 'load', source: { kind: 'catalog', id: MODEL, promptRendering: 'raw' } });
    const reply = await send({
      kind: 'generate',
      request: { api: 'completion', prompt: '<s>[INST] hi[/INST]', stop: ['</s>'], responseFormat: SCHEMA },
    });
    expect(reply).toMatchObject({ kind: 'result', result: { text: '{}', finishReason: 'stop' } });
    expect(calls.at(-1)).toEqual({
      api: 'chat',
      params: {
        messages: [{ role: 'user', content: '<s>[INST] hi[/INST]' }],
        stream: true,
        stream_options: { include_usage: true },
        stop: ['</s>'],
        response_format: { type: 'json_object', schema: '{"type":"object"}' },
      },
    });
  });

  it('keeps the completion API for a raw prompt without a grammar, on either kind of model', async () => {
    for (const promptRendering of ['raw', 'template'] as const) {
      const { calls, send } = setup();
      await send({ kind: 'load', source: { kind: 'catalog', id: MODEL, promptRendering } });
      await send({ kind: 'generate', request: { api: 'completion', prompt: 'p' } });
      expect(calls.at(-1)).toMatchObject({ api: 'completion', params: { prompt: 'p' } });
    }
  });

  it('refuses a raw prompt with a grammar on a template model (typed, across the worker boundary)', async () => {
    const { calls, send } = setup();
    await send({ kind: 'load', source: { kind: 'catalog', id: MODEL } });
    const reply = await send({ kind: 'generate', request: { api: 'completion', prompt: 'p', responseFormat: SCHEMA } });
    if (reply.kind !== 'error') throw new Error(`expected an error, got ${reply.kind}`);
    const err = deserializeError(reply.error);
    expect(err).toBeInstanceOf(PromptRenderingMismatchError);
    expect(err.data).toEqual({ modelId: MODEL, loaded: 'template', needed: 'raw' });
    expect(calls.filter((c) => c.api !== 'reload')).toEqual([]);
  });

  it('refuses chat messages on a raw model: the pass-through template would drop their role markers', async () => {
    const { calls, send } = setup();
    await send({ kind: 'load', source: { kind: 'catalog', id: MODEL, promptRendering: 'raw' } });
    const reply = await send({
      kind: 'generate',
      request: { api: 'chat', messages: [{ role: 'user', content: 'hi' }] },
    });
    if (reply.kind !== 'error') throw new Error(`expected an error, got ${reply.kind}`);
    expect(deserializeError(reply.error)).toMatchObject({
      name: 'PromptRenderingMismatchError',
      data: { loaded: 'raw', needed: 'template' },
    });
    expect(calls.filter((c) => c.api !== 'reload')).toEqual([]);
  });
});
