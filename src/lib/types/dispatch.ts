import type { FunctionSpec } from './functionSpec.ts';
import type { ToolCall } from './toolCall.ts';

/** A JavaScript function the model can call. Sync or async; may throw. */
export type FunctionHandler = (args: Record<string, unknown>, context: { signal: AbortSignal }) => unknown;

/**
 * `declined`: a function marked `confirm` was not run because the user said no (or could not be asked).
 * `interrupted`: never produced by the dispatcher; the app marks so a call it finds unfinished in a
 * stored conversation (the page closed while it ran or waited for consent), so it never shows as done.
 * `invalid_arguments`: the arguments use a reserved key (`__proto__`…, validate/reservedKeys.ts).
 */
export type DispatchErrorKind =
  | 'unknown_function'
  | 'thrown'
  | 'timeout'
  | 'aborted'
  | 'not_serializable'
  | 'declined'
  | 'interrupted'
  | 'invalid_arguments';

/**
 * The outcome of running one call: never an exception. `truncatedFrom`: the result (or error text)
 * was longer than the limit and was cut (lib/agent/limitResult.ts); this was its length in characters.
 */
export type DispatchResult =
  | {
      ok: true;
      value: unknown;
      /** the value as JSON text, what is fed back to the model */ json: string;
      ms: number;
      truncatedFrom?: number;
    }
  | { ok: false; error: { kind: DispatchErrorKind; message: string }; ms: number; truncatedFrom?: number };

export interface RegisteredFunction {
  spec: FunctionSpec;
  handler: FunctionHandler;
}

/** The user's answer to "run this call?". */
export type ConsentDecision = 'allow' | 'deny';

/** One call of a function marked `confirm`, waiting for the user's consent. */
export interface ConsentRequest {
  /** Ties the question to the call's card (the agent loop's `callId`). */
  callId: string;
  call: ToolCall;
  spec: FunctionSpec;
  /** Aborted when the reply is stopped: the question is withdrawn and the call is not run. */
  signal: AbortSignal;
}

/**
 * Asks the user whether a call of a function marked `confirm` may run. Anything but 'allow' (a
 * rejection included) means the call is not run.
 */
export type ConfirmCall = (request: ConsentRequest) => ConsentDecision | Promise<ConsentDecision>;
