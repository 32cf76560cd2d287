/**
 * Checks the constraints with the real grammar engine (web-xgrammar, the one web-llm bundles) and no
 * model: a constraint "allows" a text when xgrammar accepts it as a whole output.
 */
import { describe, expect, it } from 'vitest';
import { buildToolConstraint, type ToolCallSyntax } from '../../../../src/lib/grammar/buildToolConstraint.ts';
import { ToolChoiceError } from '../../../../src/lib/grammar/toolChoice.ts';
import type { RawCallSyntax } from '../../../../src/lib/grammar/rawCallConstraint.ts';
import type { ToolChoice } from '../../../../src/lib/types/agent.ts';
import { acceptor } from './xgrammar.ts';
import { gemmaArguments } from '../../../../src/lib/formats/gemmaValue.ts';
import { pythonCompactJson } from '../../../../src/lib/formats/toolJson.ts';
import { functions, invalidCalls, validCalls } from './functions.fixture.ts';

type Call = { name: string; arguments: Record<string, unknown> };

function py(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null) return 'None';
  if (Array.isArray(value)) return `[${value.map(py).join(', ')}]`;
  return JSON.stringify(value);
}

/** The chat-API syntaxes (the raw-prompt ones are in rawCallConstraint.test.ts). */
type ChatSyntax = Exclude<ToolCallSyntax, RawCallSyntax>;
/** A Qwen3.5 call as its template writes it: values bare, lists and objects as JSON. */
export function qwenXml(c: Call): string {
  const params = Object.entries(c.arguments).map(
    ([k, v]) => `<parameter=${k}>\n${typeof v === 'string' ? v : JSON.stringify(v)}\n</parameter>\n`,
  );
  return `<tool_call>\n<function=${c.name}>\n${params.join('')}</function>\n</tool_call>`;
}

/** Each syntax's calls as a model following the format's prompt writes them. */
const render: Record<ChatSyntax, (calls: Call[]) => string> = {
  hermes: (calls) =>
    calls
      .map(
        (c) =>
          `<tool_call>\n{"name": ${JSON.stringify(c.name)}, "arguments": ${JSON.stringify(c.arguments)}}\n</tool_call>`,
      )
      .join('\n'),
  'json-fenced': (calls) =>
    calls
      .map(
        (c) =>
          `\`\`\`json\n{"name": ${JSON.stringify(c.name)}, "arguments": ${JSON.stringify(c.arguments, null, 2)}}\n\`\`\``,
      )
      .join('\n'),
  'llama3-json': (calls) => calls.map((c) => JSON.stringify({ name: c.name, parameters: c.arguments })).join(''),
  pythonic: (calls) =>
    `[${calls
      .map(
        (c) =>
          `${c.name}(${Object.entries(c.arguments)
            .map(([k, v]) => `${k}=${py(v)}`)
            .join(', ')})`,
      )
      .join(', ')}]`,
  // Checked in qwenConstraint.test.ts: bare XML values cannot tell the string "1" from the number 1.
  'qwen-xml': (calls) => calls.map(qwenXml).join('\n'),
  gemma4: (calls) =>
    calls.map((c) => `<|tool_call>call:${c.name}{${gemmaArguments(c.arguments)}}<tool_call|>`).join(''),
  'mistral-v13': (calls) => calls.map((c) => `[TOOL_CALLS]${c.name}[ARGS]${pythonCompactJson(c.arguments)}`).join(''),
  phi4: (calls) =>
    `<|tool_call|>${pythonCompactJson(calls.map((c) => ({ name: c.name, arguments: c.arguments })))}<|/tool_call|>`,
  smollm2: (calls) =>
    `<tool_call>${pythonCompactJson(calls.map((c) => ({ name: c.name, arguments: c.arguments })))}</tool_call>`,
};

const syntaxes: ChatSyntax[] = [
  'hermes',
  'json-fenced',
  'llama3-json',
  'pythonic',
  'gemma4',
  'mistral-v13',
  'phi4',
  'smollm2',
];
/** Syntaxes whose answer can hold several calls (Llama 3.1 JSON is one call per answer). */
const parallel = new Set<ChatSyntax>(['hermes', 'json-fenced', 'pythonic', 'gemma4', 'mistral-v13', 'phi4', 'smollm2']);
const prose = 'The weather in Paris is sunny.';

async function allows(syntax: ChatSyntax, toolChoice: ToolChoice) {
  const constraint = buildToolConstraint({ functions, toolChoice, syntax });
  expect(constraint.constrained).toBe(true);
  if (!constraint.responseFormat) throw new Error('constrained without a response format');
  return acceptor(constraint.responseFormat);
}

describe.each(syntaxes)('%s constraint', (syntax) => {
  it.each(['auto', 'required'] as const)('tool_choice %s allows every valid call', async (choice) => {
    const ok = await allows(syntax, choice);
    for (const call of validCalls) expect(await ok(render[syntax]([call])), JSON.stringify(call)).toBe(true);
  });

  it.each(['auto', 'required'] as const)(
    'tool_choice %s rejects malformed and schema-violating calls',
    async (choice) => {
      const ok = await allows(syntax, choice);
      for (const call of invalidCalls) expect(await ok(render[syntax]([call])), call.why).toBe(false);
      const good = render[syntax]([{ name: 'add', arguments: { a: 1, b: 2 } }]);
      expect(await ok(good.slice(0, -3)), 'cut short').toBe(false);
    },
  );

  it('allows prose in tool_choice auto only', async () => {
    expect(await (await allows(syntax, 'auto'))(prose)).toBe(true);
    expect(await (await allows(syntax, 'required'))(prose)).toBe(false);
    expect(await (await allows(syntax, { function: 'add' }))(prose)).toBe(false);
  });

  it('rejects junk after the calls when a call is required', async () => {
    const ok = await allows(syntax, 'required');
    expect(await ok(`${render[syntax]([{ name: 'add', arguments: { a: 1, b: 2 } }])} and more`)).toBe(false);
  });

  it('a named function allows exactly one call to that function', async () => {
    const ok = await allows(syntax, { function: 'get_weather' });
    expect(await ok(render[syntax]([{ name: 'get_weather', arguments: { city: 'Paris' } }]))).toBe(true);
    expect(await ok(render[syntax]([{ name: 'add', arguments: { a: 1, b: 2 } }]))).toBe(false);
    const twice = [
      { name: 'get_weather', arguments: { city: 'Paris' } },
      { name: 'get_weather', arguments: { city: 'Rome' } },
    ];
    expect(await ok(render[syntax](twice))).toBe(false);
  });

  it.runIf(parallel.has(syntax))('required allows several calls in one answer', async () => {
    const ok = await allows(syntax, 'required');
    const calls = [
      { name: 'get_weather', arguments: { city: 'Paris' } },
      { name: 'add', arguments: { a: 1, b: 2 } },
    ];
    expect(await ok(render[syntax](calls))).toBe(true);
  });
});

describe('tagged syntaxes in tool_choice auto', () => {
  it.each(['hermes', 'json-fenced'] as const)(
    '%s: prose may surround calls, but a started call must be valid',
    async (syntax) => {
      const ok = await allows(syntax, 'auto');
      const call = render[syntax]([{ name: 'add', arguments: { a: 1, b: 2 } }]);
      expect(await ok(`Let me add those.\n${call}\nDone.`)).toBe(true);
      const bad = render[syntax]([{ name: 'add', arguments: { a: 'one', b: 2 } }]);
      expect(await ok(`Let me add those.\n${bad}`)).toBe(false);
    },
  );
});

describe('Mistral v13 in tool_choice auto and with reasoning', () => {
  const call = '[TOOL_CALLS]add[ARGS]{"a": 1, "b": 2}';

  it('lets the reasoning model think first, freely, in every mode', async () => {
    for (const choice of ['auto', 'required', { function: 'add' }] as const) {
      const ok = await allows('mistral-v13', choice);
      expect(await ok(`[THINK]Maybe [TOOL_CALLS]add with a=one?[/THINK]${call}`), JSON.stringify(choice)).toBe(true);
    }
    expect(await (await allows('mistral-v13', 'required'))('[THINK]Nothing to call.[/THINK]Hi')).toBe(false);
  });

  it('allows prose around calls in auto, but a started call must be valid', async () => {
    const ok = await allows('mistral-v13', 'auto');
    expect(await ok(`Let me add.${call}`)).toBe(true);
    expect(await ok('[THINK]Easy.[/THINK]It is 3.')).toBe(true);
    expect(await ok('Let me add.[TOOL_CALLS]add[ARGS]{"a": "one", "b": 2}')).toBe(false);
    expect(await ok('[TOOL_CALLS]get_time[ARGS]{}')).toBe(false);
  });

  it('needs [TOOL_CALLS] before every call', async () => {
    const ok = await allows('mistral-v13', 'required');
    expect(await ok(`${call}add[ARGS]{"a": 1, "b": 2}`)).toBe(false);
  });
});

describe('tagged call lists', () => {
  it('SmolLM2: an empty list is "no call" in auto only; Phi-4 never writes one', async () => {
    expect(await (await allows('smollm2', 'auto'))('<tool_call>[]</tool_call>')).toBe(true);
    expect(await (await allows('smollm2', 'required'))('<tool_call>[]</tool_call>')).toBe(false);
    expect(await (await allows('phi4', 'auto'))('<|tool_call|>[]<|/tool_call|>')).toBe(false);
  });

  it('allows text around a block in auto, not two blocks when required', async () => {
    expect(
      await (
        await allows('phi4', 'auto')
      )('Sure. <|tool_call|>[{"name": "add", "arguments": {"a": 1, "b": 2}}]<|/tool_call|>'),
    ).toBe(true);
    const one = render.phi4([{ name: 'add', arguments: { a: 1, b: 2 } }]);
    expect(await (await allows('phi4', 'required'))(one + one)).toBe(false);
  });
});

describe('buildToolConstraint without a grammar', () => {
  it('forbids opening a call for tool_choice none, and constrains nothing when it cannot', async () => {
    const c = buildToolConstraint({ functions, toolChoice: 'none', syntax: 'hermes' });
    expect(c.constrained).toBe(true);
    expect(c.note).toMatch(/tool_choice none.*stay listed.*no <tool_call>/);
    if (!c.responseFormat) throw new Error('expected a grammar');
    const ok = await acceptor(c.responseFormat);
    expect(await ok('It is sunny.')).toBe(true);
    expect(await ok(render.hermes([{ name: 'add', arguments: { a: 1, b: 2 } }]))).toBe(false);
    const off = buildToolConstraint({ functions, toolChoice: 'none', syntax: 'hermes', canConstrain: false });
    expect(off.constrained).toBe(false);
    expect(off.note).toMatch(/shown, not run/);
  });

  it('constrains nothing, and says why, when the engine cannot', () => {
    const c = buildToolConstraint({ functions, toolChoice: 'required', syntax: 'hermes', canConstrain: false });
    expect(c.constrained).toBe(false);
    expect(c.responseFormat).toBeUndefined();
    expect(c.note).toMatch(/cannot apply a grammar.*required.*repaired and validated/);
  });

  it('treats auto with no functions as none', () => {
    expect(buildToolConstraint({ functions: [], syntax: 'pythonic' }).constrained).toBe(false);
  });

  it('throws a ToolChoiceError for a function that is not enabled, or required with none', () => {
    expect(() => buildToolConstraint({ functions, toolChoice: { function: 'nope' }, syntax: 'hermes' })).toThrow(
      ToolChoiceError,
    );
    expect(() => buildToolConstraint({ functions: [], toolChoice: 'required', syntax: 'hermes' })).toThrow(
      /at least one/,
    );
  });

  it('names the functions in its note', () => {
    const c = buildToolConstraint({ functions, toolChoice: { function: 'add' }, syntax: 'llama3-json' });
    expect(c.note).toBe(
      'Constrained to exactly one call of add: every JSON call must name add and match its parameters schema.',
    );
  });
});
