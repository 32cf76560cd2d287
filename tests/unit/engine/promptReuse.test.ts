/**
 * Prompt tokens read vs reused, as the worker reports them (promptReuse.ts): web-llm's usage says
 * how many tokens it read; the host works out how many it kept in its KV cache by web-llm's own rule
 * (a chat request whose history repeats the previous request and its answer, after a clean stop).
 */
import { describe, expect, it } from 'vitest';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { WorkerHost, type LlmBackend } from '../../../src/engine/workerHost.ts';
import type { WorkerReply } from '../../../src/engine/protocol.ts';
import type { GenerateRequest, GenerateResult } from '../../../src/lib/types/generation.ts';

const MODEL = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';

/** One streamed answer and its usage chunk, as web-llm sends them. */
async function* answer(text: string, usage: { prompt_tokens: number; completion_tokens: number }, reason = 'stop') {
  yield {
    id: 'x',
    object: 'chat.completion.chunk',
    created: 0,
    model: MODEL,
    choices: [{ delta: { content: text }, index: 0, finish_reason: reason }],
  };
  yield {
    id: 'x',
    object: 'chat.completion.chunk',
    created: 0,
    model: MODEL,
    choices: [],
    // web-llm 0.2.86 always reports `extra` with the usage (requestMapping.ts reads it).
    usage: {
      ...usage,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
      extra: {
        e2e_latency_s: 0.1,
        prefill_tokens_per_s: 100,
        decode_tokens_per_s: 50,
        time_to_first_token_s: 0.01,
        time_per_output_token_s: 0.02,
      },
    },
  };
}

function setup(script: { text: string; read: number; completion: number; reason?: string }[]) {
  let n = 0;
  const next = () => {
    const s = script[n++] ?? { text: '', read: 0, completion: 0 };
    return answer(s.text, { prompt_tokens: s.read, completion_tokens: s.completion }, s.reason) as never;
  };
  const sent: unknown[] = [];
  const backend: LlmBackend = {
    setAppConfig: () => {},
    setInitProgressCallback: () => {},
    reload: async () => {},
    unload: async () => {},
    interruptGenerate: () => {},
    completions: { create: async (p) => (sent.push(p), next()) },
    chat: { completions: { create: async (p) => (sent.push(p), next()) } },
  };
  const replies: WorkerReply[] = [];
  const host = new WorkerHost({
    backend,
    baseAppConfig: prebuiltAppConfig,
    post: (r) => replies.push(structuredClone(r)),
    cacheCompleteness: async () => ({ state: 'absent', cachedBytes: 0 }),
    deleteModelAllInfoInCache: async () => {},
    cachedBytes: async () => undefined,
    tokenize: async () => ({ ids: [] }),
    now: () => 0,
  });
  let id = 0;
  async function generate(request: GenerateRequest): Promise<GenerateResult> {
    const rid = `r${++id}`;
    await host.handle({ kind: 'generate', id: rid, request });
    const reply = replies.find((r) => 'id' in r && r.id === rid && r.kind === 'result');
    if (!reply || reply.kind !== 'result') throw new Error(`no result: ${JSON.stringify(replies)}`);
    return reply.result as GenerateResult;
  }
  return { host, generate, sent };
}

const system = { role: 'system', content: 'Tools…' } as const;
const user = { role: 'user', content: 'Weather in Paris?' } as const;

describe('WorkerHost: prompt tokens read and reused', () => {
  it('reports what the KV cache kept when a chat request repeats the previous one and its answer', async () => {
    const { host, generate } = setup([
      { text: '<tool_call>…</tool_call>', read: 300, completion: 20 },
      { text: 'It is 18 °C.', read: 40, completion: 8 },
      { text: 'Hello again.', read: 500, completion: 4 },
    ]);
    await host.handle({ kind: 'load', id: 'load', source: { kind: 'catalog', id: MODEL } });
    const first = await generate({ api: 'chat', messages: [system, user] });
    expect(first.stats).toMatchObject({ promptTokens: 300, promptTokensReused: 0 });
    const results = { role: 'user', content: '<tool_response>18</tool_response>' } as const;
    const second = await generate({
      api: 'chat',
      messages: [system, user, { role: 'assistant', content: '<tool_call>…</tool_call>' }, results],
    });
    // The cache held the first prompt and every answer token but the last (the stop token).
    expect(second.stats).toMatchObject({ promptTokens: 40, promptTokensReused: 300 + 20 - 1 });
    // Another system prompt: web-llm starts afresh.
    const third = await generate({ api: 'chat', messages: [{ role: 'system', content: 'Other' }, user] });
    expect(third.stats).toMatchObject({ promptTokensReused: 0 });
  });

  it('reuses nothing after an answer changed in the history, a length stop, or for raw prompts', async () => {
    const { host, generate } = setup([
      { text: ' Sunny. ', read: 100, completion: 5 },
      { text: 'x', read: 120, completion: 1, reason: 'length' },
      { text: 'y', read: 130, completion: 1 },
      { text: 'z', read: 140, completion: 1 },
    ]);
    await host.handle({ kind: 'load', id: 'load', source: { kind: 'catalog', id: MODEL } });
    await generate({ api: 'chat', messages: [user] });
    const trimmed = await generate({
      api: 'chat',
      messages: [user, { role: 'assistant', content: 'Sunny.' }, { role: 'user', content: 'More?' }],
    });
    expect(trimmed.stats).toMatchObject({ promptTokens: 120, promptTokensReused: 0 });
    const afterLength = await generate({
      api: 'chat',
      messages: [
        user,
        { role: 'assistant', content: 'Sunny.' },
        { role: 'user', content: 'More?' },
        { role: 'assistant', content: 'x' },
        user,
      ],
    });
    expect(afterLength.stats).toMatchObject({ promptTokensReused: 0 });
    const raw = await generate({ api: 'completion', prompt: 'user: Weather in Paris?\nassistant: y\nuser: again' });
    expect(raw.stats).toMatchObject({ promptTokens: 140, promptTokensReused: 0 });
  });

  it('sends a raw prompt that extends the previous one as history plus its new text, so the cache is kept', async () => {
    const { host, generate, sent } = setup([
      { text: '[TOOL_CALLS]f[ARGS]{}', read: 200, completion: 9 },
      { text: 'Done.', read: 12, completion: 3 },
    ]);
    await host.handle({ kind: 'load', id: 'load', source: { kind: 'catalog', id: MODEL, promptRendering: 'raw' } });
    const grammar = { type: 'grammar', grammar: 'root ::= [^]*' } as const;
    const p1 = '<s>[INST]Weather?[/INST]';
    const first = await generate({ api: 'completion', prompt: p1, responseFormat: grammar });
    expect(first.stats).toMatchObject({ promptTokens: 200, promptTokensReused: 0 });
    const rest = '</s>[TOOL_RESULTS]18[/TOOL_RESULTS]';
    const second = await generate({
      api: 'completion',
      prompt: `${p1}[TOOL_CALLS]f[ARGS]{}${rest}`,
      responseFormat: grammar,
    });
    expect(sent.at(-1)).toMatchObject({
      messages: [
        { role: 'user', content: p1 },
        { role: 'assistant', content: '[TOOL_CALLS]f[ARGS]{}' },
        { role: 'user', content: rest },
      ],
    });
    expect(second.stats).toMatchObject({ promptTokens: 12, promptTokensReused: 200 + 9 - 1 });
  });
});
