/**
 * The widget's side of the host-function protocol (see protocol.ts): it accepts registrations from
 * the framing page, runs host functions by posting callama:call and waiting for the matching
 * callama:result, and refuses everything that does not come from a trusted sender.
 *
 * Decisions:
 * - The "host origin" is fixed by the first accepted callama:register; calls go to that origin only,
 *   and later messages from any other origin are ignored, even if allowed.
 * - Results are matched to calls by id; a result for an unknown (or already settled) id is ignored.
 * - A call that gets no answer within `callTimeoutMs` fails with HostCallTimeoutError; the agent loop
 *   shows it as an error card and feeds the message to the model.
 * - Names of built-in functions are reserved: a host cannot replace them.
 */
import { validateFunctionSpec } from '../lib/validate/validateFunctionSpec.ts';
import type { FunctionSpec } from '../lib/types/functionSpec.ts';
import type { FunctionHandler } from '../lib/types/dispatch.ts';
import {
  MAX_HOST_FUNCTIONS,
  MAX_HOST_SCHEMA_CHARS,
  PROTOCOL_VERSION,
  isTrustedSender,
  parseHostMessage,
  type MessageOrigin,
  type RefusedFunction,
  type RegisterMessage,
  type ResultMessage,
  type WidgetMessage,
} from './protocol.ts';
import { HostCallAbortedError, HostCallTimeoutError, HostFunctionError, HostUnavailableError } from './embedErrors.ts';

/**
 * How long the widget waits for the HOST PAGE to answer a call, unless the site owner sets
 * `callTimeoutMs` (README "Embedding": default 10 s). Deliberately not the agent loop's
 * DEFAULT_CALL_TIMEOUT_MS (15 s, src/lib/agent/runAgent.ts): that one bounds a whole call on the
 * widget's side and must outlast this one, so the host's silence surfaces as HostCallTimeoutError
 * (embedChat.svelte.ts sets the loop's limit to this plus a margin).
 */
export const DEFAULT_HOST_CALL_TIMEOUT_MS = 10_000;

/** The name a definition claims, for the refusal list; null when it has none that is text. */
function nameOf(raw: unknown): string | null {
  const rawName = typeof raw === 'object' && raw !== null && 'name' in raw ? raw.name : undefined;
  return typeof rawName === 'string' ? rawName : null;
}

/** The parent window as the bridge uses it. */
export interface ParentTarget {
  postMessage(message: WidgetMessage, targetOrigin: string): void;
}

export interface HostBridgeOptions {
  /** `window.parent`, or null when the widget is not framed. */
  parent: ParentTarget | null;
  allowedOrigins: readonly string[];
  callTimeoutMs?: number;
  /** Names the host may not take (the enabled built-in functions). */
  reservedNames?: () => Iterable<string>;
  /** Called after the set of host functions changed. */
  onChange?: (specs: FunctionSpec[]) => void;
  warn?: (message: string) => void;
  newId?: () => string;
}

interface PendingCall {
  name: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  cleanup: () => void;
}

export class HostBridge {
  readonly #parent: ParentTarget | null;
  readonly #allowed: readonly string[];
  readonly #timeoutMs: number;
  readonly #reserved: () => Iterable<string>;
  readonly #onChange: (specs: FunctionSpec[]) => void;
  readonly #warn: (message: string) => void;
  readonly #newId: () => string;
  readonly #functions = new Map<string, FunctionSpec>();
  /** JSON length of each registered definition, for the total cap (MAX_HOST_SCHEMA_CHARS). */
  readonly #sizes = new Map<string, number>();
  readonly #pending = new Map<string, PendingCall>();
  #hostOrigin: string | null = null;

  constructor(options: HostBridgeOptions) {
    this.#parent = options.parent;
    this.#allowed = options.allowedOrigins;
    this.#timeoutMs = options.callTimeoutMs ?? DEFAULT_HOST_CALL_TIMEOUT_MS;
    this.#reserved = options.reservedNames ?? (() => []);
    this.#onChange = options.onChange ?? (() => {});
    this.#warn = options.warn ?? ((message) => console.warn(message));
    this.#newId = options.newId ?? (() => crypto.randomUUID());
  }

  /** The origin whose registration was accepted; null until then. */
  get hostOrigin(): string | null {
    return this.#hostOrigin;
  }

  /** Host functions currently registered, in registration order. */
  get specs(): FunctionSpec[] {
    return [...this.#functions.values()];
  }

  get callTimeoutMs(): number {
    return this.#timeoutMs;
  }

  /** Announces the widget to the parent, once per allowed origin; only the real parent origin gets it. */
  announce(): void {
    if (!this.#parent) return;
    for (const origin of this.#allowed) {
      this.#parent.postMessage({ type: 'callama:ready', version: PROTOCOL_VERSION }, origin);
    }
  }

  /** The window `message` listener. Returns whether the message was handled. */
  handleMessage = (event: MessageOrigin & { data: unknown }): boolean => {
    if (!isTrustedSender(event, this.#allowed, this.#parent)) {
      this.#warn(`[callama] ignored message from ${event.origin || 'an unknown origin'}`);
      return false;
    }
    if (this.#hostOrigin !== null && event.origin !== this.#hostOrigin) {
      this.#warn(`[callama] ignored message from ${event.origin}: the host is ${this.#hostOrigin}`);
      return false;
    }
    const message = parseHostMessage(event.data);
    if (!message) {
      this.#warn(`[callama] ignored malformed message from ${event.origin}`);
      return false;
    }
    switch (message.type) {
      case 'callama:register':
        this.#register(message, event.origin);
        return true;
      case 'callama:unregister':
        if (this.#hostOrigin === null) return false;
        for (const name of message.names) {
          this.#functions.delete(name);
          this.#sizes.delete(name);
        }
        this.#onChange(this.specs);
        return true;
      case 'callama:result':
        return this.#settle(message, event.origin);
    }
  };

  #register(message: RegisterMessage, origin: string): void {
    const accepted: string[] = [];
    const refused: RefusedFunction[] = [];
    const reserved = new Set(this.#reserved());
    const seen = new Set<string>();
    if (message.refusal !== undefined) {
      const reasons = [message.refusal];
      refused.push(
        ...(message.functions.length > 0
          ? message.functions.map((raw) => ({ name: nameOf(raw), reasons }))
          : [{ name: null, reasons }]),
      );
    }
    for (const raw of message.refusal === undefined ? message.functions : []) {
      const name = nameOf(raw);
      if (name !== null && reserved.has(name)) {
        refused.push({ name, reasons: [`"${name}" is the name of a built-in function of the widget.`] });
        continue;
      }
      // A host may replace its own function, but not list one name twice in one message.
      const check = validateFunctionSpec(raw, seen);
      if (!check.ok) {
        refused.push({ name, reasons: check.reasons });
        continue;
      }
      const over = this.#overCap(check.spec);
      if (over !== undefined) {
        refused.push({ name, reasons: [over] });
        continue;
      }
      seen.add(check.spec.name);
      this.#functions.set(check.spec.name, check.spec);
      this.#sizes.set(check.spec.name, JSON.stringify(check.spec).length);
      accepted.push(check.spec.name);
    }
    if (accepted.length > 0 && this.#hostOrigin === null) this.#hostOrigin = origin;
    this.#parent?.postMessage({ type: 'callama:registered', accepted, refused }, origin);
    if (accepted.length > 0) this.#onChange(this.specs);
  }

  /** Why adding (or replacing) `spec` would pass the caps; undefined when it fits. */
  #overCap(spec: FunctionSpec): string | undefined {
    const replacing = this.#functions.has(spec.name);
    if (!replacing && this.#functions.size >= MAX_HOST_FUNCTIONS) {
      return `The widget holds at most ${MAX_HOST_FUNCTIONS} host functions; unregister some before adding more.`;
    }
    let total = JSON.stringify(spec).length;
    for (const [name, size] of this.#sizes) if (name !== spec.name) total += size;
    if (total > MAX_HOST_SCHEMA_CHARS) {
      return `The host functions' definitions would total ${total} characters of JSON; at most ${MAX_HOST_SCHEMA_CHARS} are kept.`;
    }
    return undefined;
  }

  #settle(message: ResultMessage, origin: string): boolean {
    const pending = this.#pending.get(message.id);
    if (!pending || origin !== this.#hostOrigin) {
      this.#warn(`[callama] ignored result for unknown call ${message.id} from ${origin}`);
      return false;
    }
    this.#pending.delete(message.id);
    pending.cleanup();
    if ('error' in message) pending.reject(new HostFunctionError(pending.name, message.error));
    else pending.resolve(message.value);
    return true;
  }

  /** A FunctionHandler that runs `name` on the host page. */
  handlerFor(name: string): FunctionHandler {
    return (args, { signal }) => this.call(name, args, signal);
  }

  /**
   * Asks the host to run one of its functions.
   * @throws HostUnavailableError (no host registered), HostCallTimeoutError, HostFunctionError
   *   (the host's function failed), HostCallAbortedError (the user stopped the reply).
   */
  call(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    const origin = this.#hostOrigin;
    if (!this.#parent || origin === null || !this.#functions.has(name)) {
      return Promise.reject(new HostUnavailableError(name));
    }
    const parent = this.#parent;
    if (signal?.aborted) return Promise.reject(new HostCallAbortedError(name));
    const id = this.#newId();
    return new Promise<unknown>((resolve, reject) => {
      const fail = (error: Error) => {
        this.#pending.delete(id);
        cleanup();
        reject(error);
      };
      const timer = setTimeout(() => fail(new HostCallTimeoutError(name, this.#timeoutMs)), this.#timeoutMs);
      const onAbort = () => fail(new HostCallAbortedError(name));
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      signal?.addEventListener('abort', onAbort);
      this.#pending.set(id, { name, resolve, reject, cleanup });
      try {
        parent.postMessage({ type: 'callama:call', id, name, arguments: args }, origin);
      } catch (cause) {
        fail(new HostFunctionError(name, 'the arguments could not be sent to the host page', { cause }));
      }
    });
  }

  /** Number of calls waiting for an answer (for tests and the UI). */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Fails every pending call; used when the widget is torn down. */
  dispose(): void {
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.cleanup();
      pending.reject(new HostCallAbortedError(pending.name));
    }
  }
}
