import { describe, expect, it } from 'vitest';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import { corpusFunctions as fns, getWeather, searchBing } from '../../../fixtures/corpus/functions.ts';

describe('parseToolCalls — errors are data', () => {
  it('reports an unknown function, naming it and the known ones', () => {
    const answer = '{"function": "fly_to_moon", "arguments": {"when": "now"}}';
    expect(parseToolCalls(answer, [searchBing, getWeather])).toEqual({
      calls: [],
      errors: [
        {
          kind: 'unknown_function',
          name: 'fly_to_moon',
          message: 'Unknown function "fly_to_moon". Known functions: search_bing, get_weather.',
          raw: answer,
        },
      ],
      text: '',
    });
  });

  it('reports a missing required argument by name, in `missing`', () => {
    const [error] = parseToolCalls('{"function": "send_email", "arguments": {"to": "a@b.c"}}', fns).errors;
    expect(error).toMatchObject({ kind: 'invalid_arguments', name: 'send_email', missing: ['subject', 'body'] });
    expect(error?.message).toBe('Missing required arguments "subject", "body" for send_email.');
  });

  it('explains a type error in short words, not the validator’s dump', () => {
    const [error] = parseToolCalls(
      '{"function": "get_weather", "arguments": {"city": "Paris", "days": "3"}}',
      fns,
    ).errors;
    expect(error?.message).toBe('Invalid arguments for get_weather: "days" must be an integer (got "3").');
    expect(error?.missing).toBeUndefined();
  });

  it.each([
    ['an enum', '{"city": "Oslo", "unit": "K"}', '"unit" must be one of "C", "F" (got "K")'],
    ['an unknown argument', '{"city": "Oslo", "country": "NO"}', 'unknown argument "country"'],
    ['a range', '{"city": "Oslo", "days": 99}', '"days" must be <= 14'],
  ])('explains %s', (_, args, text) => {
    const [error] = parseToolCalls(`{"function": "get_weather", "arguments": ${args}}`, fns).errors;
    expect(error?.kind).toBe('invalid_arguments');
    expect(error?.message).toContain(text);
  });

  it('refuses arguments that are not an object', () => {
    const [error] = parseToolCalls('{"function": "search_bing", "arguments": ["x"]}', fns).errors;
    expect(error).toMatchObject({
      kind: 'invalid_arguments',
      message: 'The arguments of search_bing must be an object, not a list.',
    });
  });

  it('reports a call-looking fragment that cannot be repaired as malformed, with its raw text', () => {
    const answer = 'Calling: {"function": "search_bing" "arguments" {{{ "query": ]]] } done';
    const result = parseToolCalls(answer, fns);
    expect(result.calls).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ kind: 'malformed', name: 'search_bing' });
    expect(answer).toContain(result.errors[0]?.raw ?? '<none>');
  });

  it('reports junk inside <tool_call> as malformed and drops the tags from the text', () => {
    expect(parseToolCalls('Checking.<tool_call>not json</tool_call>', fns)).toEqual({
      calls: [],
      errors: [{ kind: 'malformed', message: 'Expected a function call here.', raw: 'not json' }],
      text: 'Checking.',
    });
  });

  it('keeps valid calls next to failed ones', () => {
    const result = parseToolCalls(
      '{"function": "search_bing", "arguments": {"query": "x"}}\n{"function": "nope", "arguments": {}}',
      fns,
    );
    expect(result.calls).toEqual([{ name: 'search_bing', arguments: { query: 'x' } }]);
    expect(result.errors.map((e) => e.kind)).toEqual(['unknown_function']);
  });

  it('reports an unknown pythonic call only in a call context', () => {
    expect(parseToolCalls('<|python_tag|>brave_search.call(query="x")', fns).errors).toMatchObject([
      { kind: 'unknown_function', name: 'brave_search' },
    ]);
    expect(parseToolCalls('brave_search.call(query="x")', fns).errors).toEqual([]);
  });
});
