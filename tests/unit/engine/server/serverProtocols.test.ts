import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { SseReader } from '../../../../src/engine/server/sse.ts';
import {
  buildGenerateRequest,
  errorMessageOf,
  readServerInfo,
  StreamInterpreter,
  type StreamStep,
} from '../../../../src/engine/server/serverProtocols.ts';
import type { ServerKind, ServerModelRecord } from '../../../../src/engine/server/serverModel.ts';
import { CONTEXT_WINDOW, MODEL_ID, errorBody, infoBody } from '../../../doubles/modelServers.ts';
import { randomSplits } from './splits.ts';

const KINDS: ServerKind[] = ['llamacpp', 'tgi', 'openai'];
const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/servers/${name}`, import.meta.url), 'utf8');
const ANSWER = ' {"function": "search_bing", "arguments": {"query": "latest news on AI"}}';

function record(kind: ServerKind, extra: Partial<ServerModelRecord> = {}): ServerModelRecord {
  return { id: 'server:x', displayName: 'x', kind, baseUrl: 'http://localhost:8080', formatId: 'trelis-v2', ...extra };
}

/** Feeds a stream in pieces and collects what the interpreter makes of it. */
function interpret(kind: ServerKind, pieces: string[]): { text: string; steps: StreamStep[] } {
  const reader = new SseReader();
  const interpreter = new StreamInterpreter(kind);
  const steps = pieces.flatMap((p) => reader.push(p)).map((e) => interpreter.read(e));
  const text = steps.map((s) => (s.type === 'text' || s.type === 'end' ? s.delta : '')).join('');
  return { text, steps };
}

describe('reading each server stream', () => {
  it.each(KINDS)('%s: the answer, its end and its stats, however the stream is cut', (kind) => {
    const stream = fixture(`${kind}-stream.sse`);
    for (let seed = 1; seed <= 100; seed++) {
      const { text, steps } = interpret(kind, randomSplits(stream, seed, 30));
      expect(text).toBe(ANSWER);
      const ends = steps.filter((s) => s.type === 'end');
      expect(ends).toHaveLength(1);
      expect(steps.at(-1)?.type).toBe('end');
      const end = ends[0];
      if (end?.type !== 'end') throw new Error('no end');
      expect(end.finishReason).toBe('stop');
      expect(end.stats?.completionTokens).toBe(kind === 'tgi' ? 21 : 20);
      expect(end.stats?.promptTokens).toBe(93);
      if (kind === 'llamacpp') {
        expect(end.stats).toMatchObject({ decodeTokensPerS: 40, prefillTokensPerS: 500, promptTokensReused: 0 });
      }
    }
  });

  it.each(KINDS)('%s: a dropped stream has no end', (kind) => {
    const { text, steps } = interpret(kind, [fixture(`${kind}-dropped.sse`)]);
    expect(text).toBe(' {"function": "search');
    expect(steps.some((s) => s.type === 'end')).toBe(false);
  });

  it.each(KINDS)("%s: an error event carries the server's words", (kind) => {
    const { steps } = interpret(kind, [fixture(`${kind}-error.sse`)]);
    expect(steps.at(-1)).toEqual({ type: 'error', message: 'CUDA error: out of memory' });
  });

  it('reads a cut-off answer as length on each server', () => {
    const llama = interpret('llamacpp', ['data: {"content":"","stop":true,"stop_type":"limit"}\n\n']).steps;
    expect(llama[0]).toMatchObject({ type: 'end', finishReason: 'length' });
    const tgi = interpret('tgi', [
      'data:{"index":1,"token":{"id":5,"text":"x","logprob":0,"special":false},"generated_text":"x","details":{"finish_reason":"length","generated_tokens":1,"seed":null,"input_length":3}}\n\n',
    ]).steps;
    expect(tgi[0]).toMatchObject({ type: 'end', delta: 'x', finishReason: 'length' });
    const openai = interpret('openai', [
      'data: {"choices":[{"text":"x","finish_reason":"length"}]}\n\n',
      'data: [DONE]\n\n',
    ]).steps;
    expect(openai.at(-1)).toMatchObject({ type: 'end', finishReason: 'length' });
  });
});

describe('building the streaming request', () => {
  const req = { api: 'completion' as const, prompt: 'P', stop: ['</s>', '[INST]'], maxTokens: 256, temperature: 0 };
  const schema = { type: 'object' };

  it('llama.cpp: /completion with n_predict, stop, and json_schema or grammar', () => {
    expect(buildGenerateRequest(record('llamacpp'), req, { kind: 'json', schema })).toEqual({
      url: 'http://localhost:8080/completion',
      body: {
        prompt: 'P',
        stream: true,
        n_predict: 256,
        cache_prompt: true,
        stop: ['</s>', '[INST]'],
        temperature: 0,
        json_schema: schema,
      },
    });
    const g = buildGenerateRequest(
      record('llamacpp'),
      { api: 'completion', prompt: 'P' },
      { kind: 'grammar', grammar: 'root ::= "a"' },
    );
    expect(g.body).toEqual({ prompt: 'P', stream: true, n_predict: -1, cache_prompt: true, grammar: 'root ::= "a"' });
  });

  it('TGI: /generate_stream with parameters, no zero temperature, at most max_stop_sequences stops, a JSON grammar', () => {
    const built = buildGenerateRequest(
      record('tgi'),
      { ...req, stop: ['a', 'b', 'c', 'd', 'e'] },
      { kind: 'json', schema },
      { maxStopSequences: 2 },
    );
    expect(built).toEqual({
      url: 'http://localhost:8080/generate_stream',
      body: {
        inputs: 'P',
        stream: true,
        parameters: { details: true, max_new_tokens: 256, stop: ['a', 'b'], grammar: { type: 'json', value: schema } },
      },
    });
    const warm = buildGenerateRequest(record('tgi'), { api: 'completion', prompt: 'P', temperature: 0.7 }, undefined);
    expect(warm.body.parameters).toEqual({ details: true, temperature: 0.7, do_sample: true });
  });

  it('OpenAI: /v1/completions with the model, usage in the stream, and structured outputs', () => {
    const built = buildGenerateRequest(record('openai', { model: 'm' }), req, { kind: 'json', schema });
    expect(built).toEqual({
      url: 'http://localhost:8080/v1/completions',
      body: {
        prompt: 'P',
        stream: true,
        stream_options: { include_usage: true },
        model: 'm',
        max_tokens: 256,
        stop: ['</s>', '[INST]'],
        temperature: 0,
        structured_outputs: { json: schema },
        json_schema: schema,
      },
    });
    // Without a model name, the one the server listed at load.
    const listed = buildGenerateRequest(record('openai'), { api: 'completion', prompt: 'P' }, undefined, {
      modelName: 'served',
    });
    expect(listed.body.model).toBe('served');
  });
});

describe('what the server says about itself', () => {
  it.each(KINDS)('%s: the context window and the model', (kind) => {
    const info = readServerInfo(kind, infoBody(kind));
    expect(info.contextWindow).toBe(CONTEXT_WINDOW);
    expect(info.modelName).toBe(kind === 'llamacpp' ? 'llama-2-7b-chat-hf-function-calling-v2.Q4_K_M.gguf' : MODEL_ID);
  });

  it('an OpenAI server without the asked model gives no model', () => {
    expect(readServerInfo('openai', infoBody('openai'), 'other').modelName).toBeUndefined();
  });

  it.each(KINDS)('%s: the message of its error body', (kind) => {
    expect(errorMessageOf(errorBody(kind, 400, 'prompt too long'))).toBe('prompt too long');
  });

  it("reads Ollama's and older vLLM's error shapes, and nothing from others", () => {
    expect(errorMessageOf({ error: 'model "x" not found' })).toBe('model "x" not found');
    expect(errorMessageOf({ object: 'error', message: 'bad', type: 'BadRequestError' })).toBe('bad');
    expect(errorMessageOf('text')).toBeUndefined();
    expect(errorMessageOf({})).toBeUndefined();
  });
});
