import { describe, expect, it } from 'vitest';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import { corpusFunctions as fns } from '../../../fixtures/corpus/functions.ts';

const weather = { name: 'get_weather', arguments: { city: 'Paris', days: 2 } };

describe('parseToolCalls — repairs broken JSON', () => {
  it.each([
    ['single quotes', "{'function': 'get_weather', 'arguments': {'city': 'Paris', 'days': 2}}"],
    ['trailing commas', '{"function": "get_weather", "arguments": {"city": "Paris", "days": 2,},}'],
    ['a missing closing bracket', '{"function": "get_weather", "arguments": {"city": "Paris", "days": 2}'],
    ['two missing closing brackets', '{"function": "get_weather", "arguments": {"city": "Paris", "days": 2'],
    ['unquoted keys', '{function: "get_weather", arguments: {city: "Paris", days: 2}}'],
    ['block comments', '{"function": "get_weather", /* weather */ "arguments": {"city": "Paris", "days": 2}}'],
    [
      'a missing bracket before prose',
      '{"function": "get_weather", "arguments": {"city": "Paris", "days": 2}\n\nLet me know!',
    ],
    [
      'a missing bracket inside a fence',
      '```json\n{"function": "get_weather", "arguments": {"city": "Paris", "days": 2}\n```',
    ],
  ])('%s', (_, answer) => {
    const result = parseToolCalls(answer, fns);
    expect(result.calls).toEqual([weather]);
    expect(result.errors).toEqual([]);
  });

  it('keeps the prose after a call that was one bracket short', () => {
    const result = parseToolCalls(
      '{"function": "get_weather", "arguments": {"city": "Paris", "days": 2}\n\nLet me know!',
      fns,
    );
    expect(result.text).toBe('Let me know!');
  });

  it('converts Python True/False/None', () => {
    expect(
      parseToolCalls('{"function": "set_alarm", "arguments": {"time": "07:00", "repeat": True, "label": None}}', fns),
    ).toMatchObject({
      errors: [
        {
          kind: 'invalid_arguments',
          message: expect.stringContaining('"label" must be a string (got null)') as string,
        },
      ],
    });
    expect(
      parseToolCalls('{"function": "set_alarm", "arguments": {"time": "07:00", "repeat": False}}', fns).calls,
    ).toEqual([{ name: 'set_alarm', arguments: { time: '07:00', repeat: false } }]);
  });

  it('closes a string cut off at the end (the agent loop rejects it if the token limit cut it)', () => {
    expect(parseToolCalls('{"function": "search_bing", "arguments": {"query": "latest AI', fns).calls).toEqual([
      { name: 'search_bing', arguments: { query: 'latest AI' } },
    ]);
  });

  it('repairs arguments sent as broken JSON text', () => {
    expect(parseToolCalls('{"name": "search_bing", "arguments": "{\'query\': \'x\',}"}', fns).calls).toEqual([
      { name: 'search_bing', arguments: { query: 'x' } },
    ]);
  });
});
