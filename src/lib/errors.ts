/**
 * Typed errors of the framework-free core. Parse and dispatch failures are data (ParseError,
 * DispatchResult), so only programming mistakes and refused definitions throw.
 */

/** `FunctionRegistry.register` refused a function definition; `reasons` says why, one line each. */
export class InvalidFunctionSpecError extends Error {
  override readonly name = 'InvalidFunctionSpecError';
  /** The function's name as given, when it was a string. */
  readonly functionName: string | undefined;
  readonly reasons: string[];

  constructor(functionName: string | undefined, reasons: string[], options?: { cause?: unknown }) {
    super(`Invalid function definition${functionName ? ` "${functionName}"` : ''}: ${reasons.join('; ')}`, options);
    this.functionName = functionName;
    this.reasons = reasons;
  }
}

/** A prompt cannot be built from the given conversation (e.g. it has no turn to answer). */
export class PromptBuildError extends Error {
  override readonly name = 'PromptBuildError';
  readonly reason: string;

  constructor(reason: string) {
    super(`Cannot build the prompt: ${reason}`);
    this.reason = reason;
  }
}

/** The message of something caught: an Error's own message, anything else as text. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
