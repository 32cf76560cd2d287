/**
 * A list of the user's saved records with ids (custom models, server models), kept across visits in
 * localStorage: read synchronously at start, so an id resolves before anything async opens; records
 * read back are shape-checked (`isRecord`), so a hand-edited or older entry never reaches the engine
 * half-formed.
 *
 * Saving and removing change the CURRENT stored list (persistence/sharedLocalValue.ts), so a record
 * saved in another tab is kept; other tabs show it once the 'callama-store' broadcast arrives.
 */
import { SharedLocalValue } from '../persistence/sharedLocalValue.ts';
import type { StoreChannel } from '../persistence/storeChannel.ts';

export interface SavedRecordsOptions<T> {
  storage: Storage | undefined;
  key: string;
  isRecord: (value: unknown) => value is T;
  channel?: StoreChannel | undefined;
}

export class SavedRecords<T extends { id: string }> {
  readonly #stored: SharedLocalValue<T[]>;
  #items = $state.raw<T[]>([]);

  constructor({ storage, key, isRecord, channel }: SavedRecordsOptions<T>) {
    const parse = (text: string | null): T[] => {
      try {
        const parsed: unknown = text ? JSON.parse(text) : [];
        return Array.isArray(parsed) ? parsed.filter(isRecord) : [];
      } catch {
        // Unreadable or blocked storage: start empty rather than fail the app.
        return [];
      }
    };
    this.#stored = new SharedLocalValue({
      storage,
      key,
      parse,
      ...(channel ? { channel } : {}),
      onChange: (v) => (this.#items = v),
    });
    this.#items = this.#stored.read();
  }

  get all(): T[] {
    return this.#items;
  }

  find(id: string): T | undefined {
    return this.#items.find((r) => r.id === id);
  }

  /** Ids taken in any tab, not only the ones this tab has heard of. */
  storedIds(): string[] {
    return this.#stored.read().map((r) => r.id);
  }

  /** Saves `record`; one of the same id (saved meanwhile in another tab, say) is replaced. */
  save(record: T): void {
    this.#items = this.#stored.update((current) => [...current.filter((r) => r.id !== record.id), record]);
  }

  remove(id: string): void {
    this.#items = this.#stored.update((current) => current.filter((r) => r.id !== id));
  }
}
