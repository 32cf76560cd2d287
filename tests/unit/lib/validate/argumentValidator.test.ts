import { describe, expect, it } from 'vitest';
import { checkArguments, compileArgumentSchema } from '../../../../src/lib/validate/argumentValidator.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';

const spec: FunctionSpec = {
  name: 'book',
  parameters: {
    type: 'object',
    properties: {
      who: { type: 'string' },
      guests: { type: 'array', items: { type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] } },
    },
    required: ['who'],
  },
};

describe('argument validation', () => {
  it('compiles each schema once and reuses it, also for an equal copy', () => {
    const first = compileArgumentSchema(spec.parameters);
    expect(compileArgumentSchema(spec.parameters)).toBe(first);
    expect(compileArgumentSchema(structuredClone(spec.parameters))).toBe(first);
  });

  it('never changes the arguments', () => {
    const args = { who: 'Ann', extra: '5' };
    expect(checkArguments(spec, args)).toEqual({ ok: true });
    expect(args).toEqual({ who: 'Ann', extra: '5' });
  });

  it('names nested paths readably', () => {
    expect(checkArguments(spec, { who: 'Ann', guests: [{ age: 3 }, { age: 'x' }, {}] })).toEqual({
      ok: false,
      missing: [],
      message: 'Invalid arguments for book: "guests[1].age" must be an integer (got "x"); "guests[2]" needs "age".',
    });
  });

  it('sums up alternatives in one sentence, or reports the branch the value almost matched', () => {
    const nullable: FunctionSpec = {
      name: 'f',
      parameters: {
        type: 'object',
        properties: {
          note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
          place: {
            anyOf: [{ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, { type: 'null' }],
          },
        },
      },
    };
    expect(checkArguments(nullable, { note: 5 })).toMatchObject({
      message: 'Invalid arguments for f: "note" must be a string or null (got 5).',
    });
    expect(checkArguments(nullable, { place: { city: 3 } })).toMatchObject({
      message: 'Invalid arguments for f: "place.city" must be a string (got 3).',
    });
  });

  it('follows $ref into $defs and explains formats, lengths and ranges', () => {
    const refs: FunctionSpec = {
      name: 'f',
      parameters: {
        type: 'object',
        properties: {
          when: { type: 'string', format: 'date' },
          code: { type: 'string', minLength: 3 },
          n: { $ref: '#/$defs/count' },
        },
        $defs: { count: { type: 'integer', minimum: 1 } },
      },
    };
    expect(checkArguments(refs, { when: 'tomorrow', code: 'ab', n: 0 })).toMatchObject({
      message:
        'Invalid arguments for f: "when" must be a valid date (got "tomorrow"); "code" must be at least 3 characters long (got "ab"); "n" must be >= 1 (got 0).',
    });
  });

  it('refuses a schema whose $ref points outside it, before any call', () => {
    const remote = compileArgumentSchema({ type: 'object', properties: { a: { $ref: 'https://example.com/a.json' } } });
    expect(remote).toEqual({
      ok: false,
      reason:
        'the reference "https://example.com/a.json" at properties.a points to nothing in the schema (only references inside it work)',
    });
  });

  it('never throws on values JSON cannot hold', () => {
    const result = checkArguments(spec, { who: 'Ann', guests: [{ age: undefined }] });
    expect(result).toMatchObject({ ok: false, missing: [] });
  });

  it('leaves the caller’s schema object as it was', () => {
    const parameters = { type: 'object', properties: { a: { $ref: '#/$defs/a' } }, $defs: { a: { type: 'string' } } };
    const before = structuredClone(parameters);
    compileArgumentSchema(parameters);
    expect(Object.getOwnPropertyNames(parameters.properties.a)).toEqual(['$ref']);
    expect(parameters).toEqual(before);
  });

  it('says so when the schema itself cannot be compiled', () => {
    const broken: FunctionSpec = { name: 'x', parameters: { type: 'object', properties: { a: { type: 'nope' } } } };
    const result = checkArguments(broken, {});
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain('parameters schema is invalid');
  });
});
