// The agent loop's protections against sizes: the context window, long function results, and a call
// cut off by the token limit.
import { describe, expect, it } from 'vitest';
import { runAgent } from '../../../../src/lib/agent/runAgent.ts';
import { limitResult, truncationMarker } from '../../../../src/lib/agent/limitResult.ts';
import { sizeLimits, userMessageTooLong } from '../../../../src/lib/agent/sizeLimits.ts';
import { FunctionRegistry } from '../../../../src/lib/dispatch/registry.ts';
import type { AgentEvent } from '../../../../src/lib/types/agent.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';
import type { Turn } from '../../../../src/lib/types/turn.ts';
import { RecordingFormat, ScriptedGenerator, type ScriptedReply } from './fakes.ts';

const dump: FunctionSpec = {
  name: 'dump',
  description: 'Returns a lot of text.',
  parameters: {
    type: 'object',
    properties: { size: { type: 'integer', description: 'How many characters' } },
    required: ['size'],
  },
};
const call = (name: string, args: Record<string, unknown>) => JSON.stringify({ name, arguments: args });
const countWords = async (text: string) => text.split(/\s+/).filter(Boolean).length;

function setup(replies: ScriptedReply[]) {
  const registry = new FunctionRegistry();
  const ran: unknown[] = [];
  registry.register(dump, (args) => {
    ran.push(args);
    return 'x'.repeat(Number(args.size));
  });
  const generator = new ScriptedGenerator(replies);
  const format = new RecordingFormat();
  const events: AgentEvent[] = [];
  return { registry, ran, generator, format, events };
}

/** Five earlier exchanges of 100 words each, then a short question. */
const longHistory: Turn[] = [
  ...Array.from({ length: 5 }, (_, i): Turn[] => [
    { role: 'user', content: `question${i} ${'word '.repeat(49)}` },
    { role: 'assistant', content: `answer${i} ${'word '.repeat(49)}` },
  ]).flat(),
  { role: 'user', content: 'And now?' },
];

describe('runAgent with a context window', () => {
  it('leaves the oldest exchanges out of the prompt, says how many, and keeps the conversation', async () => {
    const t = setup(['Here you go.']);
    const turns = structuredClone(longHistory);
    const outcome = await runAgent({
      generator: t.generator,
      format: t.format,
      registry: t.registry,
      turns,
      generation: { maxTokens: 100 },
      context: { windowTokens: 400, countTokens: countWords },
      onEvent: (e) => t.events.push(e),
    });
    expect(outcome.reason).toBe('answered');
    const sent = t.format.contexts.at(-1)?.turns ?? [];
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'And now?' });
    expect(sent[0]?.role).toBe('user');
    expect(sent.length).toBeLessThan(turns.length);
    expect(JSON.stringify(sent)).not.toContain('question0');
    const start = t.events.find((e) => e.type === 'generation_start');
    expect(start?.context).toMatchObject({
      windowTokens: 400,
      droppedMessages: turns.length - sent.length,
      counted: 'tokenizer',
    });
    expect(start?.context?.promptTokens).toBeLessThanOrEqual(300);
    expect(turns).toEqual(longHistory); // the caller's conversation is untouched
  });

  it('generates nothing and explains when the newest message alone does not fit', async () => {
    const t = setup(['never']);
    const outcome = await runAgent({
      generator: t.generator,
      format: t.format,
      registry: t.registry,
      turns: [{ role: 'user', content: 'word '.repeat(400) }],
      generation: { maxTokens: 512 },
      context: { windowTokens: 700, countTokens: countWords },
    });
    expect(t.generator.requests).toHaveLength(0);
    expect(outcome.reason).toBe('error');
    expect(outcome.error?.name).toBe('ContextOverflowError');
    expect(outcome.error?.message).toMatch(
      /^Your message does not fit in the model's context: with the system prompt and 1 function, the prompt needs 4\d\d tokens, but the model's 700-token context keeps 512 for the answer, leaving 188\. Nothing was generated\./,
    );
  });

  it('without a context window, sends the whole conversation (as before)', async () => {
    const t = setup(['ok']);
    await runAgent({
      generator: t.generator,
      format: t.format,
      registry: t.registry,
      turns: structuredClone(longHistory),
    });
    expect(t.format.contexts.at(-1)?.turns).toHaveLength(longHistory.length);
  });
});

describe('function results over the size limit', () => {
  it('are cut with a marker the model sees and a length the card shows', async () => {
    const t = setup([call('dump', { size: 50_000 }), 'Done.']);
    const outcome = await runAgent({
      generator: t.generator,
      format: t.format,
      registry: t.registry,
      turns: [{ role: 'user', content: 'Dump it' }],
      context: { windowTokens: 4096 },
      onEvent: (e) => t.events.push(e),
    });
    const tool = outcome.turns.find((turn) => turn.role === 'tool');
    const limit = sizeLimits(4096).functionResultChars;
    expect(tool?.content.length).toBeLessThan(limit + 200);
    expect(tool?.content).toContain(
      '[… truncated by Callama: the result was 50,002 characters; only the first 4,096 are shown]',
    );
    const end = t.events.find((e) => e.type === 'call_end');
    expect(end?.result).toMatchObject({ ok: true, truncatedFrom: 50_002 });
    // What the model got in the next prompt is the cut text.
    expect(JSON.stringify(t.format.contexts.at(-1)?.turns)).toContain('truncated by Callama');
  });

  it('a result under the limit is left alone', async () => {
    const t = setup([call('dump', { size: 100 }), 'Done.']);
    const outcome = await runAgent({
      generator: t.generator,
      format: t.format,
      registry: t.registry,
      turns: [{ role: 'user', content: 'Dump it' }],
    });
    expect(outcome.turns.find((turn) => turn.role === 'tool')?.content).toBe(JSON.stringify('x'.repeat(100)));
  });

  it('limitResult cuts error texts too and never splits an emoji', () => {
    const error = limitResult({ ok: false, error: { kind: 'thrown', message: 'e'.repeat(20) }, ms: 1 }, 10);
    expect(error).toEqual({
      ok: false,
      error: { kind: 'thrown', message: 'e'.repeat(10) + truncationMarker(20, 10) },
      ms: 1,
      truncatedFrom: 20,
    });
    const emoji = limitResult({ ok: true, value: null, json: `"${'😀'.repeat(10)}"`, ms: 1 }, 4);
    expect(emoji.ok && emoji.json.startsWith('"😀\n[')).toBe(true);
  });
});

describe('size limits', () => {
  it('follow the context window, and a user message over the limit is refused with the numbers', () => {
    expect(sizeLimits(4096)).toEqual({ contextWindow: 4096, userMessageChars: 6144, functionResultChars: 4096 });
    expect(sizeLimits(8192).userMessageChars).toBe(12_288);
    expect(userMessageTooLong('a'.repeat(6144), sizeLimits(4096))).toBeNull();
    expect(userMessageTooLong('a'.repeat(6145), sizeLimits(4096))).toBe(
      'This message is 6,145 characters long; messages to this model can be at most 6,144 (its context holds 4,096 tokens). Shorten it to send it; your text stays here.',
    );
  });
});

describe('a call cut off by the token limit', () => {
  it('is not run, and the error names the function and the limit', async () => {
    const t = setup([{ text: '{"name": "dump", "arguments": {"size": 12', finishReason: 'length' }]);
    const outcome = await runAgent({
      generator: t.generator,
      format: t.format,
      registry: t.registry,
      turns: [{ role: 'user', content: 'Dump it' }],
      generation: { maxTokens: 64 },
      onEvent: (e) => t.events.push(e),
    });
    expect(t.ran).toEqual([]);
    expect(outcome.reason).toBe('answered');
    const parsed = t.events.find((e) => e.type === 'parsed');
    expect(parsed?.parsed.errors).toEqual([
      expect.objectContaining({
        cut: true,
        name: 'dump',
        message:
          'The answer hit the token limit (64 tokens) in the middle of a call to dump; the call was not run. Raise the maximum answer length in Settings, or ask for less at once.',
      }),
    ]);
  });

  it('does not name a function whose name itself was cut', async () => {
    const t = setup([{ text: '{"name": "du', finishReason: 'length' }]);
    await runAgent({
      generator: t.generator,
      format: t.format,
      registry: t.registry,
      turns: [{ role: 'user', content: 'Dump it' }],
      generation: { maxTokens: 64 },
      onEvent: (e) => t.events.push(e),
    });
    const parsed = t.events.find((e) => e.type === 'parsed');
    const errors = parsed ? parsed.parsed.errors : [];
    expect(t.ran).toEqual([]);
    expect(errors.map((e) => e.message).join(' ')).toContain('in the middle of a function call');
    expect(errors.some((e) => e.name === 'du')).toBe(false);
  });

  it('is reported even when only its opening tag was written, and the tag leaves the prose', async () => {
    const t = setup([{ text: 'Sure, let me dump that. <tool_call>', finishReason: 'length' }]);
    await runAgent({
      generator: t.generator,
      format: t.format,
      registry: t.registry,
      turns: [{ role: 'user', content: 'Dump it' }],
      generation: { maxTokens: 8 },
      onEvent: (e) => t.events.push(e),
    });
    const parsed = t.events.find((e) => e.type === 'parsed');
    expect(parsed?.parsed).toEqual({
      calls: [],
      errors: [
        expect.objectContaining({
          cut: true,
          raw: '<tool_call>',
          message: expect.stringContaining('token limit (8 tokens) in the middle of a function call') as string,
        }),
      ],
      text: 'Sure, let me dump that.',
    });
  });

  it('a prose answer cut by the limit gets no call error', async () => {
    const t = setup([{ text: 'It depends (on the weather', finishReason: 'length' }]);
    const outcome = await runAgent({
      generator: t.generator,
      format: t.format,
      registry: t.registry,
      turns: [{ role: 'user', content: 'Dump it' }],
      onEvent: (e) => t.events.push(e),
    });
    const parsed = t.events.find((e) => e.type === 'parsed');
    expect(parsed?.parsed).toEqual({
      calls: [],
      errors: [],
      text: 'It depends (on the weather',
    });
    expect(outcome.reason).toBe('answered');
  });
});
