/**
 * Fuzzes every reader of model text, the streaming preview and the dispatcher with the reserved keys
 * (`__proto__`, `constructor`, `prototype`; validate/reservedKeys.ts) as argument names, at the top
 * level or nested, among ordinary arguments, in every call shape: JSON (several envelopes), pythonic,
 * `<function=>` XML parameters, Gemma `call:f{…}` and Mistral `[ARGS]`. The properties:
 *
 * - the parser never returns a call holding a reserved key or an inherited value; it reports an
 *   error naming the key instead (so the card and the schema check see what would run);
 * - every preview card's arguments are plain objects whose keys are all own (a `__proto__` row shows);
 * - the dispatcher refuses such arguments however they were built, and the handler never runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/lib/dispatch/dispatch.ts';
import { FunctionRegistry } from '../../../src/lib/dispatch/registry.ts';
import { parseToolCalls } from '../../../src/lib/parse/parseToolCalls.ts';
import { previewStreamingCalls } from '../../../src/lib/parse/previewCalls.ts';
import type { FunctionSpec } from '../../../src/lib/types/functionSpec.ts';
import { RESERVED_KEYS, findReservedKey } from '../../../src/lib/validate/reservedKeys.ts';
import { runFuzz } from './runFuzz.ts';

const spec: FunctionSpec = {
  name: 'set_timer',
  parameters: {
    type: 'object',
    properties: { seconds: { type: 'integer' }, label: { type: 'string' }, meta: { type: 'object' } },
  },
};
const Q = '<|"|>';

/** A small value every shape can write: an integer, a plain string, or an object of those. */
type Small = number | string | { [k: string]: number | string };
const small: fc.Arbitrary<Small> = fc.oneof(
  fc.integer({ min: 1, max: 999 }),
  fc.stringMatching(/^[A-Za-z ]{0,12}$/),
  fc.dictionary(
    fc.constantFrom('seconds', 'label', 'x'),
    fc.oneof(fc.integer({ min: 1, max: 99 }), fc.stringMatching(/^[a-z]{0,6}$/)),
    { maxKeys: 3 },
  ),
);

function gemmaValue(v: Small): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `${Q}${v}${Q}`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${k}:${gemmaValue(x)}`)
    .join(',')}}`;
}

/** Arguments in order: ordinary ones and one reserved key, at the top or nested inside `meta`. */
interface Attack {
  key: string;
  value: Small;
  nested: boolean;
  before: { seconds?: number; label?: string };
}

function entries(a: Attack): [string, Small][] {
  const ordinary: [string, Small][] = Object.entries(a.before);
  return a.nested
    ? [...ordinary, ['meta', { [a.key]: typeof a.value === 'object' ? 1 : a.value }]]
    : [...ordinary, [a.key, a.value]];
}

function jsonObject(pairs: [string, Small][]): string {
  return `{${pairs.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`;
}

function render(a: Attack, shape: string): string {
  const pairs = entries(a);
  const json = jsonObject(pairs);
  switch (shape) {
    case 'hermes':
      return `<tool_call>{"name": "set_timer", "arguments": ${json}}</tool_call>`;
    case 'string-args':
      return `<tool_call>{"name": "set_timer", "arguments": ${JSON.stringify(json)}}</tool_call>`;
    case 'trelis':
      return `{"function": "set_timer", "arguments": ${json}}`;
    case 'envelope':
      return `{"tool_calls": [{"type": "function", "function": {"name": "set_timer", "arguments": ${json}}}]}`;
    case 'pythonic':
      return `[set_timer(${pairs.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')})]`;
    case 'pythonic-tag':
      return `<tool_call>set_timer(${pairs.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')})</tool_call>`;
    case 'function-tag':
      return `<tool_call>\n<function=set_timer>\n${pairs
        .map(([k, v]) => `<parameter=${k}>\n${typeof v === 'string' ? v : JSON.stringify(v)}\n</parameter>\n`)
        .join('')}</function>\n</tool_call>`;
    case 'gemma':
      return `<|tool_call>call:set_timer{${pairs.map(([k, v]) => `${k}:${gemmaValue(v)}`).join(',')}}<tool_call|>`;
    default:
      return `[TOOL_CALLS]set_timer[ARGS]${json}`;
  }
}

const SHAPES = [
  'hermes',
  'string-args',
  'trelis',
  'envelope',
  'pythonic',
  'pythonic-tag',
  'function-tag',
  'gemma',
  'mistral-args',
] as const;

const attack: fc.Arbitrary<Attack> = fc.record({
  key: fc.constantFrom(...RESERVED_KEYS),
  value: small,
  nested: fc.boolean(),
  before: fc.record(
    { seconds: fc.integer({ min: 1, max: 60 }), label: fc.stringMatching(/^[A-Za-z]{1,8}$/) },
    { requiredKeys: [] },
  ),
});

/** Every key of every object in the value is own and no object inherits from anything but Object.prototype. */
function expectPlain(value: unknown): void {
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) return v.forEach(walk);
    expect([Object.prototype, null]).toContain(Object.getPrototypeOf(v));
    for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k]);
  };
  walk(value);
}

describe('reserved argument keys in every call shape', () => {
  it('the parser refuses them, naming the key; the preview shows them as own keys', async () => {
    await runFuzz(
      'reserved argument keys (__proto__, constructor, prototype) in every call shape and the preview',
      fc.property(attack, fc.constantFrom(...SHAPES), fc.nat({ max: 1000 }), (a, shape, cutAt) => {
        const text = render(a, shape);
        const result = parseToolCalls(text, [spec]);
        for (const call of result.calls) {
          expect(findReservedKey(call.arguments), `${shape}: ${text} → ${JSON.stringify(result)}`).toBeUndefined();
          expectPlain(call.arguments);
        }
        // A reserved key dropped on the way (a preview of a value still unfinished) is no call either.
        expect(result.calls, `${shape}: ${text}`).toEqual([]);
        expect(
          result.errors.some((e) => e.message.includes(`"${a.key}"`)),
          `${shape}: ${text} → ${JSON.stringify(result.errors)}`,
        ).toBe(true);
        for (const upTo of [text.length, cutAt % (text.length + 1)]) {
          for (const call of previewStreamingCalls(text.slice(0, upTo), [spec]).calls) expectPlain(call.arguments);
        }
      }),
      { seed: 6601, numRuns: 600 },
    );
  });

  it('the dispatcher refuses them however the arguments were built, and never runs the handler', async () => {
    const build = fc.constantFrom(
      (key: string, value: unknown): Record<string, unknown> =>
        Object.create({ [key]: value }) as Record<string, unknown>,
      (key: string, value: unknown): Record<string, unknown> =>
        JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value)}}`) as Record<string, unknown>,
      (key: string, value: unknown): Record<string, unknown> => {
        const o: Record<string, unknown> = {};
        Object.defineProperty(o, key, { value, enumerable: true });
        return o;
      },
      (key: string, value: unknown): Record<string, unknown> => ({
        meta: JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value)}}`) as unknown,
      }),
    );
    await runFuzz(
      'dispatch with reserved argument keys or inherited arguments',
      fc.asyncProperty(fc.constantFrom(...RESERVED_KEYS, 'seconds'), small, build, async (key, value, make) => {
        let ran = false;
        const registry = new FunctionRegistry();
        registry.register(spec, () => {
          ran = true;
          return 'ran';
        });
        const args = make(key, value);
        const result = await dispatch({ name: 'set_timer', arguments: args }, registry);
        // An own, ordinary key is the one case that must run (Object.create hides even `seconds`).
        const ordinary = key === 'seconds' && Object.getPrototypeOf(args) === Object.prototype;
        expect(ran).toBe(ordinary);
        expect(result.ok).toBe(ordinary);
        if (!result.ok) expect(result.error.kind).toBe('invalid_arguments');
      }),
      { seed: 6602, numRuns: 300 },
    );
  });
});
