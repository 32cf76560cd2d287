/**
 * The raw-prompt formats' constraints (Trelis v2/v3, Mistral v0.3) checked with the real grammar
 * engine (web-xgrammar, the one web-llm bundles): a constraint "allows" a text when xgrammar accepts
 * it as a whole output. Calls are rendered as the formats' own renderCalls write them (Python
 * json.dumps layout) and in compact JSON, since a model may write either.
 */
import { describe, expect, it } from 'vitest';
import { buildToolConstraint } from '../../../../src/lib/grammar/buildToolConstraint.ts';
import type { RawCallSyntax } from '../../../../src/lib/grammar/rawCallConstraint.ts';
import type { ToolChoice } from '../../../../src/lib/types/agent.ts';
import { trelisV2Format } from '../../../../src/lib/formats/trelisV2Format.ts';
import { trelisV3Format } from '../../../../src/lib/formats/trelisV3Format.ts';
import { mistralV3Format } from '../../../../src/lib/formats/mistralV3Format.ts';
import { acceptor } from './xgrammar.ts';
import { functions, invalidCalls, validCalls } from './functions.fixture.ts';

type Call = { name: string; arguments: Record<string, unknown> };

/** Each syntax's calls: as the format renders them, and compact; the first of the list is the format's. */
const render: Record<RawCallSyntax, ((calls: Call[]) => string)[]> = {
  'trelis-v2': [
    (calls) => trelisV2Format.renderCalls(calls),
    (calls) => ` ${calls.map((c) => JSON.stringify({ function: c.name, arguments: c.arguments })).join('\n')}`,
  ],
  'trelis-v3': [
    (calls) => trelisV3Format.renderCalls(calls),
    (calls) => ` ${calls.map((c) => JSON.stringify({ name: c.name, arguments: c.arguments })).join('\n')}`,
  ],
  'mistral-v3': [
    (calls) => mistralV3Format.renderCalls(calls),
    (calls) =>
      `[TOOL_CALLS] [${calls.map((c) => `{"name": ${JSON.stringify(c.name)}, "arguments": ${JSON.stringify(c.arguments)}}`).join(', ')}]`,
  ],
};

const syntaxes: RawCallSyntax[] = ['trelis-v2', 'trelis-v3', 'mistral-v3'];
const prose = 'The weather in Paris is sunny.';

async function allows(syntax: RawCallSyntax, toolChoice: ToolChoice) {
  const constraint = buildToolConstraint({ functions, toolChoice, syntax });
  expect(constraint.constrained).toBe(true);
  if (!constraint.responseFormat) throw new Error('constrained without a response format');
  return acceptor(constraint.responseFormat);
}

describe.each(syntaxes)('%s constraint', (syntax) => {
  it.each(['auto', 'required'] as const)(
    'tool_choice %s allows every valid call, as rendered and compact',
    async (choice) => {
      const ok = await allows(syntax, choice);
      for (const r of render[syntax])
        for (const call of validCalls) expect(await ok(r([call])), JSON.stringify(r([call]))).toBe(true);
    },
  );

  it.each(['auto', 'required'] as const)(
    'tool_choice %s rejects malformed and schema-violating calls',
    async (choice) => {
      const ok = await allows(syntax, choice);
      for (const r of render[syntax])
        for (const call of invalidCalls) expect(await ok(r([call])), call.why).toBe(false);
      const good = render[syntax][0]?.([{ name: 'add', arguments: { a: 1, b: 2 } }]) ?? '';
      expect(await ok(good.slice(0, -2)), 'cut short').toBe(false);
      expect(await ok(`${good} and more`), 'junk after the call').toBe(false);
    },
  );

  it('allows prose in tool_choice auto only', async () => {
    expect(await (await allows(syntax, 'auto'))(prose)).toBe(true);
    expect(await (await allows(syntax, 'auto'))(` ${prose}`), 'after a sentencepiece space').toBe(true);
    expect(await (await allows(syntax, 'required'))(prose)).toBe(false);
    expect(await (await allows(syntax, { function: 'add' }))(prose)).toBe(false);
  });

  it('a named function allows exactly one call to that function', async () => {
    const ok = await allows(syntax, { function: 'get_weather' });
    const r = render[syntax][0] ?? (() => '');
    expect(await ok(r([{ name: 'get_weather', arguments: { city: 'Paris' } }]))).toBe(true);
    expect(await ok(r([{ name: 'add', arguments: { a: 1, b: 2 } }]))).toBe(false);
  });
});

describe('mistral-v3 lists', () => {
  const twice = [
    { name: 'get_weather', arguments: { city: 'Paris' } },
    { name: 'add', arguments: { a: 1, b: 2 } },
  ];

  it('required allows several calls in one [TOOL_CALLS] list', async () => {
    expect(await (await allows('mistral-v3', 'required'))(mistralV3Format.renderCalls(twice))).toBe(true);
  });

  it('a named function allows no second call', async () => {
    const calls = [twice[0], { name: 'get_weather', arguments: { city: 'Rome' } }].filter((c) => c !== undefined);
    expect(await (await allows('mistral-v3', { function: 'get_weather' }))(mistralV3Format.renderCalls(calls))).toBe(
      false,
    );
  });

  it('rejects an empty list and a list without [TOOL_CALLS]', async () => {
    const ok = await allows('mistral-v3', 'auto');
    expect(await ok('[TOOL_CALLS] []')).toBe(false);
    expect(await ok('[{"name": "add", "arguments": {"a": 1, "b": 2}}]')).toBe(false);
  });
});

describe('trelis answers', () => {
  it('v2 needs the "function" key, v3 the "name" key', async () => {
    const v2 = await allows('trelis-v2', 'required');
    const v3 = await allows('trelis-v3', 'required');
    expect(await v2('{"name": "add", "arguments": {"a": 1, "b": 2}}')).toBe(false);
    expect(await v3('{"function": "add", "arguments": {"a": 1, "b": 2}}')).toBe(false);
  });

  it('auto rejects prose that starts like a call', async () => {
    expect(await (await allows('trelis-v2', 'auto'))('{"oops": 1}')).toBe(false);
  });
});
