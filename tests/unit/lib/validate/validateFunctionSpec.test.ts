import { describe, expect, it } from 'vitest';
import { validateFunctionSpec } from '../../../../src/lib/validate/validateFunctionSpec.ts';
import { searchBing } from '../../../fixtures/corpus/functions.ts';

describe('validateFunctionSpec', () => {
  it('accepts a good definition and returns only the known fields', () => {
    const result = validateFunctionSpec({ ...searchBing, extra: 1 });
    expect(result).toEqual({ ok: true, spec: searchBing });
  });

  it.each([
    ['not an object', 'search', 'The definition must be an object.'],
    ['no name', { parameters: { type: 'object' } }, 'The function needs a name.'],
    ['a bad name', { name: '1search-web', parameters: { type: 'object' } }, 'The name "1search-web" is not valid'],
    ['a too long name', { name: 'a'.repeat(65), parameters: { type: 'object' } }, 'is not valid'],
    [
      'a description that is not text',
      { name: 'f', description: 3, parameters: { type: 'object' } },
      'The description must be text.',
    ],
    ['no parameters', { name: 'f' }, 'The parameters must be a JSON Schema object'],
    [
      'parameters that are not an object schema',
      { name: 'f', parameters: { type: 'string' } },
      'must have "type": "object"',
    ],
    [
      'a bad argument name',
      { name: 'f', parameters: { type: 'object', properties: { 'my arg': { type: 'string' } } } },
      'The argument name "my arg" is not valid',
    ],
    [
      'a required argument not in properties',
      { name: 'f', parameters: { type: 'object', properties: {}, required: ['q'] } },
      'The required argument "q" is not in "properties".',
    ],
    [
      'a schema that is not valid JSON Schema',
      { name: 'f', parameters: { type: 'object', properties: { q: { type: 'strin' } } } },
      'is not valid JSON Schema',
    ],
  ])('refuses %s, saying why', (_, spec, reason) => {
    const result = validateFunctionSpec(spec);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.reasons.join('\n')).toContain(reason);
  });

  it('refuses definitions too big for a prompt, and says how big they are', () => {
    const deep: Record<string, unknown> = { type: 'object' };
    let node = deep;
    for (let i = 0; i < 40; i++) node = (node.properties = { a: { type: 'object' } }).a;
    const selfContaining: Record<string, unknown> = { type: 'object', properties: {} };
    (selfContaining.properties as Record<string, unknown>).me = selfContaining;
    const wide = {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`arg_${i}`, { type: 'string' }])),
    };
    const reasons = (spec: unknown) => {
      const result = validateFunctionSpec(spec);
      return result.ok ? [] : result.reasons;
    };
    expect(reasons({ name: 'f', description: 'x'.repeat(4001), parameters: { type: 'object' } })).toEqual([
      'The description is 4001 characters long; at most 4000 fit in a prompt.',
    ]);
    expect(reasons({ name: 'f', parameters: deep })).toEqual([
      'The parameters schema is nested more than 32 levels deep (or contains itself).',
    ]);
    expect(reasons({ name: 'f', parameters: selfContaining })).toEqual([
      'The parameters schema is nested more than 32 levels deep (or contains itself).',
    ]);
    expect(reasons({ name: 'f', parameters: wide })[0]).toMatch(
      /^The parameters schema is \d+ characters of JSON; at most 20000 fit in a prompt\.$/,
    );
    expect(reasons({ name: 'x'.repeat(100_000), parameters: { type: 'object' } })[0]).toHaveLength(
      'The name "" is not valid: use a letter or _ first, then letters, digits or _ (64 at most).'.length + 80,
    );
  });

  it('refuses a name that is already taken', () => {
    expect(validateFunctionSpec(searchBing, ['get_time', 'search_bing'])).toMatchObject({
      ok: false,
      reasons: ['A function named "search_bing" already exists.'],
    });
  });

  it('lists every problem at once', () => {
    const result = validateFunctionSpec({ name: '', description: 1, parameters: [] });
    expect(result.ok ? 0 : result.reasons.length).toBe(3);
  });

  it('reports nested schema errors with their paths, together with the other problems', () => {
    const result = validateFunctionSpec({
      name: 'weather',
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'objct' },
          days: { type: 'integer', minimum: 'one' },
          units: { type: 'string', enum: 'metric' },
          address: {
            type: 'object',
            properties: { zip: { type: 'strng' }, street: { type: 'string', maxLength: -1 } },
          },
          place: { type: 'string' },
        },
        required: ['city', 'country'],
      },
    });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    // Five nested errors: more than the four a one-line summary shows, and next to a structural one.
    expect(problems.map((p) => p.path.join('.'))).toEqual([
      'parameters.required.1',
      'parameters.properties.city.type',
      'parameters.properties.days.minimum',
      'parameters.properties.units.enum',
      'parameters.properties.address.properties.zip.type',
      'parameters.properties.address.properties.street.maxLength',
    ]);
    expect(problems[1]?.message).toBe(
      'The parameters schema is not valid JSON Schema: "properties.city.type" must be one of "array", "boolean", "integer", "null", "number", "object", "string" or an array (got "objct")',
    );
    expect(result.ok ? [] : result.reasons).toEqual(problems.map((p) => p.message));
  });
});
