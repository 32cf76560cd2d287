import { loadOnce } from '../../../lib/async/loadOnce.ts';

/**
 * A component loaded with `import()` the first time it is needed, so what the first screen does not
 * show (the evaluator, the function editor, the dialogs, the inspector's details) stays out of the
 * shell's bundle (bench/shell.bench.ts). `current` is null until it has arrived; then it is kept.
 */
export class Lazy<T> {
  #current = $state.raw<T | null>(null);
  readonly #load: () => Promise<{ default: T }>;

  constructor(importer: () => Promise<{ default: T }>) {
    this.#load = loadOnce(importer);
  }

  get current(): T | null {
    return this.#current;
  }

  /** Starts loading (once); a failed load (a chunk missing after an update) may be tried again. */
  load(): void {
    if (this.#current) return;
    this.#load().then(
      (module) => {
        this.#current = module.default;
      },
      (error: unknown) => {
        console.error(error);
      },
    );
  }
}
