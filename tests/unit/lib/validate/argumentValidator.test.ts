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

  it('says so when the schema itself cannot be compiled', () => {
    const broken: FunctionSpec = { name: 'x', parameters: { type: 'object', properties: { a: { type: 'nope' } } } };
    const result = checkArguments(broken, {});
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain('parameters schema is invalid');
  });
});
