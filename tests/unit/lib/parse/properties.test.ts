import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';
import { corpusFunctions } from '../../../fixtures/corpus/functions.ts';
import { findReservedKey } from '../../../../src/lib/validate/reservedKeys.ts';

/** Functions that accept any arguments, so every generated call is valid. */
const permissive: FunctionSpec[] = ['alpha', 'beta_2', 'get_weather', '_x'].map((name) => ({
  name,
  parameters: { type: 'object' },
}));

const pieces = [
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  ':',
  ',',
  '(',
  ')',
  '=',
  '`',
  '```',
  '```json\n',
  '\n',
  ' ',
  '\\',
  '//',
  '/*',
  '*/',
  '<tool_call>',
  '</tool_call>',
  '<|python_tag|>',
  '<|eom_id|>',
  '[TOOL_CALLS]',
  '<function=get_weather>',
  '</function>',
  'function',
  'name',
  'arguments',
  'parameters',
  'tool_calls',
  'get_weather',
  'search_bing',
  'True',
  'None',
  '1',
  '-2.5e3',
  'city',
];
const jsonish = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((parts) => parts.join(''));

function expectWellFormed(result: ReturnType<typeof parseToolCalls>): void {
  expect(Array.isArray(result.calls)).toBe(true);
  expect(Array.isArray(result.errors)).toBe(true);
  expect(typeof result.text).toBe('string');
  // The catch-all in parseToolCalls must not be what kept it from throwing.
  expect(result.errors.filter((e) => e.message.startsWith('The answer could not be read'))).toEqual([]);
}

describe('parseToolCalls — properties', () => {
  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expectWellFormed(parseToolCalls(s, corpusFunctions));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on JSON-like and tag-like junk', () => {
    fc.assert(
      fc.property(jsonish, (s) => {
        expectWellFormed(parseToolCalls(s, corpusFunctions));
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on mutations of valid calls', () => {
    const valid = '{"function": "get_weather", "arguments": {"city": "Paris", "days": 2}}';
    const mutation = fc.record({
      at: fc.nat({ max: valid.length }),
      remove: fc.nat({ max: 5 }),
      insert: fc.constantFrom('', '{', '}', '"', "'", ',', ']', '\n', 'x', '<tool_call>', '```'),
      cut: fc.nat({ max: valid.length }),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        let s = valid;
        for (const m of mutations)
          s = (s.slice(0, m.at) + m.insert + s.slice(m.at + m.remove)).slice(0, Math.max(m.cut, 1));
        expectWellFormed(parseToolCalls(s, corpusFunctions));
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips any valid call serialised with JSON.stringify, in either key style', () => {
    const call = fc.record({
      name: fc.constantFrom(...permissive.map((f) => f.name)),
      arguments: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
      style: fc.constantFrom('function', 'name', 'name-string-args'),
      indent: fc.constantFrom(0, 2, 4),
    });
    fc.assert(
      fc.property(call, ({ name, arguments: args, style, indent }) => {
        const body =
          style === 'function'
            ? { function: name, arguments: args }
            : { name, arguments: style === 'name' ? args : JSON.stringify(args) };
        const result = parseToolCalls(JSON.stringify(body, null, indent), permissive);
        // fast-check likes keys such as "__proto__" and "constructor": those calls are refused (issue 14).
        const reserved = findReservedKey(JSON.parse(JSON.stringify(args)));
        if (reserved !== undefined) {
          expect(result.calls).toEqual([]);
          expect(result.errors[0]?.message).toContain(`"${reserved}"`);
          return;
        }
        // JSON has no -0 or undefined: what the model can send is the JSON image of the arguments.
        expect(result).toEqual({
          calls: [{ name, arguments: JSON.parse(JSON.stringify(args)) as unknown }],
          errors: [],
          text: '',
        });
      }),
      { numRuns: 500 },
    );
  });
});
