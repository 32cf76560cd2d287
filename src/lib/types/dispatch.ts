import type { FunctionSpec } from './functionSpec.ts';

/** A JavaScript function the model can call. Sync or async; may throw. */
export type FunctionHandler = (
  args: Record<string, unknown>,
  context: { signal: AbortSignal },
) => unknown | Promise<unknown>;

export type DispatchErrorKind = 'unknown_function' | 'thrown' | 'timeout' | 'aborted' | 'not_serializable';

/** The outcome of running one call: never an exception. */
export type DispatchResult =
  | { ok: true; value: unknown; /** the value as JSON text, what is fed back to the model */ json: string; ms: number }
  | { ok: false; error: { kind: DispatchErrorKind; message: string }; ms: number };

export interface RegisteredFunction {
  spec: FunctionSpec;
  handler: FunctionHandler;
}
