import { describe, expect, it } from 'vitest';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import { previewStreamingCalls } from '../../../../src/lib/parse/previewCalls.ts';
import { convertParameter } from '../../../../src/lib/parse/bodies/functionTagBody.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';

const forecast: FunctionSpec = {
  name: 'get_forecast',
  parameters: {
    type: 'object',
    properties: {
      city: { type: 'string' },
      days: { type: 'integer' },
      metric: { type: 'boolean' },
      hours: { type: 'array', items: { type: 'integer' } },
    },
    required: ['city'],
  },
};

describe('<function=name> bodies', () => {
  it('reads XML parameters, converting each value by its schema type', () => {
    const out =
      '<function=get_forecast>\n<parameter=city>\nNew York\n</parameter>\n<parameter=days>\n3\n</parameter>\n' +
      '<parameter=metric>\nFalse\n</parameter>\n<parameter=hours>\n[9, 12]\n</parameter>\n</function>';
    const r = parseToolCalls(out, [forecast]);
    expect(r.errors).toEqual([]);
    expect(r.calls).toEqual([
      { name: 'get_forecast', arguments: { city: 'New York', days: 3, metric: false, hours: [9, 12] } },
    ]);
    expect(r.text).toBe('');
  });

  it('keeps multi-line text values whole, and a value of the wrong type fails the schema check by name', () => {
    const out =
      '<function=get_forecast>\n<parameter=city>\nSan\nJose\n</parameter>\n<parameter=days>\nsoon\n</parameter>\n</function>';
    const r = parseToolCalls(out, [forecast]);
    expect(r.calls).toEqual([]);
    expect(r.errors[0]).toMatchObject({ kind: 'invalid_arguments', name: 'get_forecast' });
  });

  it('still reads the Llama 3.1 JSON body', () => {
    const r = parseToolCalls('<function=get_forecast>{"city": "Oslo"}</function>', [forecast]);
    expect(r.calls).toEqual([{ name: 'get_forecast', arguments: { city: 'Oslo' } }]);
  });

  it('previews parameters as they stream: text grows, numbers wait for their closer', () => {
    const p1 = previewStreamingCalls('<function=get_forecast>\n<parameter=city>\nNew Yo', [forecast]);
    expect(p1.calls).toEqual([{ name: 'get_forecast', arguments: { city: 'New Yo' }, complete: false }]);
    const p2 = previewStreamingCalls(
      '<function=get_forecast>\n<parameter=city>\nOslo\n</parameter>\n<parameter=days>\n1',
      [forecast],
    );
    expect(p2.calls).toEqual([{ name: 'get_forecast', arguments: { city: 'Oslo' }, complete: false }]);
    const done = previewStreamingCalls('<function=get_forecast>\n<parameter=days>\n12\n</parameter>\n</function>', [
      forecast,
    ]);
    expect(done.calls).toEqual([{ name: 'get_forecast', arguments: { days: 12 }, complete: true }]);
    expect(done.prose).toBe('');
  });

  it('converts raw values', () => {
    expect(convertParameter('42', 'integer')).toBe(42);
    expect(convertParameter('42', 'string')).toBe('42');
    expect(convertParameter('TRUE', 'boolean')).toBe(true);
    expect(convertParameter('{"a": 1}', 'object')).toEqual({ a: 1 });
    expect(convertParameter('None', ['string', 'null'])).toBe('None');
    expect(convertParameter('None', ['integer', 'null'])).toBe(null);
    expect(convertParameter('x', undefined)).toBe('x');
  });
});
