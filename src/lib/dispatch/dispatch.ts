/**
 * Runs one validated call with its JavaScript handler. Every failure — an unknown name, a thrown
 * error, a timeout, an abort, a result that is not JSON — comes back as a DispatchResult with
 * `ok: false`, never as an exception, so the agent loop can feed it back to the model as text.
 *
 * On timeout or abort the handler's `signal` is aborted so a cooperative handler (fetch…) stops; one
 * that ignores it keeps running in the background, but its late result is discarded.
 *
 * Consent (issue 6): a function whose spec says `confirm: true` acts outside the conversation, so its
 * handler runs only after `options.confirm` answered 'allow' for this call. The gate sits here, in the
 * one place that calls handlers, so no caller can forget it: without a `confirm` option such a call
 * is declined, never run. Waiting for the user counts neither toward the call's timeout nor its `ms`.
 */
import type { ConfirmCall, DispatchErrorKind, DispatchResult } from '../types/dispatch.ts';
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { ToolCall } from '../types/toolCall.ts';
import type { FunctionRegistry } from './registry.ts';
import { toJsonText } from './toJsonText.ts';
import { jsonStringify } from '../text/jsonStringify.ts';
import { findReservedKey, plainCopy, reservedKeyMessage } from '../validate/reservedKeys.ts';

export interface DispatchOptions {
  /** Aborting it stops the call with kind `aborted`. */
  signal?: AbortSignal;
  /** Limit for one call; default 30 s. 0 or Infinity: no limit. */
  timeoutMs?: number;
  /** Asks the user before a function marked `confirm` runs. Without it such calls are declined. */
  confirm?: ConfirmCall;
  /** Passed to `confirm` so the question can be shown on the call's card; default a new UUID. */
  callId?: string;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

type Outcome = { ok: true; value: unknown } | { ok: false; kind: DispatchErrorKind; message: string };

export async function dispatch(
  given: ToolCall,
  registry: FunctionRegistry,
  options: DispatchOptions = {},
): Promise<DispatchResult> {
  // What the consent question shows and the handler reads is one fresh plain copy of the arguments'
  // own keys, so nothing inherited (a `__proto__` smuggled past the card) reaches the handler.
  const reserved = findReservedKey(given.arguments);
  if (reserved !== undefined) {
    return {
      ok: false,
      error: { kind: 'invalid_arguments', message: reservedKeyMessage(reserved, given.name) },
      ms: 0,
    };
  }
  const copied = plainCopy(given.arguments);
  const call: ToolCall = { name: given.name, arguments: isPlainRecord(copied) ? copied : {} };
  const entry = registry.get(call.name);
  if (entry?.spec.confirm === true) {
    const refused = await askConsent(call, entry.spec, options);
    if (refused) return { ok: false, error: { kind: refused.kind, message: refused.message }, ms: 0 };
  }
  const started = performance.now();
  const outcome = await run(call, registry, options);
  const ms = performance.now() - started;
  if (!outcome.ok) return { ok: false, error: { kind: outcome.kind, message: outcome.message }, ms };
  const json = toJsonText(outcome.value);
  if (!json.ok) {
    return {
      ok: false,
      error: { kind: 'not_serializable', message: `${call.name} returned a value that is not JSON: ${json.reason}.` },
      ms,
    };
  }
  return { ok: true, value: json.value, json: json.json, ms };
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the model is told when the user says no: a plain fact it can answer with, not an error to retry. */
export function declinedMessage(name: string): string {
  return `The user declined to run ${name}.`;
}

/**
 * Asks for consent to one call. Returns null when the call may run, else why it may not.
 * A stop while the question is open withdraws it (kind `aborted`); a `confirm` that throws counts as no.
 */
async function askConsent(
  call: ToolCall,
  spec: FunctionSpec,
  options: DispatchOptions,
): Promise<Extract<Outcome, { ok: false }> | null> {
  const stopped = { ok: false, kind: 'aborted', message: `${call.name} was stopped before it finished.` } as const;
  const signal = options.signal ?? new AbortController().signal;
  if (signal.aborted) return stopped;
  if (!options.confirm) {
    return {
      ok: false,
      kind: 'declined',
      message: `${call.name} needs the user's consent to run, and there was no way to ask.`,
    };
  }
  const confirm = options.confirm;
  let onAbort: (() => void) | undefined;
  const withdrawn = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const decision = await Promise.race([
      (async () => confirm({ callId: options.callId ?? crypto.randomUUID(), call, spec, signal }))().catch(
        () => 'deny' as const,
      ),
      withdrawn,
    ]);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- it can change while consent is awaited
    if (decision === 'aborted' || signal.aborted) return stopped;
    return decision === 'allow' ? null : { ok: false, kind: 'declined', message: declinedMessage(call.name) };
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

async function run(call: ToolCall, registry: FunctionRegistry, options: DispatchOptions): Promise<Outcome> {
  const entry = registry.get(call.name);
  if (!entry) {
    const known =
      registry
        .specs()
        .map((s) => s.name)
        .join(', ') || 'none';
    return {
      ok: false,
      kind: 'unknown_function',
      message: `Unknown function "${call.name}". Known functions: ${known}.`,
    };
  }
  const stopped = (kind: 'aborted' | 'timeout'): Outcome =>
    kind === 'aborted'
      ? { ok: false, kind, message: `${call.name} was stopped before it finished.` }
      : { ok: false, kind, message: `${call.name} did not finish within ${timeoutMs} ms.` };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (options.signal?.aborted) return stopped('aborted');

  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const interrupted = new Promise<Outcome>((resolve) => {
    onAbort = () => {
      controller.abort(options.signal?.reason);
      resolve(stopped('aborted'));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
      timer = setTimeout(() => {
        controller.abort(new Error('timeout'));
        resolve(stopped('timeout'));
      }, timeoutMs);
    }
  });
  const running = (async (): Promise<Outcome> => {
    try {
      return { ok: true, value: await entry.handler(call.arguments, { signal: controller.signal }) };
    } catch (error) {
      // A handler with a time limit of its own (the user-function sandbox kills a call that runs too
      // long) reports it as a *TimeoutError: it is a timeout, not a bug in the function.
      if (error instanceof Error && error.name.endsWith('TimeoutError')) {
        return { ok: false, kind: 'timeout', message: `${call.name} timed out: ${describeThrown(error)}` };
      }
      return { ok: false, kind: 'thrown', message: `${call.name} failed: ${describeThrown(error)}` };
    }
  })();
  try {
    return await Promise.race([running, interrupted]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Text for whatever a handler threw; even a thrown value whose toString throws must not escape. */
function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) return error.message || error.name;
    return typeof error === 'string' ? error : (jsonStringify(error) ?? String(error));
  } catch {
    return 'an unreadable error value';
  }
}
