/**
 * Fuzzes the BFCL import (issue 14): question files whose functions carry patterns that could freeze
 * the page, reserved keys (`__proto__`, `constructor`, `prototype`) as argument names, and schema
 * junk. The property: every function of an imported case passes the function editor's own checks
 * (validateFunctionSpec), and a question that is not imported is listed with a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBfcl } from '../../../src/lib/eval/loadBfcl.ts';
import { validateFunctionSpec } from '../../../src/lib/validate/validateFunctionSpec.ts';
import { runFuzz } from './runFuzz.ts';

const propertyName = fc.constantFrom('city', 'n', '__proto__', 'constructor', 'prototype', 'a.b', '');
const propertySchema = fc.oneof(
  fc.constantFrom({ type: 'string' }, { type: 'integer' }, { type: 'dict' }, { type: 'tuple' }, { type: 'any' }),
  fc.constantFrom('^(a+)+$', '(a|a)*b', '^[a-z]+$', '(', '\\d{3}', '(x*)*y').map((pattern) => ({
    type: 'string',
    pattern,
  })),
  fc.anything({ maxDepth: 2 }),
);
const parameters = fc.oneof(
  fc.array(fc.tuple(propertyName, propertySchema), { maxLength: 4 }).map((entries) => ({
    type: 'dict',
    properties: Object.fromEntries(entries),
    required: entries.map(([name]) => name),
  })),
  fc.anything({ maxDepth: 2 }),
);
const fn = fc.record({
  name: fc.constantFrom('get_weather', 'math.factorial', '__proto__', '1bad', 'x'.repeat(80)),
  description: fc.string({ maxLength: 40 }),
  parameters,
});
const line = fc
  .tuple(fc.nat({ max: 999 }), fc.oneof(fn, fc.array(fn, { maxLength: 3 }), fc.anything({ maxDepth: 1 })))
  .map(([n, f]) => JSON.stringify({ id: `simple_${n}`, question: [[{ role: 'user', content: 'Q?' }]], function: f }));

describe('BFCL import', () => {
  it('imports only functions the editor would accept and lists every refusal', async () => {
    await runFuzz(
      'BFCL import: functions with freezing patterns, reserved keys and schema junk',
      fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), (lines) => {
        const { cases, skipped } = loadBfcl(lines.join('\n'));
        for (const c of cases) {
          for (const f of c.functions) expect(validateFunctionSpec(f), JSON.stringify(f)).toMatchObject({ ok: true });
        }
        // Each line became a case or at least one listed reason (irrelevance cases need no answer).
        expect(cases.length + skipped.length).toBeGreaterThanOrEqual(lines.length);
        for (const s of skipped) expect(s.message.length).toBeGreaterThan(0);
      }),
      { seed: 1414, numRuns: 300 },
    );
  }, 120_000);
});
