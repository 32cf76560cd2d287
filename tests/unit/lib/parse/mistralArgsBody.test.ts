import { describe, expect, it } from 'vitest';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import { previewStreamingCalls } from '../../../../src/lib/parse/previewCalls.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';

const weather: FunctionSpec = {
  name: 'get_weather',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, days: { type: 'integer' } },
    required: ['city'],
  },
};
const time: FunctionSpec = { name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } };
const fns = [weather, time];

describe('[TOOL_CALLS] bodies: Mistral v13, v11 and v0.3', () => {
  it('reads a v13 call, with or without the </s> stop', () => {
    for (const out of [
      '[TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}</s>',
      '[TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}',
    ]) {
      const r = parseToolCalls(out, fns);
      expect(r.errors).toEqual([]);
      expect(r.calls).toEqual([{ name: 'get_weather', arguments: { city: 'Paris' } }]);
      expect(r.text).toBe('');
    }
  });

  it('reads parallel v13 calls, [TOOL_CALLS] repeated before each', () => {
    const r = parseToolCalls(
      'Checking both.[TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}[TOOL_CALLS]get_time[ARGS]{"tz": "CET"}',
      fns,
    );
    expect(r.errors).toEqual([]);
    expect(r.calls).toEqual([
      { name: 'get_weather', arguments: { city: 'Paris' } },
      { name: 'get_time', arguments: { tz: 'CET' } },
    ]);
    expect(r.text).toBe('Checking both.');
  });

  it('reads v11 calls with a [CALL_ID], and calls written without the repeated token', () => {
    const r = parseToolCalls(
      '[TOOL_CALLS]get_weather[CALL_ID]a1b2c3d4e[ARGS]{"city": "Oslo"}[TOOL_CALLS]get_time[CALL_ID]z9y8x7w6v[ARGS]{}',
      fns,
    );
    expect(r.errors).toEqual([]);
    expect(r.calls).toEqual([
      { name: 'get_weather', arguments: { city: 'Oslo' } },
      { name: 'get_time', arguments: {} },
    ]);
    const drift = parseToolCalls('[TOOL_CALLS]get_weather[ARGS]{"city": "Oslo"} get_time[ARGS]{}', fns);
    expect(drift.calls.map((c) => c.name)).toEqual(['get_weather', 'get_time']);
  });

  it('still reads Mistral v0.3 lists', () => {
    const r = parseToolCalls(
      '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Rome"}}, {"name": "get_time", "arguments": {}}]</s>',
      fns,
    );
    expect(r.errors).toEqual([]);
    expect(r.calls).toEqual([
      { name: 'get_weather', arguments: { city: 'Rome' } },
      { name: 'get_time', arguments: {} },
    ]);
  });

  it('repairs arguments left unclosed, reports broken ones and unknown names', () => {
    expect(parseToolCalls('[TOOL_CALLS]get_weather[ARGS]{"city": "Paris"', fns).calls).toEqual([
      { name: 'get_weather', arguments: { city: 'Paris' } },
    ]);
    const bad = parseToolCalls('[TOOL_CALLS]get_weather[ARGS]Paris please', fns);
    expect(bad.calls).toEqual([]);
    expect(bad.errors[0]).toMatchObject({ kind: 'malformed', name: 'get_weather' });
    expect(parseToolCalls('[TOOL_CALLS]get_moon[ARGS]{}', fns).errors[0]).toMatchObject({
      kind: 'unknown_function',
      name: 'get_moon',
    });
    expect(parseToolCalls('[TOOL_CALLS]get_weather[CALL_ID]abc', fns).errors[0]).toMatchObject({ kind: 'malformed' });
  });

  it('never reads calls inside [THINK]…[/THINK]: decoys give no call and no error', () => {
    const r = parseToolCalls(
      '[THINK]Maybe [TOOL_CALLS]get_weather[ARGS]{"city": broken… no, just answer.[/THINK]It is sunny.',
      fns,
    );
    expect(r.calls).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.text).toBe('It is sunny.');
    expect(r.reasoning).toMatch(/^Maybe/);
    const real = parseToolCalls(
      '[THINK]I need [TOOL_CALLS]get_time[ARGS]{}[/THINK][TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}',
      fns,
    );
    expect(real.calls).toEqual([{ name: 'get_weather', arguments: { city: 'Paris' } }]);
    expect(real.errors).toEqual([]);
  });
});

describe('[TOOL_CALLS] streaming preview', () => {
  const full = '[TOOL_CALLS]get_weather[ARGS]{"city": "Paris", "days": 3}[TOOL_CALLS]get_time[ARGS]{"tz": "CET"}';
  const at = (text: string) => previewStreamingCalls(text, fns);

  it('holds a half-written [TOOL_CALLS] back from the prose', () => {
    expect(at('Sure.[TOOL_CA')).toEqual({ prose: 'Sure.', calls: [] });
  });

  it('shows a card without a name until [ARGS] arrives', () => {
    expect(at('[TOOL_CALLS]').calls).toEqual([{ arguments: {}, complete: false }]);
    expect(at('[TOOL_CALLS]get_wea').calls).toEqual([{ arguments: {}, complete: false }]);
    expect(at('[TOOL_CALLS]get_weather[AR').calls).toEqual([{ arguments: {}, complete: false }]);
    expect(at('[TOOL_CALLS]get_weather[ARGS]').calls).toEqual([
      { name: 'get_weather', arguments: {}, complete: false },
    ]);
    expect(at('[TOOL_CALLS]get_weather[CALL_ID]a1b2[ARGS]{"ci').calls).toEqual([
      { name: 'get_weather', arguments: {}, complete: false },
    ]);
  });

  it('grows the arguments, then completes each call; the next [TOOL_CALLS] starts the next card', () => {
    expect(at('[TOOL_CALLS]get_weather[ARGS]{"city": "Pa').calls).toEqual([
      { name: 'get_weather', arguments: { city: 'Pa' }, complete: false },
    ]);
    expect(at('[TOOL_CALLS]get_weather[ARGS]{"city": "Paris", "days": 3').calls).toEqual([
      { name: 'get_weather', arguments: { city: 'Paris' }, complete: false },
    ]);
    const first = full.indexOf('[TOOL_CALLS]get_time');
    expect(at(full.slice(0, first)).calls).toEqual([
      { name: 'get_weather', arguments: { city: 'Paris', days: 3 }, complete: true },
    ]);
    expect(at(full.slice(0, first + 5)).calls).toEqual([
      { name: 'get_weather', arguments: { city: 'Paris', days: 3 }, complete: true },
    ]);
    expect(at(full.slice(0, full.indexOf('{"tz"'))).calls).toEqual([
      { name: 'get_weather', arguments: { city: 'Paris', days: 3 }, complete: true },
      { name: 'get_time', arguments: {}, complete: false },
    ]);
    const done = at(full);
    expect(done.calls).toEqual([
      { name: 'get_weather', arguments: { city: 'Paris', days: 3 }, complete: true },
      { name: 'get_time', arguments: { tz: 'CET' }, complete: true },
    ]);
    expect(done.prose).toBe('');
  });

  it('streams [THINK] into the reasoning, never as a call', () => {
    const p = at('[THINK]Call [TOOL_CALLS]get_weather[ARGS]{"city": "X');
    expect(p.calls).toEqual([]);
    expect(p.thinking).toBe(true);
    const after = at('[THINK]Weather, then.[/THINK][TOOL_CALLS]get_weather[ARGS]{"city": "Oslo"}');
    expect(after.reasoning).toBe('Weather, then.');
    expect(after.calls).toEqual([{ name: 'get_weather', arguments: { city: 'Oslo' }, complete: true }]);
  });
});
