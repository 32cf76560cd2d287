/**
 * Fuzzes the parser that reads function calls out of model output: random strings, call-shaped junk,
 * and valid calls in every supported shape after random damage (characters inserted, removed or cut;
 * argument values swapped for random JSON; keys dropped or added). The property, for every input:
 * it never throws, and every call it returns names an offered function and passes that function's
 * schema, so a damaged call is reported as an error instead of being run with wrong arguments.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseToolCalls } from '../../../src/lib/parse/parseToolCalls.ts';
import type { FunctionSpec } from '../../../src/lib/types/functionSpec.ts';
import { checkArguments } from '../../../src/lib/validate/argumentValidator.ts';
import { corpusFunctions } from '../../fixtures/corpus/functions.ts';
import { runFuzz } from './runFuzz.ts';

const byName = new Map(corpusFunctions.map((f) => [f.name, f]));

/** What a caller relies on, whatever the input. */
function expectOnlyValidCalls(output: string, functions: FunctionSpec[] = corpusFunctions): void {
  const result = parseToolCalls(output, functions);
  expect(typeof result.text).toBe('string');
  // The catch-all in parseToolCalls must not be what kept it from throwing.
  expect(result.errors.filter((e) => e.message.startsWith('The answer could not be read'))).toEqual([]);
  for (const error of result.errors) expect(error.message.length).toBeGreaterThan(0);
  for (const call of result.calls) {
    const spec = functions.find((f) => f.name === call.name);
    expect(spec, `returned a call to "${call.name}", which was not offered`).toBeDefined();
    if (!spec) continue;
    expect(call.arguments).toBeTypeOf('object');
    expect(Array.isArray(call.arguments)).toBe(false);
    expect(checkArguments(spec, call.arguments), `returned ${JSON.stringify(call)}`).toEqual({ ok: true });
  }
}

/** A valid call of a corpus function, with arguments that pass its schema. */
const validCall = fc.constantFrom(
  { name: 'get_weather', arguments: { city: 'Paris', days: 2, unit: 'C' } },
  { name: 'search_bing', arguments: { query: 'latest news on AI' } },
  { name: 'add_numbers', arguments: { a: 2, b: -3.5 } },
  { name: 'set_alarm', arguments: { time: '07:30', repeat: true } },
  { name: 'create_event', arguments: { title: 'Standup', when: '2026-01-05', attendees: ['Ann', 'Bo'] } },
  { name: 'roll_dice', arguments: { sides: 6, count: 2 } },
  { name: 'play_music', arguments: { song: 'Blue', volume: 40 } },
  { name: 'read_file', arguments: { path: '/tmp/a.txt', lines: [1, 2] } },
  { name: 'book_table', arguments: { restaurant: 'Noma', people: 4, options: { window: true } } },
);

type Call = { name: string; arguments: Record<string, unknown> };

/** The call written the ways models write calls. */
function render(call: Call, shape: string): string {
  const json = JSON.stringify(call.arguments);
  const pythonic = `${call.name}(${Object.entries(call.arguments)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')})`;
  switch (shape) {
    case 'trelis':
      return `{"function": "${call.name}", "arguments": ${json}}`;
    case 'hermes':
      return `<tool_call>\n{"name": "${call.name}", "arguments": ${json}}\n</tool_call>`;
    case 'llama3':
      return `<|python_tag|>{"name": "${call.name}", "parameters": ${json}}`;
    case 'mistral':
      return `[TOOL_CALLS] [{"name": "${call.name}", "arguments": ${json}}]`;
    case 'string-args':
      return `{"name": "${call.name}", "arguments": ${JSON.stringify(json)}}`;
    case 'envelope':
      return `{"tool_calls": [{"type": "function", "function": {"name": "${call.name}", "arguments": ${JSON.stringify(json)}}}]}`;
    case 'fenced':
      return `Sure, let me check.\n\`\`\`json\n{"name": "${call.name}", "arguments": ${json}}\n\`\`\`\nDone.`;
    default:
      return `[${pythonic}]`;
  }
}
const shape = fc.constantFrom('trelis', 'hermes', 'llama3', 'mistral', 'string-args', 'envelope', 'fenced', 'pythonic');

/** Damage to the arguments themselves: the shape stays readable, the values may break the schema. */
const argumentDamage = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), value: fc.jsonValue({ maxDepth: 2 }), pick: fc.nat() }),
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('add' as const),
    key: fc.string({ maxLength: 8 }),
    value: fc.jsonValue({ maxDepth: 1 }),
  }),
);
type ArgumentDamage =
  | { kind: 'replace'; value: unknown; pick: number }
  | { kind: 'drop'; pick: number }
  | { kind: 'add'; key: string; value: unknown };
function damageArguments(call: Call, damages: readonly ArgumentDamage[]): Call {
  const args: Record<string, unknown> = { ...call.arguments };
  for (const damage of damages) {
    const keys = Object.keys(args);
    if (damage.kind === 'add') args[damage.key] = damage.value;
    else {
      const key = keys[damage.pick % keys.length];
      if (key === undefined) continue;
      if (damage.kind === 'drop') Reflect.deleteProperty(args, key);
      else args[key] = damage.value;
    }
  }
  return { name: call.name, arguments: args };
}

/** Damage to the text: characters inserted, removed, and the end cut off. */
const textDamage = fc.record({
  at: fc.nat({ max: 400 }),
  remove: fc.nat({ max: 6 }),
  insert: fc.oneof(
    fc.constantFrom(
      '',
      '{',
      '}',
      '[',
      ']',
      '"',
      "'",
      ',',
      ':',
      '\n',
      'x',
      '0',
      '-',
      'null',
      '<tool_call>',
      '```',
      '\\',
      '(',
      ')',
      '=',
    ),
    fc.string({ maxLength: 4 }),
  ),
});
function damageText(
  text: string,
  damages: ReadonlyArray<{ at: number; remove: number; insert: string }>,
  cut: number,
): string {
  let s = text;
  for (const d of damages) {
    const at = d.at % (s.length + 1);
    s = s.slice(0, at) + d.insert + s.slice(at + d.remove);
  }
  return s.slice(0, Math.max(1, s.length - cut));
}

describe('parseToolCalls — fuzzed model output', { timeout: 60_000 }, () => {
  it('random strings: never throws, never returns an invalid call', async () => {
    await runFuzz(
      'parseToolCalls: random strings',
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => expectOnlyValidCalls(s)),
      { seed: 6201, numRuns: 1000 },
    );
  });

  it('call-shaped junk: never throws, never returns an invalid call', async () => {
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
      '[TOOL_CALLS]',
      'function',
      'name',
      'arguments',
      'parameters',
      'tool_calls',
      'get_weather',
      'search_bing',
      'add_numbers',
      'city',
      'days',
      'query',
      'a',
      'b',
      'True',
      'None',
      '1',
      '-2.5e3',
      '"Paris"',
    ];
    const junk = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((parts) => parts.join(''));
    await runFuzz(
      'parseToolCalls: call-shaped junk',
      fc.property(junk, (s) => expectOnlyValidCalls(s)),
      { seed: 6202, numRuns: 1500 },
    );
  });

  it('valid calls with damaged arguments: wrong values become errors, not calls', async () => {
    await runFuzz(
      'parseToolCalls: valid calls with damaged argument values',
      fc.property(validCall, shape, fc.array(argumentDamage, { minLength: 1, maxLength: 3 }), (call, how, damages) => {
        const damaged = damageArguments(call, damages);
        const output = render(damaged, how);
        expectOnlyValidCalls(output);
        // Not vacuous: when the damage broke the schema, the call is reported and not returned.
        const spec = byName.get(call.name);
        if (spec && !checkArguments(spec, damaged.arguments).ok) {
          const result = parseToolCalls(output, corpusFunctions);
          expect(result.calls.filter((c) => c.name === call.name)).toEqual([]);
        }
      }),
      { seed: 6203, numRuns: 1500 },
    );
  });

  it('valid calls with damaged text: never throws, never returns an invalid call', async () => {
    await runFuzz(
      'parseToolCalls: valid calls with damaged text',
      fc.property(
        validCall,
        shape,
        fc.array(textDamage, { minLength: 1, maxLength: 4 }),
        fc.nat({ max: 20 }),
        (call, how, damages, cut) => {
          expectOnlyValidCalls(damageText(render(call, how), damages, cut));
        },
      ),
      { seed: 6204, numRuns: 1500 },
    );
  });

  it('undamaged calls in every shape are found (the generators make real calls)', () => {
    fc.assert(
      fc.property(validCall, shape, (call, how) => {
        expect(parseToolCalls(render(call, how), corpusFunctions).calls).toEqual([call]);
      }),
      { seed: 6205, numRuns: 100 },
    );
  });
});
