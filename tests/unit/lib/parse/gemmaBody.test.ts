/**
 * Gemma 4 calls (`<|tool_call>call:f{…}<tool_call|>`): the final parser and the streaming preview.
 */
import { describe, expect, it } from 'vitest';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import { previewStreamingCalls } from '../../../../src/lib/parse/previewCalls.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';

const Q = '<|"|>';
const weather: FunctionSpec = {
  name: 'get_weather',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, days: { type: 'integer' } },
    required: ['city'],
  },
};
const note: FunctionSpec = {
  name: 'save_note',
  parameters: {
    type: 'object',
    properties: {
      text: { type: 'string' },
      meta: { type: 'object' },
      tags: { type: 'array', items: { type: 'string' } },
      urgent: { type: 'boolean' },
    },
    required: ['text'],
  },
};
const fns = [weather, note];
const call = (body: string) => `<|tool_call>call:${body}<tool_call|>`;

describe('gemma call bodies', () => {
  it('reads one call, and the prose around it', () => {
    const r = parseToolCalls(`Checking.${call(`get_weather{city:${Q}Paris${Q},days:3}`)}`, fns);
    expect(r.errors).toEqual([]);
    expect(r.calls).toEqual([{ name: 'get_weather', arguments: { city: 'Paris', days: 3 } }]);
    expect(r.text).toBe('Checking.');
  });

  it('reads parallel calls concatenated with no separator', () => {
    const r = parseToolCalls(call(`get_weather{city:${Q}Paris${Q}}`) + call(`get_weather{city:${Q}Rome${Q}}`), fns);
    expect(r.errors).toEqual([]);
    expect(r.calls.map((c) => c.arguments['city'])).toEqual(['Paris', 'Rome']);
  });

  it('reads nested values, and strings holding quotes, braces, commas, newlines and tags', () => {
    const text = `He said "hi", {not: a key}\n<|tool_call> and [x] done`;
    const r = parseToolCalls(
      call(
        `save_note{meta:{n:-1.5e2,ok:true,none:null,list:[1,${Q}a${Q},[]],deep:{k:{}}},tags:[${Q}a${Q},${Q}b c${Q}],text:${Q}${text}${Q},urgent:false}`,
      ),
      fns,
    );
    expect(r.errors).toEqual([]);
    expect(r.calls).toEqual([
      {
        name: 'save_note',
        arguments: {
          meta: { n: -150, ok: true, none: null, list: [1, 'a', []], deep: { k: {} } },
          tags: ['a', 'b c'],
          text,
          urgent: false,
        },
      },
    ]);
  });

  it('tolerates spaces, newlines, a missing call: prefix, trailing commas and JSON-quoted strings', () => {
    const r = parseToolCalls(`<|tool_call> get_weather { city : ${Q}Oslo${Q} , "days": 2, }\n<tool_call|>`, fns);
    expect(r.errors).toEqual([]);
    expect(r.calls).toEqual([{ name: 'get_weather', arguments: { city: 'Oslo', days: 2 } }]);
  });

  it('closes what the model left unclosed at the end of the answer', () => {
    const r = parseToolCalls(`<|tool_call>call:save_note{text:${Q}unfinished`, fns);
    expect(r.calls).toEqual([{ name: 'save_note', arguments: { text: 'unfinished' } }]);
  });

  it('reports junk as malformed, naming the function when it can be read', () => {
    const r = parseToolCalls(call(`get_weather{city:Paris}`), fns);
    expect(r.calls).toEqual([]);
    expect(r.errors).toEqual([expect.objectContaining({ kind: 'malformed', name: 'get_weather' })]);
    const missing = parseToolCalls(call(`get_weather{city:}`), fns);
    expect(missing.errors[0]).toMatchObject({ kind: 'malformed', name: 'get_weather' });
    const noName = parseToolCalls('<|tool_call>{{{<tool_call|>', fns);
    expect(noName.errors[0]).toMatchObject({ kind: 'malformed' });
  });

  it('checks arguments against the schema, and unknown functions by name', () => {
    expect(parseToolCalls(call(`get_weather{city:${Q}Paris${Q},days:${Q}3${Q}}`), fns).errors[0]).toMatchObject({
      kind: 'invalid_arguments',
      name: 'get_weather',
    });
    expect(parseToolCalls(call('get_time{}'), fns).errors[0]).toMatchObject({
      kind: 'unknown_function',
      name: 'get_time',
    });
  });

  it('never lets a __proto__ key set a prototype: the call is refused, naming the key (issue 14)', () => {
    const r = parseToolCalls(call(`save_note{text:${Q}x${Q},meta:{__proto__:{polluted:true}}}`), fns);
    expect(r.calls).toEqual([]);
    expect(r.errors.map((e) => e.kind)).toEqual(['invalid_arguments']);
    expect(r.errors[0]?.message).toContain('"__proto__"');
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('reads no calls or errors inside the thought channel', () => {
    const decoy = call(`get_weather{city:${Q}Decoy${Q}}`) + call('get_weather{broken');
    const r = parseToolCalls(
      `<|channel>thought\nMaybe ${decoy}?<channel|>${call(`get_weather{city:${Q}Paris${Q}}`)}`,
      fns,
    );
    expect(r.errors).toEqual([]);
    expect(r.calls).toEqual([{ name: 'get_weather', arguments: { city: 'Paris' } }]);
    expect(r.reasoning).toContain('Maybe');
    // The prompt opened the thought (answer prefix after results with thinking on).
    const p = parseToolCalls(`Still thinking ${decoy}<channel|>Done.`, fns, { answerPrefix: '<|channel>thought\n' });
    expect(p).toMatchObject({ calls: [], errors: [], text: 'Done.' });
    // An empty thought channel (thinking off on larger models) is not prose.
    expect(parseToolCalls('<|channel>thought\n<channel|>Hello.', fns).text).toBe('Hello.');
  });
});

describe('gemma streaming preview', () => {
  const whole = `Sure.${call(`save_note{tags:[${Q}a${Q}],text:${Q}Hi {there}${Q},urgent:true}`)}`;
  const at = (s: string) => previewStreamingCalls(whole.slice(0, whole.indexOf(s) + s.length), fns);

  it('holds back an opening still arriving, then shows a card with no name', () => {
    expect(previewStreamingCalls('Sure.<|tool_', fns)).toEqual({ prose: 'Sure.', calls: [] });
    expect(at('<|tool_call>')).toEqual({ prose: 'Sure.', calls: [{ arguments: {}, complete: false }] });
    expect(at('<|tool_call>call:save_no').calls).toEqual([{ arguments: {}, complete: false }]);
  });

  it('shows the name once its brace arrives, then arguments as they finish, strings as they stream', () => {
    expect(at('save_note{').calls).toEqual([{ name: 'save_note', arguments: {}, complete: false }]);
    expect(at(`tags:[${Q}a`).calls).toEqual([{ name: 'save_note', arguments: { tags: ['a'] }, complete: false }]);
    expect(at(`text:${Q}Hi {th`).calls).toEqual([
      { name: 'save_note', arguments: { tags: ['a'], text: 'Hi {th' }, complete: false },
    ]);
    // A closing delimiter still arriving is not part of the string.
    expect(at(`there}<|"`).calls[0]?.arguments).toEqual({ tags: ['a'], text: 'Hi {there}' });
    expect(at('urgent:tr').calls[0]?.arguments).toEqual({ tags: ['a'], text: 'Hi {there}' });
    expect(at('urgent:true}').calls[0]?.arguments).toEqual({ tags: ['a'], text: 'Hi {there}', urgent: true });
  });

  it("ends on the parser's exact arguments once the closer arrives", () => {
    expect(previewStreamingCalls(whole, fns)).toEqual({
      prose: 'Sure.',
      calls: [{ name: 'save_note', arguments: { tags: ['a'], text: 'Hi {there}', urgent: true }, complete: true }],
    });
  });

  it('does not grow a number that may still be growing', () => {
    const text = `<|tool_call>call:get_weather{city:${Q}Oslo${Q},days:1`;
    expect(previewStreamingCalls(text, fns).calls[0]?.arguments).toEqual({ city: 'Oslo' });
    expect(previewStreamingCalls(`${text}2}`, fns).calls[0]?.arguments).toEqual({ city: 'Oslo', days: 12 });
  });

  it('streams the thought apart and shows no card for a call inside it', () => {
    const p = previewStreamingCalls(`<|channel>thought\nTry ${call(`get_weather{city:${Q}X${Q}}`)} maybe`, fns);
    expect(p).toMatchObject({ calls: [], thinking: true, prose: '' });
    expect(p.reasoning).toContain('Try');
  });
});
