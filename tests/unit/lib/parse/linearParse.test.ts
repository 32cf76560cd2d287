/**
 * parseToolCalls is linear in the answer's length (issue 12): the memoised balanced scan gives the
 * same extents as scanBalanced, and pathological answers (deep nesting, unclosed openers, stray
 * markers) cost a bounded multiple of plain prose of the same length, measured in the same run as a
 * ratio, never as an absolute time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BalancedCache } from '../../../../src/lib/parse/balancedCache.ts';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import { scanBalanced } from '../../../../src/lib/parse/scanBalanced.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';
import { fastestTime } from '../../fastestTime.ts';

const functions: FunctionSpec[] = [
  { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
];

const scanPieces = ['{', '}', '[', ']', '"', "'", '\\', '//', '/*', '*/', '\n', '```', 'a', ' ', ':', 'x'];
const scanText = fc.array(fc.constantFrom(...scanPieces), { maxLength: 50 }).map((p) => p.join(''));

function openers(text: string): number[] {
  return Array.from(text).flatMap((c, i) => (c === '{' || c === '[' ? [i] : []));
}

/** Fastest of `runs` calls, in ms. */
function time(fn: () => unknown, runs = 5): number {
  return fastestTime(fn, runs);
}

describe('BalancedCache', () => {
  it('finds the extent scanBalanced finds, whatever the order of the questions and the limits', () => {
    fc.assert(
      fc.property(
        scanText,
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        (text, order, cuts) => {
          const cache = new BalancedCache(text);
          const starts = openers(text);
          // In text order (as scanRegion asks), then in a shuffled order, under several limits.
          const asked = [...starts, ...order.flatMap((k) => starts.slice(k % Math.max(1, starts.length)).slice(0, 1))];
          const limits = [text.length, ...cuts.map((c) => c % (text.length + 1))];
          for (const limit of limits) {
            for (const start of asked) {
              if (start >= limit) continue;
              expect(cache.scan(start, limit), `${JSON.stringify(text)} from ${start} to ${limit}`).toEqual(
                scanBalanced(text, start, limit),
              );
            }
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('parseToolCalls — linear time', () => {
  const n = 128_000;
  const fill = (unit: string): string => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
  const pathological: Record<string, string> = {
    'unclosed {': fill('{'),
    'unclosed {"a":': fill('{"a":'),
    'unclosed [': fill('['),
    'nested [[…x…]]': `${'['.repeat(n / 2)}x${']'.repeat(n / 2)}`,
    'nested {{…}}': `${'{'.repeat(n / 2)}${'}'.repeat(n / 2)}`,
    'unclosed with a name': fill('{"x":"get_weather",'),
    'pythonic f(f(': fill('get_weather('),
    'bold markers': fill('**a '),
    calls: fill('<tool_call>{"name":"get_weather","arguments":{"city":"Paris"}}</tool_call>\n'),
    'bare calls': fill('{"name":"get_weather","arguments":{"city":"Paris"}} then '),
  };

  // A ratio of times: a run disturbed by other work on the machine is tried again.
  it('costs a bounded multiple of plain prose of the same length', { timeout: 60_000, retry: 2 }, () => {
    const prose = fill('The quick brown fox jumps over the lazy dog. ');
    parseToolCalls(prose, functions); // warm-up
    const base = Math.max(
      time(() => parseToolCalls(prose, functions)),
      1,
    );
    for (const [name, text] of Object.entries(pathological)) {
      const ratio = time(() => parseToolCalls(text, functions)) / base;
      expect(ratio, name).toBeLessThan(30);
    }
  });

  it('still finds the calls in a long answer', () => {
    const result = parseToolCalls(pathological.calls ?? '', functions);
    expect(result.calls.length).toBeGreaterThan(1000);
    expect(result.calls[0]).toEqual({ name: 'get_weather', arguments: { city: 'Paris' } });
  });
});
