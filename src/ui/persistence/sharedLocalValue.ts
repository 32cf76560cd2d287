/**
 * One localStorage value shared by every open tab of the app (consent, settings, toggles, custom
 * models).
 *
 * A tab never writes its own in-memory copy whole: `update` reads the CURRENT stored value, applies
 * the change and writes the result in the same synchronous task, so a change made in another tab
 * since this one last looked is kept (no last-writer-wins). The other tabs then hear of it (the
 * 'callama-store' BroadcastChannel, and the browser's own `storage` event as a second path) and call
 * their `onChange` with the value read back.
 */
import { storeChannel, type StoreChannel } from './storeChannel.ts';

export interface SharedLocalValueOptions<T> {
  storage: Storage | undefined;
  key: string;
  /** Turns the stored text (null: nothing stored) into a value; must not throw on bad input. */
  parse: (text: string | null) => T;
  /** Called with the freshly read value when another tab changed it. */
  onChange?: (value: T) => void;
  /** Default: the app's channel. */
  channel?: StoreChannel | undefined;
}

export class SharedLocalValue<T> {
  readonly #storage: Storage | undefined;
  readonly #key: string;
  readonly #parse: (text: string | null) => T;
  readonly #channel: StoreChannel | undefined;
  /** Without storage (the embed widget, a blocked localStorage) the value lives in memory only. */
  #memory: T;

  constructor(options: SharedLocalValueOptions<T>) {
    this.#storage = options.storage;
    this.#key = options.key;
    this.#parse = options.parse;
    this.#channel = options.storage ? (options.channel ?? storeChannel()) : undefined;
    this.#memory = this.#parse(null);
    const onChange = options.onChange;
    if (!onChange || !this.#storage) return;
    this.#channel?.subscribe((change) => {
      if (change.kind === 'local' && change.key === this.#key) onChange(this.read());
    });
    if (typeof globalThis.addEventListener === 'function') {
      globalThis.addEventListener('storage', (e: StorageEvent) => {
        // key null: the other tab cleared the whole storage.
        if (e.storageArea === this.#storage && (e.key === this.#key || e.key === null)) onChange(this.read());
      });
    }
  }

  /** The current stored value (read now, not cached: another tab may just have changed it). */
  read(): T {
    if (!this.#storage) return this.#memory;
    try {
      return this.#parse(this.#storage.getItem(this.#key));
    } catch {
      // Blocked storage: the value this tab last wrote, else the default.
      return this.#memory;
    }
  }

  /**
   * Applies `change` to the current stored value and stores the result.
   * @returns the new value (kept for this page even when storage is full or blocked)
   */
  update(change: (current: T) => T): T {
    const next = change(this.read());
    this.#memory = next;
    try {
      this.#storage?.setItem(this.#key, JSON.stringify(next));
      this.#channel?.post({ kind: 'local', key: this.#key });
    } catch {
      // Storage full or blocked: the change still applies in this tab until it closes.
    }
    return next;
  }
}
