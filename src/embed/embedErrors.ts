/**
 * Why a host function call failed. The agent loop turns the message into an error card and feeds it
 * to the model, so each message says what happened in plain words.
 */

/** The host page did not answer within the widget's timeout. */
export class HostCallTimeoutError extends Error {
  override readonly name = 'HostCallTimeoutError';
  readonly functionName: string;
  readonly timeoutMs: number;

  constructor(functionName: string, timeoutMs: number) {
    // The dispatcher prefixes the function's name ("get_stock failed: …"), so it is not repeated here.
    super(`The host page did not answer within ${formatSeconds(timeoutMs)}.`);
    this.functionName = functionName;
    this.timeoutMs = timeoutMs;
  }
}

/** The host page answered with an error (its function threw, or the result could not be sent). */
export class HostFunctionError extends Error {
  override readonly name = 'HostFunctionError';
  readonly functionName: string;
  readonly hostMessage: string;

  constructor(functionName: string, hostMessage: string, options?: { cause?: unknown }) {
    super(`The host page reported an error: ${hostMessage}`, options);
    this.functionName = functionName;
    this.hostMessage = hostMessage;
  }
}

/** No trusted host page has registered this function (or the widget is not framed). */
export class HostUnavailableError extends Error {
  override readonly name = 'HostUnavailableError';
  readonly functionName: string;

  constructor(functionName: string) {
    super(`No host page has registered ${functionName}.`);
    this.functionName = functionName;
  }
}

/** The user stopped the reply while the host was still working. */
export class HostCallAbortedError extends Error {
  override readonly name = 'HostCallAbortedError';
  readonly functionName: string;

  constructor(functionName: string) {
    super('The call was stopped before the host page answered.');
    this.functionName = functionName;
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
