/** A calculator expression that cannot be read or has no real, finite value. */
export class CalculatorError extends Error {
  override readonly name = 'CalculatorError';
  /** 1-based character column the error is about, when it is about one place. */
  readonly column: number | undefined;
  constructor(message: string, column?: number) {
    super(column === undefined ? message : `${message} at ${column}`);
    this.column = column;
  }
}
