/**
 * The wire format of engine errors across the worker boundary: `{ name, message, data }`, plain and
 * structured-clone safe. The worker sorts a failure into our classes before sending it
 * (normalizeError.ts), and the main thread rebuilds the same class from its name, so callers can
 * still tell one failure from another by `instanceof` — unlike web-llm's worker, which sends
 * `err.toString()`.
 */
import { ENGINE_ERROR_CLASSES, type EngineError, type ErrorData } from './errors.ts';
import { normalizeError } from './normalizeError.ts';

export interface SerializedError {
  name: string;
  message: string;
  data: ErrorData;
}

/** For postMessage: keeps the class name and the data fields; drops the stack and the cause. */
export function serializeError(e: unknown, phase: 'load' | 'generate' | 'other' = 'other'): SerializedError {
  const err = normalizeError(e, phase);
  const data: ErrorData = {};
  for (const [k, v] of Object.entries(err.data)) if (v !== undefined) data[k] = v;
  return { name: err.name, message: err.message, data };
}

/** Rebuilds the class from the wire; names we do not own (web-llm's) are sorted like thrown errors. */
export function deserializeError(wire: SerializedError): EngineError {
  const C = ENGINE_ERROR_CLASSES[wire.name];
  if (C) return new C(wire.message, { ...wire.data });
  const err = new Error(wire.message);
  err.name = wire.name;
  return normalizeError(err, 'other', wire.data);
}
