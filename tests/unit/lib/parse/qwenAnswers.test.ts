/**
 * Qwen3 (JSON in <tool_call>) and Qwen3.5 (XML in <tool_call>, or a bare <function=>) answers through
 * the format-agnostic parser and the streaming preview, with reasoning and decoy calls inside it.
 */
import { describe, expect, it } from 'vitest';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import { previewStreamingCalls } from '../../../../src/lib/parse/previewCalls.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';

const weather: FunctionSpec = {
  name: 'get_weather',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, days: { type: 'integer' } },
    required: ['city'],
  },
};
const fns = [weather];
const paris = { name: 'get_weather', arguments: { city: 'Paris' } };
const rome = { name: 'get_weather', arguments: { city: 'Rome', days: 2 } };

const JSON_PARIS = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>';
const JSON_ROME = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Rome", "days": 2}}\n</tool_call>';
const XML_PARIS =
  '<tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n</function>\n</tool_call>';
const XML_ROME =
  '<tool_call>\n<function=get_weather>\n<parameter=city>\nRome\n</parameter>\n<parameter=days>\n2\n</parameter>\n</function>\n</tool_call>';
const DECOY =
  'Maybe <tool_call>\n{"name": "get_time", "arguments": {}}\n</tool_call> or <function=nope>\n</function>? No.';

describe('Qwen answers through parseToolCalls', () => {
  it.each([
    ['Qwen3 JSON', JSON_PARIS, JSON_ROME],
    ['Qwen3.5 XML', XML_PARIS, XML_ROME],
    [
      'Qwen3.5 without the wrapper',
      '<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n</function>',
      '<function=get_weather>\n<parameter=city>\nRome\n</parameter>\n<parameter=days>\n2\n</parameter>\n</function>',
    ],
  ])('%s: single and parallel calls', (_, one, two) => {
    expect(parseToolCalls(one, fns)).toEqual({ calls: [paris], errors: [], text: '' });
    expect(parseToolCalls(`I will check both.\n\n${one}\n${two}`, fns)).toEqual({
      calls: [paris, rome],
      errors: [],
      text: 'I will check both.',
    });
  });

  it('Qwen3: decoy calls inside <think> give no calls and no errors', () => {
    const r = parseToolCalls(`<think>\n${DECOY}\n</think>\n\n${JSON_PARIS}`, fns);
    expect(r).toEqual({ calls: [paris], errors: [], text: '', reasoning: DECOY });
    expect(parseToolCalls(`<think>\n${DECOY}\n</think>\n\nIt is sunny.`, fns)).toEqual({
      calls: [],
      errors: [],
      text: 'It is sunny.',
      reasoning: DECOY,
    });
  });

  it('Qwen3.5: the answer starts inside the think block the prompt opened, with or without the prefix', () => {
    const output = `${DECOY}\n</think>\n\n${XML_PARIS}`;
    const expected = { calls: [paris], errors: [], text: '', reasoning: DECOY };
    expect(parseToolCalls(output, fns, { answerPrefix: '<think>\n' })).toEqual(expected);
    expect(parseToolCalls(output, fns)).toEqual(expected);
    // Thinking off: the prompt closed an empty block.
    expect(parseToolCalls(XML_PARIS, fns, { answerPrefix: '<think>\n\n</think>\n\n' })).toEqual({
      calls: [paris],
      errors: [],
      text: '',
      reasoning: '',
    });
  });

  it('stopped while thinking: everything is reasoning, no calls, no errors', () => {
    expect(parseToolCalls(DECOY, fns, { answerPrefix: '<think>\n' })).toEqual({
      calls: [],
      errors: [],
      text: '',
      reasoning: DECOY,
    });
  });
});

describe('Qwen answers through previewStreamingCalls', () => {
  /** Every prefix of the output, streamed; returns the previews. */
  function stream(output: string, prefix = '') {
    return Array.from({ length: output.length }, (_, i) => previewStreamingCalls(output.slice(0, i + 1), fns, prefix));
  }

  it.each([
    ['Qwen3 JSON', `<think>\n${DECOY}\n</think>\n\nChecking.\n${JSON_PARIS}\n${JSON_ROME}`, ''],
    ['Qwen3.5 XML', `${DECOY}\n</think>\n\nChecking.\n\n${XML_PARIS}\n${XML_ROME}`, '<think>\n'],
  ])('%s: reasoning apart, draft cards as the calls stream, never a tag in the prose', (_, output, prefix) => {
    const previews = stream(output, prefix);
    for (const p of previews) {
      expect(p.prose).not.toContain('<'); // not even a tag still being written
      for (const c of p.calls) expect(c.name === undefined || c.name === 'get_weather').toBe(true);
    }
    const thinkingEnd = output.indexOf('</think>');
    const midThought = previews[thinkingEnd - 1];
    expect(midThought?.thinking).toBe(true);
    expect(midThought?.calls).toEqual([]);
    const last = previews[previews.length - 1];
    expect(last?.reasoning).toBe(DECOY);
    expect(last?.thinking).toBe(false);
    expect(last?.prose.trim()).toBe('Checking.');
    expect(last?.calls).toEqual([
      { name: 'get_weather', arguments: { city: 'Paris' }, complete: true },
      { name: 'get_weather', arguments: { city: 'Rome', days: 2 }, complete: true },
    ]);
    // A card appears while the first call is still being written.
    const firstCall = output.indexOf('<tool_call>', thinkingEnd);
    const partway = previews[firstCall + 30];
    expect(partway?.calls.length).toBe(1);
    expect(partway?.calls[0]?.complete).toBe(false);
  });
});
