/**
 * A component loaded with `import()` the first time it is needed, so what the first screen does not
 * show (the evaluator, the function editor, the dialogs, the inspector's details) stays out of the
 * shell's bundle (bench/shell.bench.ts). `current` is null until it has arrived; then it is kept.
 */
export class Lazy<T> {
  #current = $state.raw<T | null>(null);
  #loading = false;
  readonly #importer: () => Promise<{ default: T }>;

  constructor(importer: () => Promise<{ default: T }>) {
    this.#importer = importer;
  }

  get current(): T | null {
    return this.#current;
  }

  /** Starts loading (once); a failed load (a chunk missing after an update) may be tried again. */
  load(): void {
    if (this.#loading || this.#current) return;
    this.#loading = true;
    this.#importer().then(
      (module) => {
        this.#current = module.default;
      },
      (error: unknown) => {
        this.#loading = false;
        console.error(error);
      },
    );
  }
}
