/**
 * The app runs under a Content-Security-Policy without 'unsafe-eval', where `eval` and `new Function`
 * throw. Schemas arrive at run time (user functions, embedding pages), so a validator that compiles
 * them to JavaScript would fail there. This runs every entry point of src/lib/validate with both
 * replaced by stubs that count and throw, and checks that the results are still right: a validator
 * that swallowed the stub's error would return "invalid schema" and fail the expectations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkArguments, compileArgumentSchema } from '../../../../src/lib/validate/argumentValidator.ts';
import { validateFunctionSpec } from '../../../../src/lib/validate/validateFunctionSpec.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';

const realFunction = globalThis.Function;
const realEval = globalThis.eval;
let attempts: string[] = [];

function withoutCodeGeneration<T>(run: () => T): T {
  attempts = [];
  const blockedFunction = function (...args: unknown[]): never {
    attempts.push(`new Function(${args.map(String).join(', ').slice(0, 60)})`);
    throw new EvalError('Code generation from strings disallowed for this context');
  };
  const blockedEval = (code: unknown): never => {
    attempts.push(`eval(${String(code).slice(0, 60)})`);
    throw new EvalError('Code generation from strings disallowed for this context');
  };
  globalThis.Function = blockedFunction as unknown as FunctionConstructor;
  globalThis.eval = blockedEval;
  try {
    return run();
  } finally {
    globalThis.Function = realFunction;
    globalThis.eval = realEval;
  }
}

afterEach(() => {
  globalThis.Function = realFunction;
  globalThis.eval = realEval;
});

// A unique title keeps the schema out of the validator's caches, so it is prepared inside the test.
function freshSpec(): FunctionSpec {
  return {
    name: 'book_table',
    parameters: {
      title: `fresh ${Math.random()}`,
      type: 'object',
      properties: {
        who: { type: 'string', minLength: 1 },
        guests: { type: 'integer', minimum: 1, maximum: 12 },
        when: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
        diet: { $ref: '#/$defs/diet' },
      },
      required: ['who', 'guests'],
      additionalProperties: false,
      $defs: { diet: { enum: ['vegan', 'vegetarian', 'any'] } },
    },
  };
}

describe('schema validation without eval or new Function', () => {
  it('validates a new function definition', () => {
    const spec = freshSpec();
    const result = withoutCodeGeneration(() => validateFunctionSpec(spec));
    expect(attempts).toEqual([]);
    expect(result).toEqual({ ok: true, spec });
  });

  it('refuses an invalid schema with a reason', () => {
    const spec = freshSpec();
    const result = withoutCodeGeneration(() =>
      validateFunctionSpec({
        ...spec,
        parameters: { ...spec.parameters, properties: { q: { type: 'strin' } }, required: [] },
      }),
    );
    expect(attempts).toEqual([]);
    expect(result.ok ? '' : result.reasons.join('\n')).toContain('"properties.q.type" must be one of');
  });

  it('checks arguments, accepting good ones and explaining bad ones', () => {
    const spec = freshSpec();
    const results = withoutCodeGeneration(() => [
      compileArgumentSchema(spec.parameters).ok,
      checkArguments(spec, { who: 'Ann', guests: 2, when: null, diet: 'vegan' }),
      checkArguments(spec, { who: 'Ann', guests: 20, diet: 'meat', extra: 1 }),
      checkArguments(spec, { guests: 2 }),
    ]);
    expect(attempts).toEqual([]);
    expect(results).toEqual([
      true,
      { ok: true },
      {
        ok: false,
        missing: [],
        message:
          'Invalid arguments for book_table: "guests" must be <= 12 (got 20); "diet" must be one of "vegan", "vegetarian", "any" (got "meat"); unknown argument "extra".',
      },
      { ok: false, missing: ['who'], message: 'Missing required argument "who" for book_table.' },
    ]);
  });
});
