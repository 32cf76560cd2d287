/**
 * Type-aware comparison of one argument value against one acceptable value, as BFCL's AST checker does:
 * - numbers by value (an integer 3 equals 3.0); a number never equals its string form "3";
 * - strings after normalising: lower case, whitespace and the punctuation , . / - _ * ^ removed
 *   (BFCL's standardize_string), so "New York, NY" matches "new york ny";
 * - arrays element by element, in order; objects key by key, where each expected key holds a list of
 *   acceptable values (the possible-answer convention, "" meaning the key may be left out).
 */

export function normaliseString(s: string): string {
  return s.toLowerCase().replace(/[\s,./\-_*^]/g, '');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function numbersEqual(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Whether `actual` matches one of the acceptable values; "" accepts an omitted value (undefined). */
export function matchesAny(options: unknown[], actual: unknown): boolean {
  if (actual === undefined) return options.includes('');
  return options.some((option) => valueMatches(option, actual));
}

export function valueMatches(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') return numbersEqual(expected, actual);
  if (typeof expected === 'string' && typeof actual === 'string') {
    return normaliseString(expected) === normaliseString(actual);
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return expected.length === actual.length && expected.every((e, i) => valueMatches(e, actual[i]));
  }
  if (isPlainObject(expected) && isPlainObject(actual)) {
    if (Object.keys(actual).some((key) => !(key in expected))) return false;
    return Object.entries(expected).every(([key, options]) =>
      Array.isArray(options) ? matchesAny(options, actual[key]) : valueMatches(options, actual[key]),
    );
  }
  return expected === actual;
}
