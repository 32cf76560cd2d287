import { describe, expect, it } from 'vitest';
import { smollm2Format } from '../../../../src/lib/formats/smollm2Format.ts';
import type { BuiltPrompt } from '../../../../src/lib/formats/promptFormat.ts';
import type { Turn } from '../../../../src/lib/types/turn.ts';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import { previewStreamingCalls } from '../../../../src/lib/parse/previewCalls.ts';
import { question, system, weather } from './conversation.fixture.ts';

const TOOLS =
  '[{"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city.", "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"}}, "required": ["city"]}}}]';
/** TOOL-FORMATS §6 (a), written out byte for byte. */
const INSTRUCTIONS =
  'You are an expert in composing functions. You are given a question and a set of possible functions.\n' +
  'Based on the question, you will need to make one or more function/tool calls to achieve the purpose.\n' +
  'If none of the functions can be used, point it out and refuse to answer.\n' +
  'If the given question lacks the parameters required by the function, also point it out.\n\n' +
  `You have access to the following tools:\n<tools>${TOOLS}</tools>\n\n` +
  'The output MUST strictly adhere to the following format, and NO other text MUST be included.\n' +
  "The example format is as follows. Please make sure the parameter type is correct. If no function call is needed, please make the tool calls an empty list '[]'.\n" +
  '<tool_call>[\n{"name": "func_name1", "arguments": {"argument1": "value1", "argument2": "value2"}},\n... (more tool calls as required)\n]</tool_call>';

function prompt(built: BuiltPrompt): string {
  if (built.request.api !== 'completion') throw new Error('expected a completion request');
  return built.request.prompt;
}

const parallelThenAnswer: Turn[] = [
  { role: 'user', content: 'Weather in Paris and Rome?' },
  {
    role: 'assistant',
    content:
      '<tool_call>[{"name": "get_weather", "arguments": {"city": "Paris"}}, {"name": "get_weather", "arguments": {"city": "Rome"}}]</tool_call>',
    calls: [
      { name: 'get_weather', arguments: { city: 'Paris' } },
      { name: 'get_weather', arguments: { city: 'Rome' } },
    ],
  },
  { role: 'tool', name: 'get_weather', content: '{"temp":21}' },
  { role: 'tool', name: 'get_weather', content: '{"temp":25}' },
  { role: 'assistant', content: 'Paris 21 °C, Rome 25 °C.' },
  { role: 'user', content: 'And 2+3?' },
];

describe('smollm2 format', () => {
  it("puts the user's system prompt first, then the tool instructions, in one system turn (golden)", () => {
    const built = smollm2Format.build({ functions: [weather], system, turns: question });
    expect(prompt(built)).toBe(
      `<|im_start|>system\nYou are terse.\n\n${INSTRUCTIONS}<|im_end|>\n<|im_start|>user\nWeather in Paris?<|im_end|>\n<|im_start|>assistant\n`,
    );
    expect(built.request.stop).toEqual(['<|im_end|>']);
    expect(built.constrained).toBe(false); // only on a model loaded for raw prompts (canConstrainRaw)
  });

  it("writes the instructions alone without a system prompt, the template's default without functions (golden)", () => {
    expect(prompt(smollm2Format.build({ functions: [weather], turns: question }))).toBe(
      `<|im_start|>system\n${INSTRUCTIONS}<|im_end|>\n<|im_start|>user\nWeather in Paris?<|im_end|>\n<|im_start|>assistant\n`,
    );
    expect(prompt(smollm2Format.build({ functions: [], turns: question }))).toBe(
      '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nWeather in Paris?<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it('renders parallel calls as one list and each result as a <tool_response> user turn (golden)', () => {
    expect(prompt(smollm2Format.build({ functions: [weather], turns: parallelThenAnswer }))).toBe(
      `<|im_start|>system\n${INSTRUCTIONS}<|im_end|>\n<|im_start|>user\nWeather in Paris and Rome?<|im_end|>\n` +
        '<|im_start|>assistant\n<tool_call>[{"name": "get_weather", "arguments": {"city": "Paris"}}, {"name": "get_weather", "arguments": {"city": "Rome"}}]</tool_call><|im_end|>\n' +
        '<|im_start|>user\n<tool_response>\n{"temp":21}\n</tool_response><|im_end|>\n' +
        '<|im_start|>user\n<tool_response>\n{"temp":25}\n</tool_response><|im_end|>\n' +
        '<|im_start|>assistant\nParis 21 °C, Rome 25 °C.<|im_end|>\n<|im_start|>user\nAnd 2+3?<|im_end|>\n<|im_start|>assistant\n',
    );
  });
});

describe('reading SmolLM2 calls', () => {
  it('reads the list, and an empty list as no call and no error', () => {
    const r = parseToolCalls(
      '<tool_call>[{"name": "get_weather", "arguments": {"city": "Paris"}}, {"name": "get_weather", "arguments": {"city": "Rome"}}]</tool_call>',
      [weather],
    );
    expect(r.errors).toEqual([]);
    expect(r.calls.map((c) => c.arguments)).toEqual([{ city: 'Paris' }, { city: 'Rome' }]);
    for (const out of [
      '<tool_call>[]</tool_call>',
      '<tool_call>[ ]</tool_call>',
      'No tool fits. <tool_call>[]</tool_call>',
    ]) {
      const empty = parseToolCalls(out, [weather]);
      expect(empty.calls, out).toEqual([]);
      expect(empty.errors, out).toEqual([]);
    }
    expect(parseToolCalls('No tool fits. <tool_call>[]</tool_call>', [weather]).text).toBe('No tool fits.');
  });

  it('previews no card for an empty list', () => {
    expect(previewStreamingCalls('<tool_call>[]</tool_call>', [weather]).calls).toEqual([]);
    expect(
      previewStreamingCalls('<tool_call>[{"name": "get_weather", "arguments": {"city": "Ro', [weather]).calls,
    ).toEqual([{ name: 'get_weather', arguments: { city: 'Ro' }, complete: false }]);
  });
});
