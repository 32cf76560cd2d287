import { describe, expect, it } from 'vitest';
import { mistralV13Format } from '../../../../src/lib/formats/mistralV13Format.ts';
import type { BuiltPrompt } from '../../../../src/lib/formats/promptFormat.ts';
import { PromptBuildError } from '../../../../src/lib/errors.ts';
import type { Turn } from '../../../../src/lib/types/turn.ts';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import { add, question, system, weather } from './conversation.fixture.ts';

const TOOLS =
  '[{"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city.", "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"}}, "required": ["city"]}}}]';

function prompt(built: BuiltPrompt): string {
  if (built.request.api !== 'completion') throw new Error('expected a completion request');
  return built.request.prompt;
}

/** Two parallel calls written by the Reasoning model, their results, an answer, and a new question. */
const parallelThenAnswer: Turn[] = [
  { role: 'user', content: 'Weather in Paris and Rome?' },
  {
    role: 'assistant',
    content:
      '[THINK]Two cities, two calls.[/THINK][TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}[TOOL_CALLS]get_weather[ARGS]{"city": "Rome"}',
    calls: [
      { name: 'get_weather', arguments: { city: 'Paris' } },
      { name: 'get_weather', arguments: { city: 'Rome' } },
    ],
  },
  { role: 'tool', name: 'get_weather', content: '{"temp":21}' },
  { role: 'tool', name: 'get_weather', content: '{"temp":25}' },
  { role: 'assistant', content: '[THINK]Compare them.[/THINK]Paris 21 °C, Rome 25 °C.' },
  { role: 'user', content: 'And 2+3?' },
];

describe('mistral-v13 format (Ministral 3)', () => {
  it('writes the system prompt, then the tools before the first [INST] (golden)', () => {
    const built = mistralV13Format.build({ functions: [weather], system, turns: question });
    expect(prompt(built)).toBe(
      `<s>[SYSTEM_PROMPT]You are terse.[/SYSTEM_PROMPT][AVAILABLE_TOOLS]${TOOLS}[/AVAILABLE_TOOLS][INST]Weather in Paris?[/INST]`,
    );
    expect(built.request.stop).toEqual(['</s>']);
  });

  it('sends no system prompt at all when the user gives none (golden)', () => {
    expect(prompt(mistralV13Format.build({ functions: [weather], turns: question }))).toBe(
      `<s>[AVAILABLE_TOOLS]${TOOLS}[/AVAILABLE_TOOLS][INST]Weather in Paris?[/INST]`,
    );
  });

  it('renders parallel calls, one result block each, and earlier answers without [THINK] (golden)', () => {
    expect(prompt(mistralV13Format.build({ functions: [weather], system, turns: parallelThenAnswer }))).toBe(
      `<s>[SYSTEM_PROMPT]You are terse.[/SYSTEM_PROMPT][AVAILABLE_TOOLS]${TOOLS}[/AVAILABLE_TOOLS][INST]Weather in Paris and Rome?[/INST]` +
        '[TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}[TOOL_CALLS]get_weather[ARGS]{"city": "Rome"}</s>' +
        '[TOOL_RESULTS]{"temp":21}[/TOOL_RESULTS][TOOL_RESULTS]{"temp":25}[/TOOL_RESULTS]' +
        'Paris 21 °C, Rome 25 °C.</s>[INST]And 2+3?[/INST]',
    );
  });

  it('keeps prose written before the calls and ends on a result to answer', () => {
    const turns: Turn[] = [
      ...question,
      {
        role: 'assistant',
        content: 'Checking.[TOOL_CALLS]add[ARGS]{"a":1,"b":2}',
        calls: [{ name: 'add', arguments: { a: 1, b: 2 } }],
      },
      { role: 'tool', name: 'add', content: '3' },
    ];
    expect(prompt(mistralV13Format.build({ functions: [add], turns }))).toMatch(
      /\[INST\]Weather in Paris\?\[\/INST\]Checking\.\[TOOL_CALLS\]add\[ARGS\]\{"a": 1, "b": 2\}<\/s>\[TOOL_RESULTS\]3\[\/TOOL_RESULTS\]$/,
    );
  });

  it('is constrained with the mistral-v13 grammar, unless the engine cannot or no function is offered', () => {
    const built = mistralV13Format.build({
      functions: [weather],
      turns: question,
      toolChoice: 'required',
      canConstrainRaw: true,
    });
    expect(built.constrained).toBe(true);
    expect(built.request.api === 'completion' && built.request.responseFormat?.type).toBe('structural_tag');
    expect(
      mistralV13Format.build({ functions: [weather], turns: question, canConstrain: false }).request.responseFormat,
    ).toBeUndefined();
    // tool_choice none keeps the prompt (so it extends the previous one); the grammar forbids calls.
    const none = mistralV13Format.build({ functions: [weather], toolChoice: 'none', turns: question });
    expect(prompt(none)).toBe(prompt(mistralV13Format.build({ functions: [weather], turns: question })));
    expect(none.constrained).toBe(false);
    const noneRaw = mistralV13Format.build({
      functions: [weather],
      toolChoice: 'none',
      turns: question,
      canConstrainRaw: true,
    });
    expect(noneRaw.constrained).toBe(true);
    expect(noneRaw.request.api === 'completion' && noneRaw.request.responseFormat?.type).toBe('grammar');
    expect(prompt(mistralV13Format.build({ functions: [], turns: question }))).toBe(
      '<s>[INST]Weather in Paris?[/INST]',
    );
  });

  it('declares reasoning that cannot be switched, and its own calls parse back', () => {
    expect(mistralV13Format.syntax.thinking).toEqual({ switchable: false, defaultOn: false });
    const calls = [{ name: 'get_weather', arguments: { city: 'Paris' } }];
    expect(parseToolCalls(mistralV13Format.renderCalls(calls), [weather]).calls).toEqual(calls);
  });

  it('refuses an empty conversation and one ending with an answer', () => {
    expect(() => mistralV13Format.build({ functions: [], turns: [] })).toThrow(PromptBuildError);
    expect(() =>
      mistralV13Format.build({ functions: [], turns: [...question, { role: 'assistant', content: 'hi' }] }),
    ).toThrow(PromptBuildError);
  });
});
