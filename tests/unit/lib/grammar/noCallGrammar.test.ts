/**
 * tool_choice none as a grammar, checked with the real grammar engine (web-xgrammar): prose passes,
 * any call opening is refused wherever it appears.
 */
import { describe, expect, it } from 'vitest';
import { noCallFormat, textWithout } from '../../../../src/lib/grammar/noCallGrammar.ts';
import type { ToolCallSyntax } from '../../../../src/lib/grammar/buildToolConstraint.ts';
import { acceptor } from './xgrammar.ts';

const PROSE = 'It is 18 °C in Paris [sunny], {"no": "call"} <b>tool</b> <tool_cal> ```js\nx\n```';

describe('textWithout', () => {
  it('allows any text without the openings, and none with one anywhere', async () => {
    const ok = await acceptor({ type: 'grammar', grammar: textWithout(['<tool_call>', '<function=']) });
    expect(await ok('')).toBe(true);
    expect(await ok(PROSE)).toBe(true);
    expect(await ok('ends part-way <tool_ca')).toBe(true);
    expect(await ok('<<tool_call>')).toBe(false);
    expect(await ok('Sure.\n<tool_call>\n{"name": "f"}')).toBe(false);
    expect(await ok('x <function=f>')).toBe(false);
    expect(await ok('<tool_call<function=')).toBe(false);
  });

  it('handles openings whose prefix repeats inside them', async () => {
    const ok = await acceptor({ type: 'grammar', grammar: textWithout(['```json']) });
    expect(await ok('``````js and ```jso')).toBe(true);
    expect(await ok('text ````json')).toBe(false);
  });

  it('reads a long answer (the grammar is one state per opening prefix)', async () => {
    const ok = await acceptor({ type: 'grammar', grammar: textWithout(['[TOOL_CALLS]']) });
    expect(await ok('[TOOL_CALL] and more. '.repeat(200))).toBe(true);
  });
});

describe('noCallFormat', () => {
  const cases: [ToolCallSyntax, string, string][] = [
    ['hermes', PROSE, 'Sure. <tool_call>\n{"name": "f", "arguments": {}}\n</tool_call>'],
    ['json-fenced', PROSE, '```json\n{"name": "f", "arguments": {}}\n```'],
    ['qwen-xml', PROSE, '<function=f>\n</function>'],
    ['gemma4', PROSE, '<|tool_call>call:f{}<tool_call|>'],
    ['mistral-v13', PROSE, '[TOOL_CALLS]f[ARGS]{}'],
    ['phi4', PROSE, '<|tool_call|>[{"name": "f", "arguments": {}}]<|/tool_call|>'],
    ['smollm2', PROSE, '<tool_call>[]</tool_call>'],
    ['llama3-json', PROSE, '{"name": "f", "parameters": {}}'],
    ['pythonic', PROSE, '[f(a=1)]'],
    ['trelis-v2', ` ${PROSE}`, ' {"function": "f", "arguments": {}}'],
    ['trelis-v3', PROSE, '{"name": "f", "arguments": {}}'],
    ['mistral-v3', PROSE, '[TOOL_CALLS] [{"name": "f", "arguments": {}}]'],
  ];
  it.each(cases)('%s: prose is allowed, a call is not', async (syntax, prose, call) => {
    const ok = await acceptor(noCallFormat(syntax));
    expect(await ok(prose)).toBe(true);
    expect(await ok(call)).toBe(false);
  });
});
