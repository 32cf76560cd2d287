import { describe, expect, it } from 'vitest';
import { toServerConstraint } from '../../../../src/engine/server/serverConstraint.ts';
import { rawCallFormat } from '../../../../src/lib/grammar/rawCallConstraint.ts';
import { resolveToolChoice } from '../../../../src/lib/grammar/toolChoice.ts';
import { anyCallSchema } from '../../../../src/lib/grammar/callSchema.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';

const fns: FunctionSpec[] = [
  {
    name: 'calculate',
    description: 'Evaluates an expression.',
    parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] },
  },
  { name: 'get_time', parameters: { type: 'object', properties: {} } },
];

describe('toServerConstraint', () => {
  it('turns the Trelis v2 call of tool_choice required into its JSON schema', () => {
    const format = rawCallFormat('trelis-v2', resolveToolChoice(fns, 'required'));
    expect(toServerConstraint(format)).toEqual({ kind: 'json', schema: anyCallSchema(fns, 'arguments', 'function') });
  });

  it('turns a named function (Trelis v3) into the schema of that one call', () => {
    const choice = resolveToolChoice(fns, { function: 'calculate' });
    const constraint = toServerConstraint(rawCallFormat('trelis-v3', choice));
    expect(constraint).toEqual({ kind: 'json', schema: anyCallSchema(choice.functions, 'arguments', 'name') });
    expect(JSON.stringify(constraint)).not.toContain('get_time');
  });

  it('leaves tool_choice auto (a call or prose) and Mistral lists unconstrained', () => {
    expect(toServerConstraint(rawCallFormat('trelis-v2', resolveToolChoice(fns, 'auto')))).toBeUndefined();
    expect(toServerConstraint(rawCallFormat('mistral-v3', resolveToolChoice(fns, 'required')))).toBeUndefined();
  });

  it('passes JSON schemas and grammars through, and reads a tag given as JSON text', () => {
    expect(toServerConstraint({ type: 'json_object', schema: '{"type":"object"}' })).toEqual({
      kind: 'json',
      schema: { type: 'object' },
    });
    expect(toServerConstraint({ type: 'json_object' })).toEqual({ kind: 'json', schema: {} });
    expect(toServerConstraint({ type: 'grammar', grammar: 'root ::= "x"' })).toEqual({
      kind: 'grammar',
      grammar: 'root ::= "x"',
    });
    const tag = { type: 'structural_tag', format: { type: 'json_schema', json_schema: { type: 'array' } } };
    expect(toServerConstraint({ type: 'structural_tag', structuralTag: JSON.stringify(tag) })).toEqual({
      kind: 'json',
      schema: { type: 'array' },
    });
    expect(toServerConstraint(undefined)).toBeUndefined();
  });
});
