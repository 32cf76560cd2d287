import { describe, expect, it } from 'vitest';
import { qwen3Format } from '../../../../src/lib/formats/qwen3Format.ts';
import type { BuiltPrompt } from '../../../../src/lib/formats/promptFormat.ts';
import type { Turn } from '../../../../src/lib/types/turn.ts';
import { add, question, system, weather } from './conversation.fixture.ts';

const TOOL =
  '{"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city.", "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"}}, "required": ["city"]}}}';
const ADD =
  '{"type": "function", "function": {"name": "add", "parameters": {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}, "required": ["a", "b"]}}}';
const TOOLS = (tools: string[]) =>
  '# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>' +
  tools.map((t) => `\n${t}`).join('') +
  '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n';
const USER = '<|im_start|>user\nWeather in Paris?<|im_end|>\n';

const PARIS = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>';
const ROME = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Rome"}}\n</tool_call>';

function prompt(built: BuiltPrompt): string {
  if (built.request.api !== 'completion') throw new Error('expected a raw completion request');
  return built.request.prompt;
}

/** A question, two parallel calls with reasoning (as the model wrote them), and both results. */
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
  { role: 'tool', name: 'get_weather', content: '{"temp": 21}' },
  { role: 'tool', name: 'get_weather', content: '{"temp": 25}' },
];
const RESULTS =
  '<|im_start|>user\n<tool_response>\n{"temp": 21}\n</tool_response>\n<tool_response>\n{"temp": 25}\n</tool_response><|im_end|>\n';

describe('qwen3 format', () => {
  it('renders tools after the system prompt, one JSON line per tool (template golden)', () => {
    const built = qwen3Format.build({ functions: [weather, add], system, turns: question });
    expect(prompt(built)).toBe(
      `<|im_start|>system\nYou are terse.\n\n${TOOLS([TOOL, ADD])}${USER}<|im_start|>assistant\n`,
    );
    expect(built.request.stop).toEqual(['<|im_end|>', '<|endoftext|>']);
    expect(built.answerPrefix).toBeUndefined();
  });

  it('starts the block with # Tools without a system prompt, and writes no tools block without functions', () => {
    expect(prompt(qwen3Format.build({ functions: [weather], turns: question }))).toBe(
      `<|im_start|>system\n${TOOLS([TOOL])}${USER}<|im_start|>assistant\n`,
    );
    expect(prompt(qwen3Format.build({ functions: [], system, turns: question }))).toBe(
      `<|im_start|>system\nYou are terse.<|im_end|>\n${USER}<|im_start|>assistant\n`,
    );
    expect(prompt(qwen3Format.build({ functions: [], turns: question }))).toBe(`${USER}<|im_start|>assistant\n`);
  });

  it('thinking off appends an empty think block and reports it as the answer prefix', () => {
    const built = qwen3Format.build({ functions: [weather], turns: question, thinking: false });
    expect(prompt(built)).toBe(
      `<|im_start|>system\n${TOOLS([TOOL])}${USER}<|im_start|>assistant\n<think>\n\n</think>\n\n`,
    );
    expect(built.answerPrefix).toBe('<think>\n\n</think>\n\n');
    expect(qwen3Format.syntax.thinking).toEqual({ switchable: true, defaultOn: true });
  });

  it('keeps the reasoning of calls after the last user query; results share one user turn', () => {
    const built = qwen3Format.build({ functions: [weather], turns: calls });
    expect(prompt(built)).toBe(
      `<|im_start|>system\n${TOOLS([TOOL])}<|im_start|>user\nWeather in Paris and Rome?<|im_end|>\n` +
        `<|im_start|>assistant\n<think>\nTwo cities, two calls.\n</think>\n\n${PARIS}\n${ROME}<|im_end|>\n` +
        `${RESULTS}<|im_start|>assistant\n`,
    );
  });

  it('drops the reasoning of answers before the last user query', () => {
    const turns: Turn[] = [
      ...calls,
      { role: 'assistant', content: '<think>\nBoth known.\n</think>\n\nParis 21 °C, Rome 25 °C.' },
      { role: 'user', content: 'And 2+3?' },
    ];
    expect(prompt(qwen3Format.build({ functions: [weather], system, turns }))).toBe(
      `<|im_start|>system\nYou are terse.\n\n${TOOLS([TOOL])}<|im_start|>user\nWeather in Paris and Rome?<|im_end|>\n` +
        `<|im_start|>assistant\n${PARIS}\n${ROME}<|im_end|>\n${RESULTS}` +
        '<|im_start|>assistant\nParis 21 °C, Rome 25 °C.<|im_end|>\n<|im_start|>user\nAnd 2+3?<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it('re-renders calls from the parsed calls, after the prose before them; an empty think block is no reasoning', () => {
    const turns: Turn[] = [
      ...question,
      // Thinking was off (answer prefix stored), and the model wrote its JSON without spaces.
      {
        role: 'assistant',
        content:
          '<think>\n\n</think>\n\nLet me check.\n<tool_call>{"name":"get_weather","arguments":{"city":"Paris"}}</tool_call>',
        calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', name: 'get_weather', content: '{"temp": 21}' },
    ];
    expect(prompt(qwen3Format.build({ functions: [weather], turns }))).toBe(
      `<|im_start|>system\n${TOOLS([TOOL])}${USER}<|im_start|>assistant\nLet me check.\n${PARIS}<|im_end|>\n` +
        '<|im_start|>user\n<tool_response>\n{"temp": 21}\n</tool_response><|im_end|>\n<|im_start|>assistant\n',
    );
    expect(qwen3Format.renderCalls([{ name: 'add', arguments: { a: 1, b: 2 } }])).toBe(
      '<tool_call>\n{"name": "add", "arguments": {"a": 1, "b": 2}}\n</tool_call>',
    );
  });

  it('constrains Hermes-style calls, with the reasoning block first only when thinking is on', () => {
    const on = qwen3Format.build({
      functions: [weather],
      turns: question,
      toolChoice: 'required',
      canConstrainRaw: true,
    });
    expect(on.constrained).toBe(true);
    expect(JSON.stringify(on.request.responseFormat)).toContain('"begin":"<think>"');
    const off = qwen3Format.build({
      functions: [weather],
      turns: question,
      toolChoice: 'required',
      canConstrainRaw: true,
      thinking: false,
    });
    expect(JSON.stringify(off.request.responseFormat)).not.toContain('<think>');
    expect(off.constraintNote).toMatch(/<tool_call> block must name get_weather/);
  });
});
