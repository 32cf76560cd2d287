/**
 * Messages between the app and public/sandbox.html. The app posts ONE window message of type
 * `callama-sandbox-connect` carrying a MessagePort; everything after that goes over the port, and
 * replies are matched to requests by `id` (never "the next reply").
 */
export const CONNECT_MESSAGE_TYPE = 'callama-sandbox-connect';

export type SandboxRequest =
  /** Compile the body without running it: a syntax check. */
  | { kind: 'compile'; id: string; code: string }
  /** Compile and run the body as `async function (args) { code }`. */
  | { kind: 'run'; id: string; code: string; args: Record<string, unknown> };

/** An error thrown inside the sandbox, reduced to text (Error objects do not cross unchanged). */
export interface SandboxErrorData {
  name: string;
  message: string;
  /** A compile request's SyntaxError: where it is in the sandbox's wrapper script (1-based). */
  line?: number;
  column?: number;
}

export type SandboxReply =
  /** The worker is up and listening on the port. */
  | { kind: 'ready' }
  /** The sandbox could not start (e.g. workers are unavailable). */
  | { kind: 'fatal'; error: SandboxErrorData }
  | { kind: 'result'; id: string; ok: true; value: unknown }
  | { kind: 'result'; id: string; ok: false; error: SandboxErrorData };

/** Narrows untrusted port data (the sandbox runs user code, which could post anything). */
export function isSandboxReply(data: unknown): data is SandboxReply {
  if (typeof data !== 'object' || data === null) return false;
  const kind: unknown = Reflect.get(data, 'kind');
  if (kind === 'ready') return true;
  if (kind === 'fatal') return isErrorData(Reflect.get(data, 'error'));
  if (kind !== 'result' || typeof Reflect.get(data, 'id') !== 'string') return false;
  const ok: unknown = Reflect.get(data, 'ok');
  return ok === true || (ok === false && isErrorData(Reflect.get(data, 'error')));
}

function isErrorData(value: unknown): value is SandboxErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'name') === 'string' &&
    typeof Reflect.get(value, 'message') === 'string'
  );
}
