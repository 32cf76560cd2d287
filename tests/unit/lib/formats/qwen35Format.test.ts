import { describe, expect, it } from 'vitest';
import { qwen35Format } from '../../../../src/lib/formats/qwen35Format.ts';
import type { BuiltPrompt } from '../../../../src/lib/formats/promptFormat.ts';
import { PromptBuildError } from '../../../../src/lib/errors.ts';
import type { Turn } from '../../../../src/lib/types/turn.ts';
import { add, question, system, weather } from './conversation.fixture.ts';

const TOOL =
  '{"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city.", "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"}}, "required": ["city"]}}}';
const ADD =
  '{"type": "function", "function": {"name": "add", "parameters": {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}, "required": ["a", "b"]}}}';
const TOOLS = (tools: string[]) =>
  '# Tools\n\nYou have access to the following functions:\n\n<tools>' +
  tools.map((t) => `\n${t}`).join('') +
  '\n</tools>\n\nIf you choose to call a function ONLY reply in the following format with NO suffix:\n\n<tool_call>\n<function=example_function_name>\n<parameter=example_parameter_1>\nvalue_1\n</parameter>\n<parameter=example_parameter_2>\nThis is the value for the second parameter\nthat can span\nmultiple lines\n</parameter>\n</function>\n</tool_call>\n\n<IMPORTANT>\nReminder:\n- Function calls MUST follow the specified format: an inner <function=...></function> block must be nested within <tool_call></tool_call> XML tags\n- Required parameters MUST be specified\n- You may provide optional reasoning for your function call in natural language BEFORE the function call, but NOT after\n- If there is no function call available, answer the question like normal with your current knowledge and do not tell the user about function calls\n</IMPORTANT>';
const USER = '<|im_start|>user\nWeather in Paris?<|im_end|>\n';
const OPEN = '<|im_start|>assistant\n<think>\n';
const CLOSED = '<|im_start|>assistant\n<think>\n\n</think>\n\n';

const PARIS = '<tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n</function>\n</tool_call>';
const ROME = '<tool_call>\n<function=get_weather>\n<parameter=city>\nRome\n</parameter>\n</function>\n</tool_call>';

function prompt(built: BuiltPrompt): string {
  if (built.request.api !== 'completion') throw new Error('expected a raw completion request');
  return built.request.prompt;
}

/** A question, two parallel calls after reasoning (stored with the prompt's `<think>\n`), and both results. */
const calls: Turn[] = [
  { role: 'user', content: 'Weather in Paris and Rome?' },
  {
    role: 'assistant',
    content: `<think>\nTwo cities, two calls.\n</think>\n\n${PARIS}\n${ROME}`,
    calls: [
      { name: 'get_weather', arguments: { city: 'Paris' } },
      { name: 'get_weather', arguments: { city: 'Rome' } },
    ],
  },
  { role: 'tool', name: 'get_weather', content: '{"temp": 21}\n' },
  { role: 'tool', name: 'get_weather', content: '{"temp": 25}' },
];
const RESULTS =
  '<|im_start|>user\n<tool_response>\n{"temp": 21}\n</tool_response>\n<tool_response>\n{"temp": 25}\n</tool_response><|im_end|>\n';

describe('qwen3.5 format', () => {
  it('renders the tool block first and the system prompt after it (template golden, thinking on)', () => {
    const built = qwen35Format.build({
      functions: [weather, add],
      system: `  ${system}\n`,
      turns: question,
      thinking: true,
    });
    expect(prompt(built)).toBe(`<|im_start|>system\n${TOOLS([TOOL, ADD])}\n\nYou are terse.<|im_end|>\n${USER}${OPEN}`);
    expect(built.answerPrefix).toBe('<think>\n');
    expect(built.request.stop).toEqual(['<|im_end|>', '<|endoftext|>']);
  });

  it('ends the block at </IMPORTANT> without a system prompt; a plain system turn without functions', () => {
    expect(prompt(qwen35Format.build({ functions: [weather], turns: question, thinking: true }))).toBe(
      `<|im_start|>system\n${TOOLS([TOOL])}<|im_end|>\n${USER}${OPEN}`,
    );
    expect(prompt(qwen35Format.build({ functions: [], system, turns: question, thinking: true }))).toBe(
      `<|im_start|>system\nYou are terse.<|im_end|>\n${USER}${OPEN}`,
    );
  });

  it('thinking off (the default) closes an empty think block, reported as the answer prefix', () => {
    expect(qwen35Format.syntax.thinking).toEqual({ switchable: true, defaultOn: false });
    const built = qwen35Format.build({ functions: [weather], turns: question });
    expect(prompt(built)).toBe(`<|im_start|>system\n${TOOLS([TOOL])}<|im_end|>\n${USER}${CLOSED}`);
    expect(built.answerPrefix).toBe('<think>\n\n</think>\n\n');
  });

  it('keeps reasoning after the last user query; results share one user turn, trimmed', () => {
    expect(prompt(qwen35Format.build({ functions: [weather], turns: calls, thinking: true }))).toBe(
      `<|im_start|>system\n${TOOLS([TOOL])}<|im_end|>\n<|im_start|>user\nWeather in Paris and Rome?<|im_end|>\n` +
        `<|im_start|>assistant\n<think>\nTwo cities, two calls.\n</think>\n\n${PARIS}\n${ROME}<|im_end|>\n${RESULTS}${OPEN}`,
    );
  });

  it('before the last user query keeps only answers that carry reasoning; after it, every answer has a think block', () => {
    const turns: Turn[] = [
      ...calls,
      // Thinking was off for this answer: its stored text starts with the prompt's empty block.
      { role: 'assistant', content: '<think>\n\n</think>\n\nParis 21 °C, Rome 25 °C.' },
      { role: 'user', content: 'And 2+3?' },
      { role: 'assistant', content: '<think>\n\n</think>\n\n', calls: [{ name: 'add', arguments: { a: 2, b: 3 } }] },
      { role: 'tool', name: 'add', content: '5' },
    ];
    expect(prompt(qwen35Format.build({ functions: [weather, add], system, turns }))).toBe(
      `<|im_start|>system\n${TOOLS([TOOL, ADD])}\n\nYou are terse.<|im_end|>\n<|im_start|>user\nWeather in Paris and Rome?<|im_end|>\n` +
        `<|im_start|>assistant\n<think>\nTwo cities, two calls.\n</think>\n\n${PARIS}\n${ROME}<|im_end|>\n${RESULTS}` +
        '<|im_start|>assistant\nParis 21 °C, Rome 25 °C.<|im_end|>\n<|im_start|>user\nAnd 2+3?<|im_end|>\n' +
        '<|im_start|>assistant\n<think>\n\n</think>\n\n<tool_call>\n<function=add>\n<parameter=a>\n2\n</parameter>\n<parameter=b>\n3\n</parameter>\n</function>\n</tool_call><|im_end|>\n' +
        `<|im_start|>user\n<tool_response>\n5\n</tool_response><|im_end|>\n${CLOSED}`,
    );
  });

  it('re-renders calls from the parsed calls after the prose (\\n\\n), values as the template writes them', () => {
    const turns: Turn[] = [
      ...question,
      {
        role: 'assistant',
        content:
          '<think>\n\n</think>\n\nLet me check.\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n</function>',
        calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', name: 'get_weather', content: '{"temp": 21}' },
    ];
    expect(prompt(qwen35Format.build({ functions: [weather], turns }))).toBe(
      `<|im_start|>system\n${TOOLS([TOOL])}<|im_end|>\n${USER}<|im_start|>assistant\n<think>\n\n</think>\n\nLet me check.\n\n${PARIS}<|im_end|>\n` +
        `<|im_start|>user\n<tool_response>\n{"temp": 21}\n</tool_response><|im_end|>\n${CLOSED}`,
    );
    expect(
      qwen35Format.renderCalls([
        { name: 'f', arguments: { on: true, none: null, n: 1.5, list: [1, 'a'], obj: { k: 'v' } } },
      ]),
    ).toBe(
      '<tool_call>\n<function=f>\n<parameter=on>\nTrue\n</parameter>\n<parameter=none>\nNone\n</parameter>\n<parameter=n>\n1.5\n</parameter>\n' +
        '<parameter=list>\n[1, "a"]\n</parameter>\n<parameter=obj>\n{"k": "v"}\n</parameter>\n</function>\n</tool_call>',
    );
  });

  it('rejects a conversation without a real user query, as the template does', () => {
    expect(() =>
      qwen35Format.build({ functions: [weather], turns: [{ role: 'tool', name: 'get_weather', content: '1' }] }),
    ).toThrow(PromptBuildError);
  });

  it('constrains XML calls; with thinking on the grammar starts inside the opened think block', () => {
    const on = qwen35Format.build({
      functions: [weather],
      turns: question,
      toolChoice: 'required',
      canConstrainRaw: true,
      thinking: true,
    });
    expect(on.constrained).toBe(true);
    expect(JSON.stringify(on.request.responseFormat)).toContain('"end":"</think>"');
    expect(JSON.stringify(on.request.responseFormat)).toContain('qwen_xml_parameter');
    const off = qwen35Format.build({
      functions: [weather],
      turns: question,
      toolChoice: 'required',
      canConstrainRaw: true,
    });
    expect(JSON.stringify(off.request.responseFormat)).not.toContain('</think>');
  });
});
