import { describe, expect, it } from 'vitest';
import { phi4MiniFormat } from '../../../../src/lib/formats/phi4MiniFormat.ts';
import type { BuiltPrompt } from '../../../../src/lib/formats/promptFormat.ts';
import type { Turn } from '../../../../src/lib/types/turn.ts';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import { previewStreamingCalls } from '../../../../src/lib/parse/previewCalls.ts';
import { question, system, weather } from './conversation.fixture.ts';

/** Bare function objects, json.dumps layout (the model card's tool format). */
const FNS =
  '[{"name": "get_weather", "description": "Current weather for a city.", "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"}}, "required": ["city"]}}]';

function prompt(built: BuiltPrompt): string {
  if (built.request.api !== 'completion') throw new Error('expected a completion request');
  return built.request.prompt;
}

const parallelThenAnswer: Turn[] = [
  { role: 'user', content: 'Weather in Paris and Rome?' },
  {
    role: 'assistant',
    content:
      '<|tool_call|>[{"name": "get_weather", "arguments": {"city": "Paris"}}, {"name": "get_weather", "arguments": {"city": "Rome"}}]<|/tool_call|>',
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

describe('phi4-mini format', () => {
  it('puts the functions in <|tool|> inside the system turn, no BOS, no newlines (golden)', () => {
    const built = phi4MiniFormat.build({ functions: [weather], system, turns: question });
    expect(prompt(built)).toBe(
      `<|system|>You are terse.<|tool|>${FNS}<|/tool|><|end|><|user|>Weather in Paris?<|end|><|assistant|>`,
    );
    expect(built.request.stop).toEqual(['<|end|>', '<|endoftext|>']);
    expect(built.constrained).toBe(false); // only on a model loaded for raw prompts (canConstrainRaw)
  });

  it("uses the model card's tool system sentence when the user gives none (golden)", () => {
    expect(prompt(phi4MiniFormat.build({ functions: [weather], turns: question }))).toBe(
      `<|system|>You are a helpful assistant with some tools.<|tool|>${FNS}<|/tool|><|end|><|user|>Weather in Paris?<|end|><|assistant|>`,
    );
    expect(prompt(phi4MiniFormat.build({ functions: [], turns: question }))).toBe(
      '<|user|>Weather in Paris?<|end|><|assistant|>',
    );
  });

  it('renders parallel calls as one list and one <|tool_response|> per result (golden)', () => {
    expect(prompt(phi4MiniFormat.build({ functions: [weather], system, turns: parallelThenAnswer }))).toBe(
      `<|system|>You are terse.<|tool|>${FNS}<|/tool|><|end|><|user|>Weather in Paris and Rome?<|end|>` +
        '<|assistant|><|tool_call|>[{"name": "get_weather", "arguments": {"city": "Paris"}}, {"name": "get_weather", "arguments": {"city": "Rome"}}]<|/tool_call|><|end|>' +
        '<|tool_response|>{"temp":21}<|end|><|tool_response|>{"temp":25}<|end|>' +
        '<|assistant|>Paris 21 °C, Rome 25 °C.<|end|><|user|>And 2+3?<|end|><|assistant|>',
    );
  });
});

describe('reading Phi-4-mini calls', () => {
  const paris = { name: 'get_weather', arguments: { city: 'Paris' } };

  it('reads the list, parallel items, and its own rendering', () => {
    const r = parseToolCalls(
      '<|tool_call|>[{"name": "get_weather", "arguments": {"city": "Paris"}}, {"name": "get_weather", "arguments": {"city": "Rome"}}]<|/tool_call|>',
      [weather],
    );
    expect(r.errors).toEqual([]);
    expect(r.calls).toEqual([paris, { name: 'get_weather', arguments: { city: 'Rome' } }]);
    expect(parseToolCalls(phi4MiniFormat.renderCalls([paris]), [weather]).calls).toEqual([paris]);
  });

  it('reads the observed deviations: no closing tag, a bare object instead of a list', () => {
    for (const out of [
      '<|tool_call|>[{"name": "get_weather", "arguments": {"city": "Paris"}}]',
      '<|tool_call|>{"name": "get_weather", "arguments": {"city": "Paris"}}<|/tool_call|>',
      '<|tool_call|>{"name": "get_weather", "arguments": {"city": "Paris"}}',
    ]) {
      const r = parseToolCalls(out, [weather]);
      expect(r.errors, out).toEqual([]);
      expect(r.calls, out).toEqual([paris]);
      expect(r.text, out).toBe('');
    }
  });

  it('previews the list as it streams', () => {
    expect(previewStreamingCalls('<|tool_ca', [weather])).toEqual({ prose: '', calls: [] });
    expect(
      previewStreamingCalls('<|tool_call|>[{"name": "get_weather", "arguments": {"city": "Pa', [weather]).calls,
    ).toEqual([{ name: 'get_weather', arguments: { city: 'Pa' }, complete: false }]);
    expect(
      previewStreamingCalls('<|tool_call|>[{"name": "get_weather", "arguments": {"city": "Paris"}}]<|/tool_call|>', [
        weather,
      ]).calls,
    ).toEqual([{ name: 'get_weather', arguments: { city: 'Paris' }, complete: true }]);
  });
});
