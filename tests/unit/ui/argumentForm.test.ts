import { describe, expect, it } from 'vitest';
import { argumentFields, optionValue, readArguments } from '../../../src/ui/components/functions/argumentForm.ts';

const weather = {
  type: 'object',
  properties: {
    city: { type: 'string', description: 'City name' },
    days: { type: 'integer', default: 3 },
    lat: { type: 'number' },
    metric: { type: 'boolean' },
    units: { type: 'string', enum: ['C', 'F', 1] },
    address: { type: 'object', properties: { zip: { type: 'string' } } },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['city', 'units'],
};

describe('argumentFields', () => {
  it('makes one field per property, of the kind its schema says, nested objects as JSON', () => {
    const fields = argumentFields(weather);
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['city', 'string', true],
      ['days', 'integer', false],
      ['lat', 'number', false],
      ['metric', 'boolean', false],
      ['units', 'enum', true],
      ['address', 'json', false],
      ['tags', 'json', false],
    ]);
    expect(fields[0]?.description).toBe('City name');
    expect(fields[1]?.initial).toBe('3');
    expect(fields[4]?.options?.map(optionValue)).toEqual(['"C"', '"F"', '1']);
  });

  it('gives no fields for a function without arguments', () => {
    expect(argumentFields({ type: 'object' })).toEqual([]);
  });
});

describe('readArguments', () => {
  const fields = argumentFields(weather);

  it('turns the typed text into arguments of the right types, leaving empty optional fields out', () => {
    const result = readArguments(fields, {
      city: ' Paris ',
      days: '5',
      lat: '',
      metric: 'true',
      units: optionValue(1),
      address: '{"zip": "75001"}',
      tags: '',
    });
    expect(result).toEqual({
      ok: true,
      args: { city: ' Paris ', days: 5, metric: true, units: 1, address: { zip: '75001' } },
    });
  });

  it('says which fields are wrong, all at once', () => {
    expect(readArguments(fields, { city: '', days: '2.5', lat: 'north', units: '', address: '{zip' })).toEqual({
      ok: false,
      errors: [
        '"city" is required.',
        '"days" must be a whole number.',
        '"lat" must be a number.',
        '"units" is required.',
        '"address" must be JSON, e.g. {"key": "value"} or [1, 2].',
      ],
    });
  });
});
