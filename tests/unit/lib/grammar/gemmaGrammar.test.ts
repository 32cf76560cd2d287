/**
 * The Gemma 4 call grammar with the real xgrammar matcher, beyond the suite every syntax shares
 * (buildToolConstraint.test.ts): Gemma strings, nested objects, the thought channel and the answer
 * prefix the prompt writes after results.
 */
import { describe, expect, it } from 'vitest';
import { buildToolConstraint } from '../../../../src/lib/grammar/buildToolConstraint.ts';
import type { ToolChoice } from '../../../../src/lib/types/agent.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';
import { acceptor } from './xgrammar.ts';
import { functions } from './functions.fixture.ts';

const Q = '<|"|>';
const plan: FunctionSpec = {
  name: 'plan',
  parameters: {
    type: 'object',
    properties: {
      place: { type: 'object', properties: { lat: { type: 'number' }, name: { type: 'string' } }, required: ['lat'] },
      extra: { type: 'object' },
      note: { type: ['string', 'null'] },
    },
    required: ['place'],
  },
};
const all = [...functions, plan];
const weather = (city: string) => `<|tool_call>call:get_weather{city:${Q}${city}${Q}}<tool_call|>`;

async function allows(toolChoice: ToolChoice, extra: { thinking?: boolean; answerPrefix?: string } = {}) {
  const c = buildToolConstraint({ functions: all, toolChoice, syntax: 'gemma4', ...extra });
  if (!c.responseFormat) throw new Error('expected a response format');
  return acceptor(c.responseFormat);
}

describe('gemma4 grammar', () => {
  it('accepts strings holding quotes, braces, commas and newlines, but no delimiter inside', async () => {
    const ok = await allows('required');
    expect(await ok(weather('São "P" {x}, y\nz <| | >'))).toBe(true);
    expect(await ok(weather(`a${Q}b`))).toBe(false);
    expect(await ok(weather(`a<|"b`))).toBe(true);
  });

  it('follows nested schemas, in dictsort order, with required members', async () => {
    const ok = await allows('required');
    expect(
      await ok(
        `<|tool_call>call:plan{extra:{a:[1,${Q}x${Q}],b:{}},note:null,place:{lat:1.5,name:${Q}Home${Q}}}<tool_call|>`,
      ),
    ).toBe(true);
    expect(await ok(`<|tool_call>call:plan{note:${Q}n${Q},place:{lat:-2}}<tool_call|>`)).toBe(true);
    expect(await ok(`<|tool_call>call:plan{place:{name:${Q}Home${Q}}}<tool_call|>`), 'missing nested required').toBe(
      false,
    );
    expect(await ok(`<|tool_call>call:plan{place:{lat:1},note:null}<tool_call|>`), 'not in dictsort order').toBe(false);
    expect(await ok(`<|tool_call>call:plan{place:{lat:${Q}1${Q}}}<tool_call|>`), 'wrong nested type').toBe(false);
  });

  it('lets <|tool_response> follow the calls (the model stops there)', async () => {
    const ok = await allows('required');
    expect(await ok(`${weather('Paris')}${weather('Rome')}<|tool_response>`)).toBe(true);
  });

  it('allows a thought channel first when thinking, and only an empty one otherwise', async () => {
    const thought = '<|channel>thought\nThe user wants <b>weather</b> for {Paris}.<channel|>';
    expect(await (await allows('required', { thinking: true }))(`${thought}${weather('Paris')}`)).toBe(true);
    expect(await (await allows('auto', { thinking: true }))(`${thought}It is sunny.`)).toBe(true);
    expect(await (await allows('required', { thinking: true }))(`${thought}It is sunny.`)).toBe(false);
    expect(await (await allows('required'))(`${thought}${weather('Paris')}`)).toBe(false);
    expect(await (await allows('required'))(`<|channel>thought\n<channel|>${weather('Paris')}`)).toBe(true);
    expect(
      await (
        await allows('required', { thinking: true })
      )(`<|channel>thought\nA<channel|>B<channel|>${weather('Paris')}`),
    ).toBe(false);
  });

  it('continues a thought the prompt opened: it must be closed first', async () => {
    const ok = await allows('required', { thinking: true, answerPrefix: '<|channel>thought\n' });
    expect(await ok(`Results are in.<channel|>${weather('Paris')}`)).toBe(true);
    expect(await ok(weather('Paris'))).toBe(false);
    const prose = await allows('auto', { thinking: true, answerPrefix: '<|channel>thought\n' });
    expect(await prose('Done.<channel|>It is sunny.')).toBe(true);
  });

  it('does not let auto prose start with a tag', async () => {
    const ok = await allows('auto');
    expect(await ok('<|tool_call>call:get_weather{city:Paris}<tool_call|>')).toBe(false);
    expect(await ok('<b>Sunny</b>')).toBe(true);
  });
});
