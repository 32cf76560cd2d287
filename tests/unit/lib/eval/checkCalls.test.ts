import { describe, expect, it } from 'vitest';
import { checkCalls } from '../../../../src/lib/eval/checkCalls.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';

const weather: FunctionSpec = {
  name: 'get_weather',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string' } },
    required: ['city'],
  },
};
const expected = [
  { name: 'get_weather', arguments: { city: ['Paris'], unit: ['celsius', ''] } },
  { name: 'get_weather', arguments: { city: ['Madrid'], unit: ['celsius', ''] } },
];

describe('checkCalls', () => {
  it('accepts parallel calls in any order', () => {
    const result = checkCalls(
      expected,
      [
        { name: 'get_weather', arguments: { city: 'Madrid' } },
        { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } },
      ],
      [weather],
    );
    expect(result).toEqual({ ok: true });
  });

  it('needs one actual call per expected call', () => {
    const twoParis = [
      { name: 'get_weather', arguments: { city: 'Paris' } },
      { name: 'get_weather', arguments: { city: 'Paris' } },
    ];
    expect(checkCalls(expected, twoParis, [weather]).ok).toBe(false);
    expect(checkCalls(expected, twoParis.slice(1), [weather])).toEqual({
      ok: false,
      reason: 'made 1 call, expected 2',
    });
  });

  it('says which argument is wrong, missing or unexpected', () => {
    const one = expected.slice(0, 1);
    expect(checkCalls(one, [{ name: 'get_weather', arguments: { city: 'Lyon' } }], [weather])).toEqual({
      ok: false,
      reason: 'get_weather: city = "Lyon", expected "Paris"',
    });
    expect(checkCalls(one, [{ name: 'get_weather', arguments: {} }], [weather])).toEqual({
      ok: false,
      reason: 'get_weather: required argument "city" is missing',
    });
    expect(checkCalls(one, [{ name: 'get_weather', arguments: { city: 'Paris', days: 3 } }], [weather])).toEqual({
      ok: false,
      reason: 'get_weather: unexpected argument "days"',
    });
    expect(checkCalls(one, [{ name: 'get_time', arguments: {} }], [weather])).toEqual({
      ok: false,
      reason: 'called get_time instead of get_weather',
    });
  });
});
