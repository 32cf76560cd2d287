/**
 * Errors the built-in functions throw. The dispatcher turns a thrown error into the text the model
 * reads, so every message says what went wrong and, when the user can fix it, how.
 */

/** The arguments were well-formed JSON but unusable (bad URL, unknown time zone, empty note…). */
export class InvalidArgumentError extends Error {
  override readonly name = 'InvalidArgumentError';
  readonly argument: string;
  constructor(argument: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.argument = argument;
  }
}

/** A browser feature is missing, or the user (or browser) refused it. */
export class BrowserFeatureError extends Error {
  override readonly name = 'BrowserFeatureError';
  readonly feature: 'geolocation' | 'notifications' | 'clipboard' | 'popup';
  readonly reason: 'unsupported' | 'denied' | 'failed' | 'timeout';
  constructor(
    feature: BrowserFeatureError['feature'],
    reason: BrowserFeatureError['reason'],
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.feature = feature;
    this.reason = reason;
  }
}

/** Reads a string argument, trimming it; `undefined` when absent or blank. */
export function optionalString(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidArgumentError(name, `"${name}" must be text.`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function requiredString(args: Record<string, unknown>, name: string): string {
  const value = optionalString(args, name);
  if (value === undefined) throw new InvalidArgumentError(name, `"${name}" is required and must not be empty.`);
  return value;
}
