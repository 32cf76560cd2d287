/**
 * Runs user-written function bodies away from the app.
 *
 * Design:
 * - One `<iframe sandbox="allow-scripts">` loading public/sandbox.html, created on first use and reused.
 *   Without `allow-same-origin` its origin is OPAQUE: `indexedDB.open` throws SecurityError, there is
 *   no access to the app's storage or DOM, and the page's CSP forbids all network requests.
 * - An opaque origin cannot be named as a postMessage target, so the handshake is posted with
 *   targetOrigin '*'. That message carries only a MessagePort: the port, not window messages, carries
 *   all traffic afterwards, and the frame ignores any window message without the handshake port.
 * - Each function body runs in a worker of its own inside the frame (its own JavaScript realm), so a
 *   function that patches Function.prototype.call or JSON.stringify never sees another's arguments.
 * - Each call has a time limit (default 5 s). The code runs in a worker inside the frame, so an endless
 *   loop does not freeze the app; on timeout (or abort) the frame is removed, which kills the worker,
 *   and the next call builds a fresh one.
 */
import { CONNECT_MESSAGE_TYPE, isSandboxReply, type SandboxErrorData, type SandboxRequest } from './protocol.ts';
import { SandboxTimeoutError, SandboxUnavailableError, UserCodeError } from './errors.ts';
import { toUserPosition, type CodePosition } from './syntaxPosition.ts';

export const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_START_TIMEOUT_MS = 10_000;

export interface FunctionSandboxOptions {
  /** URL of the sandbox page; default `sandbox.html` next to the app's index.html. */
  src?: string | URL;
  /** Per-call time limit when a call gives none. */
  timeoutMs?: number;
  /** How long the frame may take to load and start its worker. */
  startTimeoutMs?: number;
  /** The document to attach the frame to (default: the global one). */
  document?: Document;
}

export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A body that does not compile: the message, and where in the user's own code when it is known. */
export type CompileResult = { ok: true } | { ok: false; message: string; position?: CodePosition };

interface Connection {
  iframe: HTMLIFrameElement;
  port: MessagePort;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class FunctionSandbox {
  readonly #options: FunctionSandboxOptions;
  #connection: Promise<Connection> | null = null;
  #pending = new Map<string, Pending>();
  #disposed = false;

  constructor(options: FunctionSandboxOptions = {}) {
    this.#options = options;
  }

  /**
   * Runs `code` as the body of `async function (args) { … }` in the sandbox.
   * @returns what the body returned (structured-cloned out of the sandbox).
   * @throws UserCodeError when the code throws or returns something that cannot be copied;
   *   SandboxTimeoutError past the time limit; SandboxUnavailableError when the sandbox cannot start;
   *   the signal's reason when aborted.
   */
  run(code: string, args: Record<string, unknown>, opts: RunOptions = {}): Promise<unknown> {
    return this.#request({ kind: 'run', id: crypto.randomUUID(), code, args }, opts);
  }

  /** Checks that `code` compiles as a function body, without running it. */
  async compile(code: string): Promise<CompileResult> {
    try {
      await this.#request({ kind: 'compile', id: crypto.randomUUID(), code }, {});
      return { ok: true };
    } catch (error) {
      if (!(error instanceof UserCodeError)) throw error;
      const at = error.wrapperPosition;
      const position = at ? toUserPosition(code, at.line, at.column) : undefined;
      if (!position) return { ok: false, message: error.message };
      const detail = position.atEnd ? 'the code ends before a bracket, string or comment is closed' : error.detail;
      return { ok: false, message: `${error.errorName}: ${detail}`, position };
    }
  }

  /** Removes the frame and fails any call in flight. The sandbox cannot be used afterwards. */
  dispose(): void {
    this.#disposed = true;
    this.#reset(new SandboxUnavailableError('The function sandbox was closed.'));
  }

  async #request(request: SandboxRequest, opts: RunOptions): Promise<unknown> {
    if (this.#disposed) throw new SandboxUnavailableError('The function sandbox was closed.');
    const { signal } = opts;
    signal?.throwIfAborted();
    const timeoutMs = opts.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const starting = this.#connect();
    const connection = await starting;
    signal?.throwIfAborted();
    // Reset while it was starting: that frame is being removed, so do not post into it.
    if (this.#connection !== starting) throw new SandboxUnavailableError('The function sandbox was reset; try again.');
    return new Promise<unknown>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#pending.delete(request.id);
      };
      const onAbort = (): void => {
        cleanup();
        reject(abortReason(signal));
        // The code may still be running (or looping): throw the whole sandbox away.
        this.#reset(new SandboxUnavailableError('The function sandbox was reset after a call was stopped.'));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new SandboxTimeoutError(timeoutMs));
        this.#reset(new SandboxUnavailableError('The function sandbox was reset after another call timed out.'));
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(request.id, {
        resolve: (value) => {
          cleanup();
          resolve(value);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      });
      connection.port.postMessage(request);
    });
  }

  #connect(): Promise<Connection> {
    this.#connection ??= this.#start();
    return this.#connection;
  }

  async #start(): Promise<Connection> {
    const doc = this.#options.document ?? document;
    const src = this.#options.src ?? new URL('sandbox.html', doc.baseURI);
    const iframe = doc.createElement('iframe');
    // Scripts only: NEVER add allow-same-origin, which would give user code the app's origin.
    iframe.setAttribute('sandbox', 'allow-scripts');
    iframe.title = 'Function sandbox';
    iframe.hidden = true;
    iframe.setAttribute('aria-hidden', 'true');
    iframe.src = String(src);
    const loaded = new Promise<void>((resolve) => iframe.addEventListener('load', () => resolve(), { once: true }));
    doc.body.append(iframe);
    const startTimeoutMs = this.#options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const failStart = (message: string, cause?: unknown): never => {
      iframe.remove();
      this.#connection = null;
      throw new SandboxUnavailableError(message, { cause });
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), startTimeoutMs);
    });
    try {
      if ((await Promise.race([loaded, timedOut])) === 'timeout') {
        return failStart(`The function sandbox page (${String(src)}) did not load.`);
      }
      const target = iframe.contentWindow;
      if (!target) return failStart('The function sandbox frame has no window.');
      const channel = new MessageChannel();
      const ready = new Promise<SandboxErrorData | null>((resolve) => {
        channel.port1.onmessage = (event: MessageEvent<unknown>) => {
          const data = event.data;
          if (!isSandboxReply(data)) return;
          if (data.kind === 'ready') resolve(null);
          else if (data.kind === 'fatal') resolve(data.error);
          else this.#settle(data.id, data.ok ? { value: data.value } : { error: data.error });
        };
      });
      // '*' because an opaque origin cannot be named; the message holds nothing but the port.
      target.postMessage({ type: CONNECT_MESSAGE_TYPE }, '*', [channel.port2]);
      const outcome = await Promise.race([ready, timedOut]);
      if (outcome === 'timeout') return failStart('The function sandbox did not start in time.');
      if (outcome) return failStart(`The function sandbox could not start: ${outcome.name}: ${outcome.message}`);
      return { iframe, port: channel.port1 };
    } finally {
      clearTimeout(timer);
    }
  }

  #settle(id: string, outcome: { value: unknown } | { error: SandboxErrorData }): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    if ('error' in outcome) pending.reject(new UserCodeError(outcome.error));
    else pending.resolve(outcome.value);
  }

  /** Tears the frame down (killing its worker) and fails every call still waiting. */
  #reset(reason: Error): void {
    const connection = this.#connection;
    this.#connection = null;
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    for (const pending of waiting) pending.reject(reason);
    void connection?.then(
      ({ iframe, port }) => {
        port.close();
        iframe.remove();
      },
      () => undefined,
    );
  }
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('The function call was aborted.', 'AbortError');
}
