/**
 * The id of the last model that loaded successfully, kept in localStorage so the next visit can load
 * it again from the browser cache (see autoLoad.ts). One small string, read when the app starts.
 *
 * It is forgotten when that model's files are deleted from the cache or the custom model is removed,
 * so a start never reaches for a model the user threw away.
 */

/** The one place the key is named. */
export const LAST_MODEL_KEY = 'callama:lastModel';

export class LastModelStore {
  readonly #storage: Storage | undefined;

  constructor(storage: Storage | undefined = globalThis.localStorage) {
    this.#storage = storage;
  }

  get(): string | null {
    try {
      const id = this.#storage?.getItem(LAST_MODEL_KEY);
      return id ? id : null;
    } catch {
      // Blocked storage: behave as a first visit.
      return null;
    }
  }

  set(modelId: string): void {
    try {
      this.#storage?.setItem(LAST_MODEL_KEY, modelId);
    } catch {
      // Storage full or blocked: the next start simply waits for the user's click.
    }
  }

  /** Forgets `modelId` if it is the remembered one (another model's deletion leaves it alone). */
  forget(modelId: string): void {
    try {
      if (this.#storage?.getItem(LAST_MODEL_KEY) === modelId) this.#storage.removeItem(LAST_MODEL_KEY);
    } catch {
      // Blocked storage: nothing was remembered either.
    }
  }
}
