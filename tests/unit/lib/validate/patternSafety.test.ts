/**
 * Issue 14: a schema `pattern` must not freeze the page. Exponential patterns are refused when the
 * function is defined; the rest run only on texts short enough for their worst case.
 */
import { describe, expect, it } from 'vitest';
import { checkArguments } from '../../../../src/lib/validate/argumentValidator.ts';
import { checkPattern, maxInputFor } from '../../../../src/lib/validate/patternSafety.ts';
import { validateFunctionSpec } from '../../../../src/lib/validate/validateFunctionSpec.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';

const withPattern = (pattern: string): FunctionSpec => ({
  name: 'f',
  parameters: { type: 'object', properties: { s: { type: 'string', pattern } } },
});

describe('schema patterns', () => {
  it('refuses ^(a+)+$ at definition time, saying why', () => {
    const check = validateFunctionSpec(withPattern('^(a+)+$'));
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reasons.join(' ')).toContain('may take exponential time: a nested quantifier in "(a+)+"');
  });

  it.each([
    ['(a*)*', 'nested quantifier'],
    ['^(?:\\w+\\s?)*$', 'nested quantifier'],
    ['^(a|aa)+$', 'alternation inside a repeated group'],
    ['^((ab)*c)+$', 'nested quantifier'],
    ['^(a{1,3})+$', 'nested quantifier'],
    ['(a)\\1', 'backreference'],
    ['(?<x>a)\\k<x>', 'backreference'],
    ['a(?=b)', 'lookaround'],
    ['(?<!a)b', 'lookaround'],
    ['^a*a*a*a*a*b$', 'unbounded repeats'],
    ['(', 'not a valid regular expression'],
  ])('refuses %s (%s)', (pattern, why) => {
    const check = checkPattern(pattern);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toContain(why);
    expect(validateFunctionSpec(withPattern(pattern)).ok).toBe(false);
  });

  it.each([
    '^[a-z]+$',
    '^\\d{4}-\\d{2}-\\d{2}$',
    '^(\\d{1,3}\\.){3}\\d{1,3}$',
    '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
    '^https?://',
    '^\\p{L}+$',
    '^(foo|bar)$',
    '[(+*)]',
  ])('accepts %s', (pattern) => {
    expect(checkPattern(pattern).ok).toBe(true);
    expect(validateFunctionSpec(withPattern(pattern)).ok).toBe(true);
  });

  it('refuses a dangerous patternProperties key, but not a "pattern" key inside const/enum data', () => {
    const spec = { name: 'f', parameters: { type: 'object', patternProperties: { '^(a+)+$': { type: 'string' } } } };
    const check = validateFunctionSpec(spec);
    expect(!check.ok && check.reasons.join(' ')).toContain('"patternProperties" key');
    const data = { name: 'f', parameters: { type: 'object', properties: { o: { const: { pattern: '(a+)+' } } } } };
    expect(validateFunctionSpec(data).ok).toBe(true);
  });

  it('a schema that skipped the definition check is still refused when arguments are checked, quickly', () => {
    const started = performance.now();
    const result = checkArguments(withPattern('^(a+)+$'), { s: `${'a'.repeat(40)}!` });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('exponential');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('runs an accepted pattern exactly as written on short texts', () => {
    const spec = withPattern('^[a-z]+@[a-z]+\\.[a-z]+$');
    expect(checkArguments(spec, { s: 'ann@example.org' })).toEqual({ ok: true });
    const bad = checkArguments(spec, { s: 'ann@example' });
    expect(!bad.ok && bad.message).toContain('^[a-z]+@[a-z]+\\\\.[a-z]+$');
    expect(checkArguments(withPattern('b'), { s: 'abc' })).toEqual({ ok: true }); // unanchored stays unanchored
    expect(checkArguments(withPattern('^b'), { s: 'abc' }).ok).toBe(false);
  });

  it('refuses a text longer than the pattern can check in time, in well under a second', () => {
    const spec = withPattern('^a*a*a*a*b$');
    const limit = maxInputFor(4);
    expect(checkArguments(spec, { s: 'a'.repeat(limit - 1) + 'b' })).toEqual({ ok: true });
    const started = performance.now();
    expect(checkArguments(spec, { s: 'a'.repeat(5000) }).ok).toBe(false);
    expect(checkArguments(spec, { s: 'a'.repeat(limit) }).ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('bounds object keys checked by patternProperties', () => {
    const spec: FunctionSpec = {
      name: 'f',
      parameters: { type: 'object', patternProperties: { '^x*y*z*w*$': { type: 'number' } } },
    };
    const long = 'x'.repeat(5000) + 'q';
    const result = checkArguments(spec, { [long]: 1 });
    expect(result.ok).toBe(false);
    expect(checkArguments(spec, { xxyy: 1 })).toEqual({ ok: true });
  });
});
