import { describe, expect, it } from 'vitest';
import { mistralV3Format } from '../../../../src/lib/formats/mistralV3Format.ts';
import type { BuiltPrompt } from '../../../../src/lib/formats/promptFormat.ts';
import { PromptBuildError } from '../../../../src/lib/errors.ts';
import { add, multiTurn, question, system, weather, withResult } from './conversation.fixture.ts';

const TOOLS =
  '[{"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city.", "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"}}, "required": ["city"]}}}]';
const RAW_CALL = '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Paris"}}]';

function prompt(built: BuiltPrompt): string {
  if (built.request.api !== 'completion') throw new Error('expected a completion request');
  return built.request.prompt;
}

describe('mistral-v3 format', () => {
  it('puts the tools before the last [INST] and the system prompt inside it', () => {
    expect(prompt(mistralV3Format.build({ functions: [weather], system, turns: question }))).toBe(
      `<s>[AVAILABLE_TOOLS] ${TOOLS}[/AVAILABLE_TOOLS][INST] You are terse.\n\nWeather in Paris?[/INST]`,
    );
  });

  it('writes the call with an id and the result with the same call_id, content as a JSON string', () => {
    expect(prompt(mistralV3Format.build({ functions: [weather], turns: withResult(RAW_CALL) }))).toBe(
      `<s>[AVAILABLE_TOOLS] ${TOOLS}[/AVAILABLE_TOOLS][INST] Weather in Paris?[/INST]` +
        '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Paris"}, "id": "call00001"}]</s>' +
        '[TOOL_RESULTS] {"content": "{\\"temp\\":21}", "call_id": "call00001"}[/TOOL_RESULTS]',
    );
  });

  it('moves the tools and system prompt to the newest user message in a multi-turn conversation', () => {
    const built = mistralV3Format.build({ functions: [weather], system, turns: multiTurn(RAW_CALL) });
    expect(prompt(built)).toBe(
      '<s>[INST] Weather in Paris?[/INST]' +
        '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Paris"}, "id": "call00001"}]</s>' +
        '[TOOL_RESULTS] {"content": "{\\"temp\\":21}", "call_id": "call00001"}[/TOOL_RESULTS]' +
        ' It is 21 °C.</s>' +
        `[AVAILABLE_TOOLS] ${TOOLS}[/AVAILABLE_TOOLS][INST] You are terse.\n\nAnd 2+3?[/INST]`,
    );
    expect(built.request.stop).toEqual(['</s>']);
    expect(built.constrained).toBe(false);
    expect(built.constraintNote).toMatch(/raw completion API.*no response_format/);
  });

  it('pairs parallel results with their calls in order', () => {
    const text = prompt(
      mistralV3Format.build({
        functions: [weather, add],
        turns: [
          ...question,
          {
            role: 'assistant',
            content: 'x',
            calls: [
              { name: 'get_weather', arguments: { city: 'Paris' } },
              { name: 'add', arguments: { a: 1, b: 2 } },
            ],
          },
          { role: 'tool', name: 'get_weather', content: '1' },
          { role: 'tool', name: 'add', content: '3' },
        ],
      }),
    );
    expect(text).toContain(
      '"id": "call00001"}, {"name": "add", "arguments": {"a": 1, "b": 2}, "id": "call00002"}]</s>',
    );
    expect(text).toContain(
      '[TOOL_RESULTS] {"content": "1", "call_id": "call00001"}[/TOOL_RESULTS][TOOL_RESULTS] {"content": "3", "call_id": "call00002"}[/TOOL_RESULTS]',
    );
  });

  it('keeps the tools with tool_choice none, offers none without functions, and refuses a conversation ending with an answer', () => {
    expect(prompt(mistralV3Format.build({ functions: [weather], toolChoice: 'none', turns: question }))).toBe(
      prompt(mistralV3Format.build({ functions: [weather], turns: question })),
    );
    expect(prompt(mistralV3Format.build({ functions: [], turns: question }))).toBe(
      '<s>[INST] Weather in Paris?[/INST]',
    );
    expect(() => mistralV3Format.build({ functions: [], turns: [] })).toThrow(PromptBuildError);
    expect(() =>
      mistralV3Format.build({ functions: [], turns: [...question, { role: 'assistant', content: 'hi' }] }),
    ).toThrow(PromptBuildError);
  });
});
