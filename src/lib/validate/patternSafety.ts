/**
 * Keeps a schema's `pattern` / `patternProperties` from freezing the page (issue 14).
 *
 * The validator runs them with the browser's backtracking RegExp on the main thread, where
 * `^(a+)+$` takes time doubling with each character, and even `^a*a*a*a*b$` takes minutes on 1,000
 * characters (measured in Node 22: two minutes). There is no linear-time matcher among our
 * dependencies, so instead:
 *
 * 1. At definition time a pattern is refused when it can take exponential time or cannot be bounded:
 *    a repeated group that itself repeats (`(a+)+`), alternation inside a repeated group (`(a|ab)+`),
 *    backreferences and lookarounds, or more than MAX_REPEATS unbounded repeats.
 * 2. What is left takes at most about n^(k+1) steps for k unbounded repeats (the +1: an unanchored
 *    pattern is tried at every start). Each such pattern is rewritten in the validator's own copy of
 *    the schema to refuse, in one linear step, any text longer than the length that keeps n^(k+1)
 *    within STEP_BUDGET; object keys (patternProperties) are bounded the same way by the caller.
 *
 * The scanner reads the `u`-flag syntax the validator uses. It is conservative: when in doubt
 * (an escape it does not know) it treats the character as one ordinary atom, which can only make a
 * repeat count higher.
 */

import { errorMessage } from '../errors.ts';

/** More unbounded repeats than this and the safe input length gets too short to be useful. */
export const MAX_REPEATS = 4;
/** Backtracking steps one pattern may take (V8 takes about 4 ns a step: well under a second). */
const STEP_BUDGET = 2.5e7;
/** A text longer than this is never checked against a pattern, whatever the pattern. */
export const MAX_PATTERN_INPUT = 10_000;

export type PatternCheck = { ok: true; repeats: number; maxInput: number } | { ok: false; reason: string };

interface Frame {
  /** Where the group opened in the pattern (for the message). */
  start: number;
  repeats: boolean;
  unbounded: boolean;
  alternation: boolean;
}

/** Whether `pattern` is safe to run, and the longest text it may be run on. */
export function checkPattern(pattern: string): PatternCheck {
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    return {
      ok: false,
      reason: `the pattern ${show(pattern)} is not a valid regular expression (${errorMessage(error)})`,
    };
  }
  const stack: Frame[] = [{ start: 0, repeats: false, unbounded: false, alternation: false }];
  /** The last atom: a closed group carries what was inside it. */
  let last: { group?: Frame; start: number } | undefined;
  let unboundedCount = 0;
  const hazard = (what: string, from: number, to: number): PatternCheck => ({
    ok: false,
    reason: `the pattern ${show(pattern)} may take exponential time: ${what} in ${show(pattern.slice(from, to))}`,
  });
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    const top = stack[stack.length - 1] ?? { start: 0, repeats: false, unbounded: false, alternation: false };
    if (c === '\\') {
      const next = pattern.charAt(i + 1);
      if (/[1-9]/.test(next) || (next === 'k' && pattern.charAt(i + 2) === '<'))
        return hazard('a backreference', i, i + 2);
      let end = i + 2;
      // \p{…}, \P{…}, \u{…}: the braces belong to the escape, not a repeat count.
      if (/[pPu]/.test(next) && pattern.charAt(i + 2) === '{') end = pattern.indexOf('}', i) + 1 || pattern.length;
      last = { start: i };
      i = end;
    } else if (c === '[') {
      let j = i + 1;
      while (j < pattern.length && pattern.charAt(j) !== ']') j += pattern.charAt(j) === '\\' ? 2 : 1;
      last = { start: i };
      i = j + 1;
    } else if (c === '(') {
      if (/^\(\?<?[=!]/.test(pattern.slice(i, i + 4))) {
        return {
          ok: false,
          reason: `the pattern ${show(pattern)} uses a lookaround (${show(pattern.slice(i, i + 4))}), which is not allowed: its running time cannot be bounded`,
        };
      }
      stack.push({ start: i, repeats: false, unbounded: false, alternation: false });
      last = undefined;
      i += 1;
    } else if (c === ')') {
      const group = stack.pop() ?? top;
      const parent = stack[stack.length - 1];
      if (parent) {
        // What is inside a group is inside every group around it too.
        parent.repeats ||= group.repeats;
        parent.unbounded ||= group.unbounded;
        parent.alternation ||= group.alternation;
      }
      last = { group, start: group.start };
      i += 1;
    } else if (c === '|') {
      top.alternation = true;
      last = undefined;
      i += 1;
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(?:,\d*)?\}/.test(pattern.slice(i)))) {
      let end = i + 1;
      let max = c === '?' ? 1 : Infinity;
      if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
        end = i + (m?.[0].length ?? 1);
        max = m?.[2] === undefined ? Number(m?.[1]) : m[3] === '' ? Infinity : Number(m[3]);
      }
      if (pattern.charAt(end) === '?') end += 1; // lazy: the same worst case
      const group = last?.group;
      if (group && max > 1) {
        if (group.alternation) return hazard('alternation inside a repeated group', group.start, end);
        if (group.unbounded || (group.repeats && max === Infinity))
          return hazard('a nested quantifier', group.start, end);
      }
      if (max > 1) top.repeats = true;
      if (max === Infinity) {
        top.unbounded = true;
        unboundedCount += 1;
      }
      last = undefined;
      i = end;
    } else {
      last = { start: i };
      i += 1;
    }
  }
  if (unboundedCount > MAX_REPEATS) {
    return {
      ok: false,
      reason: `the pattern ${show(pattern)} has ${unboundedCount} unbounded repeats (*, +, {n,}); at most ${MAX_REPEATS} keep its running time bounded`,
    };
  }
  return { ok: true, repeats: unboundedCount, maxInput: maxInputFor(unboundedCount) };
}

/** The longest text a pattern with `repeats` unbounded repeats may be run on within STEP_BUDGET. */
export function maxInputFor(repeats: number): number {
  const exponent = repeats + 1;
  let factorial = 1;
  for (let k = 2; k <= exponent; k += 1) factorial *= k;
  // About n^e / e! backtracking steps for e nested choices of split points.
  return Math.min(MAX_PATTERN_INPUT, Math.floor((STEP_BUDGET * factorial) ** (1 / exponent)));
}

const BOUND = /^\^\(\?=\[\\s\\S\]\{0,\d+\}\$\)\[\\s\\S\]\*\?\(\?:([\s\S]*)\)$/;

/**
 * The pattern rewritten to fail at once, in linear time, on a text longer than `maxInput`, and
 * otherwise to match exactly where the original matches (the lazy prefix is the unanchored search).
 */
export function boundPattern(pattern: string, maxInput: number): string {
  return `^(?=[\\s\\S]{0,${maxInput}}$)[\\s\\S]*?(?:${pattern})`;
}

/** The pattern as the schema wrote it, for messages (undoes boundPattern). */
export function originalPattern(pattern: string): string {
  return BOUND.exec(pattern)?.[1] ?? pattern;
}

/** Keywords whose values are data, not schemas: a "pattern" key inside them is no pattern. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);

/** Every `pattern` and `patternProperties` key in a schema (any depth), with its location. */
export function schemaPatterns(schema: unknown): { pattern: string; keyword: 'pattern' | 'patternProperties' }[] {
  const found: { pattern: string; keyword: 'pattern' | 'patternProperties' }[] = [];
  const seen = new Set<object>();
  const walk = (node: unknown, depth: number): void => {
    if (typeof node !== 'object' || node === null || seen.has(node) || depth > 64) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach((child: unknown) => walk(child, depth + 1));
    const record = node as Record<string, unknown>;
    if (typeof record['pattern'] === 'string') found.push({ pattern: record['pattern'], keyword: 'pattern' });
    const props = record['patternProperties'];
    if (typeof props === 'object' && props !== null && !Array.isArray(props)) {
      for (const key of Object.keys(props)) found.push({ pattern: key, keyword: 'patternProperties' });
    }
    for (const [key, value] of Object.entries(record)) if (!DATA_KEYWORDS.has(key)) walk(value, depth + 1);
  };
  walk(schema, 0);
  return found;
}

/** Why the schema's patterns cannot run safely; empty when they can. */
export function checkSchemaPatterns(schema: unknown): string[] {
  const reasons: string[] = [];
  for (const { pattern, keyword } of schemaPatterns(schema)) {
    const check = checkPattern(pattern);
    if (!check.ok)
      reasons.push(`${keyword === 'pattern' ? 'A "pattern"' : 'A "patternProperties" key'}: ${check.reason}.`);
  }
  return reasons;
}

/**
 * Rewrites every `pattern` in `schema` (the validator's own copy) with boundPattern. Returns the
 * longest object key the `patternProperties` patterns may be run on (keys are not rewritten: a key
 * that does not match a pattern is a different outcome, not an error), or undefined without any.
 * Call only after checkSchemaPatterns found nothing.
 */
export function boundSchemaPatterns(schema: unknown): number | undefined {
  let keyLimit: number | undefined;
  const seen = new Set<object>();
  const walk = (node: unknown, depth: number): void => {
    if (typeof node !== 'object' || node === null || seen.has(node) || depth > 64) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach((child: unknown) => walk(child, depth + 1));
    const record = node as Record<string, unknown>;
    const pattern = record['pattern'];
    if (typeof pattern === 'string') {
      const check = checkPattern(pattern);
      if (check.ok) record['pattern'] = boundPattern(pattern, check.maxInput);
    }
    const props = record['patternProperties'];
    if (typeof props === 'object' && props !== null && !Array.isArray(props)) {
      for (const key of Object.keys(props)) {
        const check = checkPattern(key);
        if (check.ok) keyLimit = Math.min(keyLimit ?? Infinity, check.maxInput);
      }
    }
    for (const [key, value] of Object.entries(record)) if (!DATA_KEYWORDS.has(key)) walk(value, depth + 1);
  };
  walk(schema, 0);
  return keyLimit;
}

/** The first object key in `value` longer than `limit`, if any. */
export function longKey(value: unknown, limit: number): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (const element of value) {
      const found = longKey(element, limit);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    if (key.length > limit) return key;
    const found = longKey(child, limit);
    if (found !== undefined) return found;
  }
  return undefined;
}

function show(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
