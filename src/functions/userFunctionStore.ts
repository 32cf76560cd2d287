/**
 * Saves user-written functions in their own IndexedDB database ('callama-user-functions'), keyed by
 * function name. The store knows nothing of the editor; the UI calls list/add/setEnabled/delete.
 *
 * Several tabs may write at once: every change is made to the CURRENT record inside one readwrite
 * transaction (IndexedDB runs those one at a time across tabs), never by putting back a copy a tab
 * read earlier. So toggling a function in one tab cannot undo an edit or a delete made in another.
 */
import type { DBSchema, IDBPDatabase } from 'idb';
import { globalIndexedDB, openDatabase } from './openDatabase.ts';
import type { UserFunctionDef } from './userFunctions.ts';

interface UserFunctionSchema extends DBSchema {
  functions: { key: string; value: UserFunctionDef };
}

export const USER_FUNCTIONS_DB_NAME = 'callama-user-functions';
const DB_VERSION = 1;

export class UserFunctionStore {
  readonly #factory: IDBFactory | undefined;
  #db: Promise<IDBPDatabase<UserFunctionSchema>> | null = null;

  /** @param factory default: the browser's `indexedDB`, looked up on first use. */
  constructor(factory?: IDBFactory) {
    this.#factory = factory;
  }

  /** Oldest first (the order they were created), so the list does not jump around. */
  async list(): Promise<UserFunctionDef[]> {
    const all = await (await this.#open()).getAll('functions');
    return all.filter(isUserFunctionDef).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /**
   * Saves `def`, replacing one of the same name. When a function was renamed, pass its old name so
   * the old entry goes in the same transaction.
   */
  async save(def: UserFunctionDef, previousName?: string): Promise<void> {
    const tx = (await this.#open()).transaction('functions', 'readwrite');
    if (previousName !== undefined && previousName !== def.spec.name) await tx.store.delete(previousName);
    await tx.store.put(def);
    await tx.done;
  }

  /**
   * Adds `def` unless a function of that name is already stored (another tab may have added it since
   * this one listed them). @returns false when the name was taken
   */
  async add(def: UserFunctionDef): Promise<boolean> {
    const tx = (await this.#open()).transaction('functions', 'readwrite');
    const taken = (await tx.store.getKey(def.spec.name)) !== undefined;
    if (!taken) await tx.store.add(def);
    await tx.done;
    return !taken;
  }

  /**
   * Adds every one of `defs`, or none: when any name is already stored (another tab may have added
   * it), nothing is written. @returns the names that were taken (empty when all were added)
   */
  async addAll(defs: readonly UserFunctionDef[]): Promise<string[]> {
    const tx = (await this.#open()).transaction('functions', 'readwrite');
    const taken: string[] = [];
    for (const def of defs) if ((await tx.store.getKey(def.spec.name)) !== undefined) taken.push(def.spec.name);
    if (taken.length === 0) for (const def of defs) await tx.store.add(def);
    await tx.done;
    return taken;
  }

  /**
   * Switches a stored function on or off, keeping everything else of the CURRENT record.
   * @returns the updated record, or undefined when it is gone (deleted in another tab): nothing is written
   */
  async setEnabled(name: string, enabled: boolean): Promise<UserFunctionDef | undefined> {
    const tx = (await this.#open()).transaction('functions', 'readwrite');
    const current: unknown = await tx.store.get(name);
    const updated = isUserFunctionDef(current) ? { ...current, enabled } : undefined;
    if (updated) await tx.store.put(updated);
    await tx.done;
    return updated;
  }

  async delete(name: string): Promise<void> {
    await (await this.#open()).delete('functions', name);
  }

  close(): void {
    void this.#db?.then(
      (db) => db.close(),
      () => undefined,
    );
    this.#db = null;
  }

  #open(): Promise<IDBPDatabase<UserFunctionSchema>> {
    this.#db ??= openDatabase<UserFunctionSchema>(
      this.#factory ?? globalIndexedDB(),
      USER_FUNCTIONS_DB_NAME,
      DB_VERSION,
      (db) => {
        db.createObjectStore('functions', { keyPath: 'spec.name' });
      },
    ).catch((error: unknown) => {
      this.#db = null;
      throw error;
    });
    return this.#db;
  }
}

/** Skips records a future version (or a broken write) left in another shape. */
function isUserFunctionDef(value: unknown): value is UserFunctionDef {
  if (typeof value !== 'object' || value === null) return false;
  const { spec, code, enabled, createdAt } = value as Partial<Record<keyof UserFunctionDef, unknown>>;
  return (
    typeof spec === 'object' &&
    spec !== null &&
    typeof Reflect.get(spec, 'name') === 'string' &&
    typeof code === 'string' &&
    typeof enabled === 'boolean' &&
    typeof createdAt === 'string'
  );
}
