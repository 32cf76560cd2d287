/**
 * The raw-prompt formats attach their grammar only when the engine can apply it to raw prompts
 * (`canConstrainRaw`: the model was loaded with the pass-through template), and the prompt text is
 * the same with or without it.
 */
import { describe, expect, it } from 'vitest';
import { trelisV2Format } from '../../../../src/lib/formats/trelisV2Format.ts';
import { trelisV3Format } from '../../../../src/lib/formats/trelisV3Format.ts';
import { mistralV3Format } from '../../../../src/lib/formats/mistralV3Format.ts';
import type { BuiltInPromptFormat } from '../../../../src/lib/formats/promptFormat.ts';
import { acceptor } from '../grammar/xgrammar.ts';
import { add, question, weather } from './conversation.fixture.ts';

const formats: [string, BuiltInPromptFormat][] = [
  ['Trelis v2', trelisV2Format],
  ['Trelis v3', trelisV3Format],
  ['Mistral v0.3', mistralV3Format],
];

describe.each(formats)('%s', (label, format) => {
  const ctx = { functions: [weather, add], turns: question };

  it('is not constrained by default, and says why', () => {
    const built = format.build({ ...ctx, toolChoice: 'required' });
    expect(built.constrained).toBe(false);
    expect(built.request.api === 'completion' && built.request.responseFormat).toBeFalsy();
    expect(built.constraintNote).toMatch(
      /raw completion API.*no response_format.*not loaded for constrained raw prompts/,
    );
  });

  it.each(['auto', 'required', { function: 'get_weather' }] as const)(
    'with canConstrainRaw and tool_choice %j: same prompt, plus a grammar',
    (toolChoice) => {
      const plain = format.build({ ...ctx, toolChoice });
      const built = format.build({ ...ctx, toolChoice, canConstrainRaw: true });
      if (built.request.api !== 'completion' || plain.request.api !== 'completion')
        throw new Error('expected raw prompts');
      expect(built.request.prompt).toBe(plain.request.prompt);
      expect(built.request.stop).toEqual(plain.request.stop);
      expect(built.request.responseFormat).toBeDefined();
      expect(built.constrained).toBe(true);
      expect(built.constraintNote).toContain(label);
    },
  );

  it("accepts the format's own rendering of a call to the forced function, and nothing else", async () => {
    const built = format.build({ ...ctx, toolChoice: { function: 'get_weather' }, canConstrainRaw: true });
    if (built.request.api !== 'completion' || !built.request.responseFormat)
      throw new Error('expected a constrained raw prompt');
    const ok = await acceptor(built.request.responseFormat);
    expect(await ok(format.renderCalls([{ name: 'get_weather', arguments: { city: 'Paris' } }]))).toBe(true);
    expect(await ok(format.renderCalls([{ name: 'add', arguments: { a: 1, b: 2 } }]))).toBe(false);
    expect(await ok('Sure, let me check.')).toBe(false);
  });

  it('stays unconstrained when grammars are off altogether, or nothing is offered', () => {
    expect(format.build({ ...ctx, canConstrainRaw: true, canConstrain: false }).constrained).toBe(false);
    const nothing = format.build({ ...ctx, functions: [], canConstrainRaw: true });
    expect(nothing.constrained).toBe(false);
    expect(nothing.request.api === 'completion' && nothing.request.responseFormat).toBeFalsy();
  });
});
