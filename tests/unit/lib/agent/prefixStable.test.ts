/**
 * Prefix-stable prompts (issue 12 §6): within one agent run and across user turns, each request
 * extends the previous one — its prompt, then the answer the model wrote — so web-llm can keep its KV
 * cache and read only the new part. The run here is the common one: a call, the follow-up answer
 * (the last generation allowed, so tool_choice none), then a second user message.
 *
 * "Extends" is what web-llm 0.2.86 needs to reuse its cache:
 * - raw prompts: the next prompt text starts with the previous prompt plus the answer;
 * - chat messages: web-llm compares conversations message by message (compareConversationObject), so
 *   the next request must repeat the previous messages exactly and then the answer, verbatim, as an
 *   assistant message.
 * Where a format cannot (its template rewrites earlier answers), the table below says why, and the
 * test checks that the documented break is real, so the table stays true.
 * Two breaks are by design and not tested here: a named tool_choice lists only that function in the
 * first request (formats that cannot be constrained have only the prompt to steer the model), and a
 * conversation too long for the context leaves its oldest exchanges out (fitContext.ts).
 */
import { describe, expect, it } from 'vitest';
import { runAgent } from '../../../../src/lib/agent/runAgent.ts';
import { FunctionRegistry } from '../../../../src/lib/dispatch/registry.ts';
import { promptFormats } from '../../../../src/lib/formats/index.ts';
import type { BuiltInPromptFormat, FormatId } from '../../../../src/lib/formats/promptFormat.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';
import type { GenerateRequest, GenerateResult, TextGenerator } from '../../../../src/lib/types/generation.ts';
import type { Turn } from '../../../../src/lib/types/turn.ts';

const weather: FunctionSpec = {
  name: 'get_weather',
  description: 'Gets the current weather in a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const CALL = { name: 'get_weather', arguments: { city: 'Paris' } };

/** A generator that records each request and answers from a script. */
class RecordingGenerator implements TextGenerator {
  readonly requests: GenerateRequest[] = [];
  readonly answers: string[] = [];
  constructor(private readonly script: string[]) {}
  generate(request: GenerateRequest): Promise<GenerateResult> {
    const text = this.script[this.requests.length] ?? 'No more answers.';
    this.requests.push(request);
    this.answers.push(text);
    return Promise.resolve({ text, finishReason: 'stop' });
  }
  interrupt(): void {}
  finishingStopped(): boolean {
    return false;
  }
}

/** Whether `next` repeats `prev` and its answer, the way web-llm can continue from its KV cache. */
function extendsPrevious(prev: GenerateRequest, answer: string, next: GenerateRequest): boolean {
  if (prev.api === 'completion' && next.api === 'completion') return next.prompt.startsWith(prev.prompt + answer);
  if (prev.api === 'chat' && next.api === 'chat') {
    const expected = [...prev.messages, { role: 'assistant', content: answer }];
    return JSON.stringify(next.messages.slice(0, expected.length)) === JSON.stringify(expected);
  }
  return false;
}

/** What the model writes: reasoning where the prompt lets it think, calls in the format's own layout. */
function script(format: BuiltInPromptFormat, thinking: boolean): string[] {
  const calls = format.renderCalls([CALL]);
  const prose = ['It is 18 °C in Paris.', 'You are welcome.'];
  if (!thinking) return [calls, ...prose];
  switch (format.id) {
    case 'qwen3': // the model opens the block
      return [`<think>\nThe user asks.\n</think>\n\n${calls}`, ...prose.map((p) => `<think>\nDone.\n</think>\n\n${p}`)];
    case 'qwen3.5': // the prompt opened it
      return [`The user asks.\n</think>\n\n${calls}`, ...prose.map((p) => `Done.\n</think>\n\n${p}`)];
    case 'gemma4': // the model opens it, except after results, where the prompt did
      return [
        `<|channel>thought\nThe user asks.\n<channel|>${calls}`,
        `Done.\n<channel|>${prose[0] ?? ''}`,
        `<|channel>thought\nOk.\n<channel|>${prose[1] ?? ''}`,
      ];
    default:
      return [calls, ...prose];
  }
}

interface Expectation {
  /** Why the follow-up after the call does not extend the first request, when it cannot. */
  withinRun?: string;
  /** Why the next user turn's request does not extend the follow-up, when it cannot. */
  acrossTurns?: string;
}

const DROPS_REASONING = 'the template keeps reasoning only in answers after the last user message';

/** Every format, with its default thinking and, where it can switch, the other setting. */
const CASES: { id: FormatId; thinking?: boolean; expect: Expectation }[] = [
  { id: 'trelis-v2', expect: {} },
  { id: 'trelis-v3', expect: {} },
  { id: 'hermes', expect: {} },
  { id: 'llama3-json', expect: {} },
  { id: 'llama3.2-pythonic', expect: {} },
  {
    id: 'mistral-v3',
    expect: {
      withinRun:
        'the template writes a call id ("id": "call00001") into each earlier call, which the model did not write',
      acrossTurns: 'the template moves [AVAILABLE_TOOLS] and the system prompt to the last user message',
    },
  },
  { id: 'qwen3', thinking: true, expect: { acrossTurns: DROPS_REASONING } },
  {
    id: 'qwen3',
    thinking: false,
    expect: {
      withinRun: 'the template leaves the empty think block out of every answer but the last',
      acrossTurns: 'the template leaves the empty think block out of every answer but the last',
    },
  },
  {
    id: 'qwen3.5',
    thinking: false,
    expect: { acrossTurns: 'the template writes an empty think block only into answers after the last user message' },
  },
  // Qwen3.5 keeps the think block of every earlier answer that has reasoning.
  { id: 'qwen3.5', thinking: true, expect: {} },
  { id: 'gemma4', thinking: false, expect: {} },
  { id: 'gemma4', thinking: true, expect: { acrossTurns: DROPS_REASONING } },
  { id: 'mistral-v13', expect: {} },
  { id: 'phi4-mini', expect: {} },
  { id: 'smollm2', expect: {} },
  { id: 'generic', expect: {} },
];

async function conversation(format: BuiltInPromptFormat, thinking: boolean | undefined) {
  const registry = new FunctionRegistry();
  registry.register(weather, () => ({ temp: 18 }));
  const generator = new RecordingGenerator(script(format, thinking ?? format.syntax.thinking?.defaultOn === true));
  const common = {
    generator,
    format,
    registry,
    system: 'You are terse.',
    // One round of calls: the follow-up is the last generation allowed, so it runs with tool_choice none.
    maxCalls: 1,
    canConstrainRaw: format.api === 'completion',
    ...(thinking !== undefined ? { thinking } : {}),
  };
  const first: Turn[] = [{ role: 'user', content: 'Weather in Paris?' }];
  const run1 = await runAgent({ ...common, turns: first });
  const run2 = await runAgent({
    ...common,
    turns: [...first, ...run1.turns, { role: 'user', content: 'Thanks!' }],
  });
  return { generator, run1, run2 };
}

describe('prefix-stable prompts', () => {
  it('covers every format', () => {
    expect(new Set(CASES.map((c) => c.id))).toEqual(new Set(promptFormats.map((f) => f.id)));
  });

  it.each(CASES)(
    '$id (thinking $thinking): each request extends the previous one where the format allows',
    async (c) => {
      const format = promptFormats.find((f) => f.id === c.id);
      if (!format) throw new Error(`no format ${c.id}`);
      const { generator, run1, run2 } = await conversation(format, c.thinking);
      expect([run1.reason, run2.reason]).toEqual(['answered', 'answered']);
      const [r0, r1, r2] = generator.requests;
      const [a0, a1] = generator.answers;
      if (!r0 || !r1 || !r2 || a0 === undefined || a1 === undefined) throw new Error('expected three generations');
      // The follow-up keeps the function list (tool_choice none is a grammar, not a shorter prompt).
      const text = (r: GenerateRequest) =>
        r.api === 'completion' ? r.prompt : r.messages.map((m) => m.content).join('\n');
      expect(text(r1)).toContain('get_weather');
      expect(text(r2)).toContain('get_weather');
      expect(extendsPrevious(r0, a0, r1), c.expect.withinRun ?? 'the follow-up should extend the first request').toBe(
        c.expect.withinRun === undefined,
      );
      expect(extendsPrevious(r1, a1, r2), c.expect.acrossTurns ?? 'the next turn should extend the follow-up').toBe(
        c.expect.acrossTurns === undefined,
      );
    },
  );

  it.each(promptFormats.filter((f) => f.api === 'chat').map((f) => f.id))(
    '%s: an answer with whitespace around it goes back verbatim, as web-llm recorded it',
    async (id) => {
      const format = promptFormats.find((f) => f.id === id);
      if (!format) throw new Error(`no format ${id}`);
      const registry = new FunctionRegistry();
      registry.register(weather, () => ({ temp: 18 }));
      const generator = new RecordingGenerator([' It is sunny.\n', 'You are welcome.']);
      const first: Turn[] = [{ role: 'user', content: 'Weather in Paris?' }];
      const run1 = await runAgent({ generator, format, registry, turns: first });
      await runAgent({
        generator,
        format,
        registry,
        turns: [...first, ...run1.turns, { role: 'user', content: 'Thanks!' }],
      });
      const [r0, r1] = generator.requests;
      if (!r0 || !r1) throw new Error('expected two generations');
      expect(extendsPrevious(r0, ' It is sunny.\n', r1)).toBe(true);
    },
  );
});
