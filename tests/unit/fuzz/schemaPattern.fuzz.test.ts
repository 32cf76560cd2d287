/**
 * Fuzzes schema patterns (issue 14): random regular expressions built from atoms, classes, groups,
 * alternation and every kind of quantifier, nested at random, each checked against adversarial texts
 * (runs of the pattern's own characters, with a character at the end that makes the match fail, at
 * lengths up to past the bound). The property: a pattern validateFunctionSpec accepts never takes
 * long to check any argument (the page cannot freeze); a refused one always comes with a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkArguments } from '../../../src/lib/validate/argumentValidator.ts';
import { validateFunctionSpec } from '../../../src/lib/validate/validateFunctionSpec.ts';
import type { FunctionSpec } from '../../../src/lib/types/functionSpec.ts';
import { runFuzz } from './runFuzz.ts';

const atom = fc.constantFrom('a', 'b', '[ab]', '\\w', '.', '\\s', '[^b]', 'a?');
const quantifier = fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}', '{2,}', '*?', '+?');

const pattern: fc.Arbitrary<string> = fc
  .letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.tuple(atom, quantifier).map(([a, q]) => a + q),
      fc
        .tuple(fc.array(tie('node'), { minLength: 1, maxLength: 3 }), quantifier)
        .map(([parts, q]) => `(?:${parts.join('')})${q}`),
      fc.tuple(tie('node'), tie('node'), quantifier).map(([x, y, q]) => `(${x}|${y})${q}`),
      fc.array(tie('node'), { minLength: 2, maxLength: 4 }).map((parts) => parts.join('')),
    ),
  }))
  .node.map((body) => `^${body}$`);

describe('schema patterns never freeze argument checking', () => {
  it('accepted patterns check adversarial texts quickly; refused ones say why', async () => {
    await runFuzz(
      'schema patterns: accepted ones check adversarial texts in bounded time',
      fc.property(
        pattern,
        fc.constantFrom('a', 'ab', ' a', 'b'),
        fc.constantFrom(20, 60, 200, 1000, 5000),
        (p, unit, length) => {
          const spec: FunctionSpec = {
            name: 'f',
            parameters: { type: 'object', properties: { s: { type: 'string', pattern: p } } },
          };
          const check = validateFunctionSpec(spec);
          if (!check.ok) {
            expect(check.reasons.join(' ')).toMatch(/pattern/);
            return;
          }
          const text = unit.repeat(Math.ceil(length / unit.length)).slice(0, length) + '!';
          const started = performance.now();
          checkArguments(spec, { s: text });
          expect(performance.now() - started, `${p} on ${text.length} characters`).toBeLessThan(1500);
        },
      ),
      { seed: 6603, numRuns: 400 },
    );
  }, 120_000);
});
