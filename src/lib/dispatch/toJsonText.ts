/**
 * A function result as the JSON text fed back to the model. JSON.stringify silently drops functions
 * and symbols and throws a bare TypeError on BigInt and cycles; a result the model would receive
 * mangled is an error instead, with a reason the user can fix. `undefined` (a function that returns
 * nothing) is the JSON `null`.
 */
import { errorMessage } from '../errors.ts';

export type JsonText = { ok: true; value: unknown; json: string } | { ok: false; reason: string };

class UnserializableValue extends Error {
  override readonly name = 'UnserializableValue';
}

export function toJsonText(value: unknown): JsonText {
  if (value === undefined) return { ok: true, value: null, json: 'null' };
  try {
    const json = JSON.stringify(value, (key, v: unknown) => {
      const where = key === '' ? 'the result' : `"${key}"`;
      if (typeof v === 'function') throw new UnserializableValue(`${where} is a function`);
      if (typeof v === 'symbol') throw new UnserializableValue(`${where} is a symbol`);
      if (typeof v === 'bigint') throw new UnserializableValue(`${where} is a BigInt`);
      return v;
    });
    return { ok: true, value, json };
  } catch (error) {
    if (error instanceof UnserializableValue) return { ok: false, reason: error.message };
    // JSON.stringify's own TypeError: a cycle (or a toJSON that threw).
    const message = errorMessage(error);
    return { ok: false, reason: /circular/i.test(message) ? 'the result refers to itself (a cycle)' : message };
  }
}
