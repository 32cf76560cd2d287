import type { SandboxErrorData } from './protocol.ts';

/** The user's code threw (or returned something that cannot be copied out). */
export class UserCodeError extends Error {
  override readonly name = 'UserCodeError';
  /** The name of what the code threw inside the sandbox, e.g. 'SecurityError', 'TypeError'. */
  readonly errorName: string;
  constructor(data: SandboxErrorData) {
    // The inner name leads the message so it stays readable wherever only `message` is shown.
    super(`${data.name}: ${data.message}`);
    this.errorName = data.name;
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
