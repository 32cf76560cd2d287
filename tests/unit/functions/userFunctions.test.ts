import { describe, expect, it } from 'vitest';
import { checkUserFunction, lineAndColumn, type UserFunctionInput } from '../../../src/functions/userFunctions.ts';
import type { CompileResult } from '../../../src/functions/sandbox/FunctionSandbox.ts';

/** Stands in for the sandbox's compile: records what it was asked, fails on a marker. */
function fakeCompiler() {
  const seen: string[] = [];
  return {
    seen,
    compile: async (code: string): Promise<CompileResult> => {
      seen.push(code);
      return code.includes('SYNTAX_ERROR') ? { ok: false, message: "SyntaxError: Unexpected token '}'" } : { ok: true };
    },
    now: () => new Date('2026-03-03T05:05:09Z'),
  };
}

const add = {
  name: 'add',
  description: 'Add two numbers.',
  parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
};
const code = 'return args.a + args.b;';
const check = (input: UserFunctionInput, existing: string[] = [], compiler = fakeCompiler()) =>
  checkUserFunction(input, existing, compiler);

describe('checkUserFunction', () => {
  it('accepts a FunctionSpec and compiles the code in the sandbox, without running it', async () => {
    const compiler = fakeCompiler();
    const result = await check({ definition: JSON.stringify(add), code }, ['calculate'], compiler);
    expect(result).toEqual({
      ok: true,
      def: { spec: add, code, enabled: true, createdAt: '2026-03-03T05:05:09.000Z' },
    });
    expect(compiler.seen).toEqual([code]);
  });

  it('accepts an OpenAI tool wrapper', async () => {
    const result = await check({ definition: JSON.stringify({ type: 'function', function: add }), code });
    expect(result).toMatchObject({ ok: true, def: { spec: add } });
  });

  it('accepts a function without parameters', async () => {
    const result = await check({ definition: '{"name": "roll_die", "description": "Roll a die."}', code: 'return 4;' });
    expect(result).toMatchObject({
      ok: true,
      def: { spec: { name: 'roll_die', parameters: { type: 'object', properties: {} } } },
    });
  });

  it('converts Trelis v2 metadata (arguments required unless described optional)', async () => {
    const meta = {
      function: 'greet',
      description: 'Greet someone.',
      arguments: [
        { name: 'name', type: 'string', description: 'Who to greet' },
        { name: 'times', type: 'int', description: 'How often (optional, default 1)' },
      ],
    };
    const result = await check({ definition: JSON.stringify(meta, null, 4), code: 'return "hi " + args.name;' });
    expect(result).toMatchObject({
      ok: true,
      def: {
        spec: {
          name: 'greet',
          description: 'Greet someone.',
          parameters: {
            type: 'object',
            properties: { name: { type: 'string', description: 'Who to greet' }, times: { type: 'integer' } },
            required: ['name'],
          },
        },
      },
    });
  });

  it('reports JSON syntax errors with where they are', async () => {
    const result = await check({ definition: '{\n  "name": "add",\n  "parameters": {,}\n}', code });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^The definition is not valid JSON: .*line 3, column 18/);
  });

  it('computes line and column from a position', () => {
    expect(lineAndColumn('ab\ncd\nef', 4)).toBe('line 2, column 2');
    expect(lineAndColumn('abc', 0)).toBe('line 1, column 1');
  });

  it('collects every problem at once: bad spec, taken name, bad code', async () => {
    const taken = await check({ definition: JSON.stringify(add), code: 'return (SYNTAX_ERROR' }, ['add']);
    expect(taken).toMatchObject({
      ok: false,
      errors: [
        'Line 1, column 9: A function named "add" already exists.',
        "The code does not compile: SyntaxError: Unexpected token '}'",
      ],
    });
    const bad = await check({ definition: '{"name": "bad name", "parameters": {"type": "string"}}', code: '  ' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toEqual([
      expect.stringContaining('The name "bad name" is not valid'),
      'Line 1, column 45: The parameters schema must have "type": "object".',
      'The code is empty: write the body of a function that receives `args` and returns a result.',
    ]);
  });

  it('refuses shapes that are not a function definition', async () => {
    const list = await check({ definition: '[1, 2]', code });
    expect(list).toMatchObject({
      ok: false,
      errors: ['The definition must be a JSON object, not a list or a single value.'],
    });
    const trelis = await check({ definition: '{"function": "f", "arguments": [{"name": "x"}]}', code });
    expect(trelis).toMatchObject({
      ok: false,
      errors: ['Argument 1 needs a "name" and a "type" (string, number, integer, boolean, array or object).'],
    });
    const empty = await check({ definition: ' ', code });
    expect(empty).toMatchObject({ ok: false, errors: ['The definition is empty: paste a JSON function definition.'] });
  });

  it('reports a sandbox that cannot check the code', async () => {
    const result = await checkUserFunction({ definition: JSON.stringify(add), code }, [], {
      compile: () => Promise.reject(new Error('The function sandbox did not start in time.')),
    });
    expect(result).toMatchObject({
      ok: false,
      errors: ['The code could not be checked: The function sandbox did not start in time.'],
    });
  });

  it('marks each problem at its place: JSON syntax, nested schema errors, and the code', async () => {
    const definition = `{
  "type": "function",
  "function": {
    "name": "weather",
    "parameters": {
      "type": "object",
      "properties": { "city": { "type": "objct" }, "days": { "type": "integer", "minimum": "one" } },
      "required": ["city", "country"]
    }
  }
}`;
    const compile = async (): Promise<CompileResult> => ({
      ok: false,
      message: "SyntaxError: Unexpected token ';'",
      position: { line: 2, column: 13, atEnd: false },
    });
    const body = 'const a = 1;\n  let b = (2;\nreturn a;';
    const result = await checkUserFunction({ definition, code: body }, [], { compile });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const marked = result.problems.map((p) => ({
      field: p.field,
      text: (p.field === 'code' ? body : definition).slice(p.from, p.to),
      at: `${p.line}:${p.column}`,
    }));
    expect(marked).toEqual([
      { field: 'definition', text: '"country"', at: '8:28' },
      { field: 'definition', text: '"objct"', at: '7:41' },
      { field: 'definition', text: '"one"', at: '7:92' },
      { field: 'code', text: ';', at: '2:13' },
    ]);
    expect(result.errors.at(-1)).toBe(
      "The code does not compile at line 2, column 13: SyntaxError: Unexpected token ';'",
    );

    const json = await checkUserFunction({ definition: '{\n  "name": "f",\n  "parameters": {,}\n}', code: body }, [], {
      compile: async () => ({ ok: true }),
    });
    expect(json.ok ? [] : json.problems.map((p) => [p.field, p.line, p.column])).toEqual([['definition', 3, 18]]);
  });
});
