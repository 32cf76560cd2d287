import { describe, expect, it } from 'vitest';
import { toGrammarSchema } from '../../../../src/lib/grammar/grammarSchema.ts';
import { buildToolConstraint } from '../../../../src/lib/grammar/buildToolConstraint.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';
import { acceptor } from './xgrammar.ts';

describe('toGrammarSchema', () => {
  it('maps type aliases and drops types xgrammar would abort on', () => {
    expect(
      toGrammarSchema({
        type: 'dict',
        properties: { a: { type: 'str' }, b: { type: ['int', 'null'] }, c: { type: 'thing' } },
      }),
    ).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: ['integer', 'null'] }, c: {} },
    });
  });

  it('inlines local refs and drops the definitions', () => {
    const schema = {
      type: 'object',
      $defs: { city: { type: 'string', description: 'A city' } },
      properties: { from: { $ref: '#/$defs/city' }, to: { $ref: '#/$defs/city', description: 'Where to' } },
    };
    expect(toGrammarSchema(schema)).toEqual({
      type: 'object',
      properties: { from: { type: 'string', description: 'A city' }, to: { type: 'string', description: 'Where to' } },
    });
    expect(schema.$defs).toBeDefined();
  });

  it('stops inlining recursive refs', () => {
    const tree = { type: 'object', properties: { child: { $ref: '#' } } };
    const out = JSON.stringify(toGrammarSchema(tree));
    expect(out).not.toContain('$ref');
    // The root's own child, then eight inlined levels.
    expect(out.split('"child"').length - 1).toBe(9);
  });
});

describe('constraints for schemas with aliases and refs', () => {
  const route: FunctionSpec = {
    name: 'route',
    parameters: {
      type: 'dict',
      $defs: { city: { type: 'string' } },
      properties: { from: { $ref: '#/$defs/city' }, hops: { type: 'int' } },
      required: ['from'],
    },
  };

  it('compile and still check the arguments', async () => {
    const c = buildToolConstraint({ functions: [route], toolChoice: 'required', syntax: 'hermes' });
    if (!c.responseFormat) throw new Error('expected a response format');
    const ok = await acceptor(c.responseFormat);
    expect(await ok('<tool_call>\n{"name": "route", "arguments": {"from": "Oslo", "hops": 2}}\n</tool_call>')).toBe(
      true,
    );
    expect(await ok('<tool_call>\n{"name": "route", "arguments": {"from": 3}}\n</tool_call>')).toBe(false);
    const py = buildToolConstraint({ functions: [route], toolChoice: 'required', syntax: 'pythonic' });
    if (!py.responseFormat) throw new Error('expected a response format');
    const okPy = await acceptor(py.responseFormat);
    expect(await okPy('[route(from="Oslo", hops=2)]')).toBe(true);
    expect(await okPy('[route(hops=2)]')).toBe(false);
  });
});
