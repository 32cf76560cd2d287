import type { SandboxErrorData } from './protocol.ts';

/** The user's code threw (or returned something that cannot be copied out). */
export class UserCodeError extends Error {
  override readonly name = 'UserCodeError';
  /** The name of what the code threw inside the sandbox, e.g. 'SecurityError', 'TypeError'. */
  readonly errorName: string;
  /** The message without the name. */
  readonly detail: string;
  /** A syntax error's position in the sandbox's wrapper script, when the sandbox found it. */
  readonly wrapperPosition: { line: number; column: number } | undefined;
  constructor(data: SandboxErrorData) {
    // The inner name leads the message so it stays readable wherever only `message` is shown.
    super(`${data.name}: ${data.message}`);
    this.errorName = data.name;
    this.detail = data.message;
    // Untrusted port data: only numbers count.
    this.wrapperPosition =
      typeof data.line === 'number' && typeof data.column === 'number'
        ? { line: data.line, column: data.column }
        : undefined;
  }
}

/** A call ran longer than its time limit; the sandbox was torn down and will be rebuilt. */
export class SandboxTimeoutError extends Error {
  override readonly name = 'SandboxTimeoutError';
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(
      `The function did not finish within ${timeoutMs.toLocaleString('en-US')} ms, so it was stopped; the next call starts in a fresh sandbox.`,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** The sandbox frame could not be started, or was reset while a call was in flight. */
export class SandboxUnavailableError extends Error {
  override readonly name = 'SandboxUnavailableError';
}
