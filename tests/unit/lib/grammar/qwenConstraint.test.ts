/**
 * Qwen grammars with the real grammar engine (web-xgrammar): Qwen3.5 XML calls ('qwen-xml'), and the
 * reasoning block both families write before their calls when thinking is on.
 */
import { describe, expect, it } from 'vitest';
import { buildToolConstraint, type ToolCallSyntax } from '../../../../src/lib/grammar/buildToolConstraint.ts';
import type { ReasoningFirst } from '../../../../src/lib/grammar/reasoningFirst.ts';
import type { ToolChoice } from '../../../../src/lib/types/agent.ts';
import { acceptor } from './xgrammar.ts';
import { functions, validCalls } from './functions.fixture.ts';

type Call = { name: string; arguments: Record<string, unknown> };

function qwenXml(c: Call): string {
  const params = Object.entries(c.arguments).map(
    ([k, v]) => `<parameter=${k}>\n${typeof v === 'string' ? v : JSON.stringify(v)}\n</parameter>\n`,
  );
  return `<tool_call>\n<function=${c.name}>\n${params.join('')}</function>\n</tool_call>`;
}
const xml = (calls: Call[]) => calls.map(qwenXml).join('\n');
const hermes = (calls: Call[]) =>
  calls
    .map(
      (c) =>
        `<tool_call>\n{"name": ${JSON.stringify(c.name)}, "arguments": ${JSON.stringify(c.arguments)}}\n</tool_call>`,
    )
    .join('\n');

async function allows(syntax: ToolCallSyntax, toolChoice: ToolChoice, reasoningFirst?: ReasoningFirst) {
  const constraint = buildToolConstraint({
    functions,
    toolChoice,
    syntax,
    ...(reasoningFirst ? { reasoningFirst } : {}),
  });
  if (!constraint.responseFormat) throw new Error('constrained without a response format');
  return acceptor(constraint.responseFormat);
}

const weather = { name: 'get_weather', arguments: { city: 'Paris' } };
const sum = { name: 'add', arguments: { a: 1, b: 2 } };

describe('qwen-xml constraint', () => {
  it.each(['auto', 'required'] as const)(
    'tool_choice %s allows every valid call, alone and in parallel',
    async (choice) => {
      const ok = await allows('qwen-xml', choice);
      for (const call of validCalls) expect(await ok(xml([call])), JSON.stringify(call)).toBe(true);
      expect(await ok(xml([weather, sum]))).toBe(true);
    },
  );

  it.each(['auto', 'required'] as const)(
    'tool_choice %s rejects malformed and schema-violating calls',
    async (choice) => {
      const ok = await allows('qwen-xml', choice);
      const bad: [string, string][] = [
        ['wrong type', xml([{ name: 'add', arguments: { a: 'one', b: 2 } }])],
        ['integer expected', xml([{ name: 'get_weather', arguments: { city: 'Paris', days: 1.5 } }])],
        ['missing required', xml([{ name: 'get_weather', arguments: { unit: 'celsius' } }])],
        ['unknown function', xml([{ name: 'get_time', arguments: {} }])],
        ['unknown argument', xml([{ name: 'add', arguments: { a: 1, b: 2, c: 3 } }])],
        ['not in enum', xml([{ name: 'get_weather', arguments: { city: 'Paris', unit: 'kelvin' } }])],
        ['array of strings expected', xml([{ name: 'tag_items', arguments: { items: [1] } }])],
        ['quoted enum value', xml([{ name: 'get_weather', arguments: { city: 'Paris', unit: '"celsius"' } }])],
        ['cut short', xml([sum]).slice(0, -3)],
      ];
      for (const [why, text] of bad) expect(await ok(text), why).toBe(false);
      if (choice === 'required') {
        // In auto these are prose; only a `<tool_call>` opening commits to a call.
        expect(
          await ok('<function=add>\n<parameter=a>\n1\n</parameter>\n<parameter=b>\n2\n</parameter>\n</function>'),
          'no wrapper',
        ).toBe(false);
        expect(await ok(hermes([sum])), 'JSON instead of XML').toBe(false);
      }
    },
  );

  it('allows prose in auto only, and text before a call in auto', async () => {
    const auto = await allows('qwen-xml', 'auto');
    expect(await auto('The weather in Paris is sunny.')).toBe(true);
    expect(await auto(`I will check.\n\n${xml([weather])}`)).toBe(true);
    expect(await (await allows('qwen-xml', 'required'))('The weather in Paris is sunny.')).toBe(false);
    expect(await (await allows('qwen-xml', 'required'))(`${xml([weather])} and more`)).toBe(false);
  });

  it('a named function allows exactly one call to that function', async () => {
    const ok = await allows('qwen-xml', { function: 'get_weather' });
    expect(await ok(xml([weather]))).toBe(true);
    expect(await ok(xml([sum]))).toBe(false);
    expect(await ok(xml([weather, { name: 'get_weather', arguments: { city: 'Rome' } }]))).toBe(false);
  });
});

describe('reasoning before the calls', () => {
  const opened: ReasoningFirst = { close: '</think>' };
  const ownBlock: ReasoningFirst = { open: '<think>', close: '</think>' };
  const decoy = 'Maybe <tool_call>\n{"name": "nope"} — no, use add.';

  it('Qwen3.5, thinking on: the output starts inside the block the prompt opened', async () => {
    for (const choice of ['auto', 'required', { function: 'add' }] as const) {
      const ok = await allows('qwen-xml', choice, opened);
      expect(await ok(`${decoy}\n</think>\n\n${xml([sum])}`), JSON.stringify(choice)).toBe(true);
      expect(await ok(`\n</think>\n\n${xml([sum])}`), 'empty reasoning').toBe(true);
      expect(await ok(xml([sum])), 'the block must be closed first').toBe(false);
      expect(
        await ok(`${decoy}\n</think>\n\n${xml([{ name: 'add', arguments: { a: 'x', b: 2 } }])}`),
        'invalid call after it',
      ).toBe(false);
    }
    const auto = await allows('qwen-xml', 'auto', opened);
    expect(await auto('Easy.\n</think>\n\nIt is sunny.')).toBe(true);
    const required = await allows('qwen-xml', 'required', opened);
    expect(await required('Easy.\n</think>\n\nIt is sunny.')).toBe(false);
    expect(await required(`Two.\n</think>\n\n${xml([weather, sum])}`)).toBe(true);
  });

  it('Qwen3, thinking on: the model writes <think>…</think> itself, then its calls', async () => {
    for (const choice of ['auto', 'required'] as const) {
      const ok = await allows('hermes', choice, ownBlock);
      expect(await ok(`<think>\n${decoy}\n</think>\n\n${hermes([sum])}`), choice).toBe(true);
      expect(await ok(`<think>\n\n</think>\n\n${hermes([weather, sum])}`), choice).toBe(true);
      expect(
        await ok(`<think>\nhm\n</think>\n\n${hermes([{ name: 'add', arguments: { a: 'x', b: 2 } }])}`),
        choice,
      ).toBe(false);
    }
    expect(
      await (
        await allows('hermes', 'required', ownBlock)
      )(hermes([sum])),
      'thinking on always opens the block',
    ).toBe(false);
  });

  it('Qwen3, thinking off (the prompt closed the block): calls come first, no reasoning', async () => {
    const ok = await allows('hermes', 'required');
    expect(await ok(hermes([sum]))).toBe(true);
    expect(await ok(`<think>\nhm\n</think>\n\n${hermes([sum])}`)).toBe(false);
  });
});
