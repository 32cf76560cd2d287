/**
 * Keys that must never name an argument (issue 14).
 *
 * `args[key] = value` on a plain object treats `__proto__` as the prototype setter: a model writing
 * `set_timer(__proto__={"seconds": 2})` would get an object with *no own keys* (the call card shows
 * "No arguments.", the schema check passes) whose handler still reads `args.seconds` through the
 * prototype. `constructor` and `prototype` are refused with it: they shadow what code expects to
 * find on every object, and no real function needs an argument of that name.
 *
 * So every object built from model or host text is built with `setOwnKey` (an own data property even
 * for `__proto__`), checked with `findReservedKey` (own keys at any depth, and any prototype other
 * than Object.prototype or null), and the dispatcher hands handlers a `plainCopy`.
 */
import { jsonStringify } from '../text/jsonStringify.ts';

export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

const RESERVED = new Set(RESERVED_KEYS);

export function isReservedKey(key: string): boolean {
  return RESERVED.has(key);
}

/** Sets `key` as an own, enumerable data property, whatever the key (never the `__proto__` setter). */
export function setOwnKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Deeper than any real argument: stops a hostile nesting from exhausting the stack. */
const MAX_DEPTH = 200;

/**
 * The first reserved key in `value` (own keys of every nested object and array element), or
 * `'__proto__'` for an object whose prototype was changed; undefined when there is none.
 */
export function findReservedKey(value: unknown): string | undefined {
  const seen = new Set<object>();
  const visit = (v: unknown, depth: number): string | undefined => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return undefined;
    if (depth > MAX_DEPTH) return undefined;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const element of v) {
        const found = visit(element, depth + 1);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    // An inherited value is one the card cannot show and the validator does not check.
    if (proto !== Object.prototype && proto !== null) return '__proto__';
    for (const key of Object.keys(v)) {
      if (RESERVED.has(key)) return key;
      const found = visit((v as Record<string, unknown>)[key], depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(value, 0);
}

/** The message for an argument object holding a reserved key; `name` is the function. */
export function reservedKeyMessage(key: string, name: string): string {
  return `The arguments of ${name} use the key "${key}", which is not allowed as an argument name (it could change what the function receives).`;
}

/**
 * A fresh copy of arguments for a handler: own enumerable keys only, at every depth, on plain
 * objects, so the handler reads exactly what the card showed and the validator checked. Values
 * that are not plain objects or arrays (strings, numbers…; arguments are JSON) are kept as they are.
 */
export function plainCopy(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // Past the depth bound, JSON's own round trip (own enumerable keys, fresh plain objects) finishes
  // the copy without recursion of ours; a value it cannot copy is dropped rather than passed on.
  if (depth > MAX_DEPTH) return jsonCopy(value);
  if (Array.isArray(value)) return value.map((element: unknown) => plainCopy(element, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value))
    setOwnKey(copy, key, plainCopy((value as Record<string, unknown>)[key], depth + 1));
  return copy;
}

function jsonCopy(value: object): unknown {
  try {
    const text = jsonStringify(value);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}
