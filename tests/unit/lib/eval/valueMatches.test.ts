import { describe, expect, it } from 'vitest';
import { matchesAny, valueMatches } from '../../../../src/lib/eval/valueMatches.ts';

describe('valueMatches', () => {
  it('compares numbers by value, never against their string form', () => {
    expect(valueMatches(3, 3.0)).toBe(true);
    expect(valueMatches(0.1 + 0.2, 0.3)).toBe(true);
    expect(valueMatches(3, 4)).toBe(false);
    expect(valueMatches(3, '3')).toBe(false);
  });

  it('normalises case, whitespace and light punctuation in strings', () => {
    expect(valueMatches('New York, NY', 'new york ny')).toBe(true);
    expect(valueMatches('Paris', '  PARIS ')).toBe(true);
    expect(valueMatches('Paris', 'Parisian')).toBe(false);
  });

  it('compares arrays in order and objects key by key with acceptable values', () => {
    expect(valueMatches([1, 2], [1, 2])).toBe(true);
    expect(valueMatches([1, 2], [2, 1])).toBe(false);
    expect(valueMatches({ city: ['Rome', 'Roma'], zip: [''] }, { city: 'roma' })).toBe(true);
    expect(valueMatches({ city: ['Rome'] }, { city: 'Rome', extra: 1 })).toBe(false);
    expect(valueMatches(true, 'true')).toBe(false);
  });

  it('treats "" as "may be omitted"', () => {
    expect(matchesAny(['celsius', ''], undefined)).toBe(true);
    expect(matchesAny(['celsius'], undefined)).toBe(false);
    expect(matchesAny(['celsius', ''], 'kelvin')).toBe(false);
  });
});
