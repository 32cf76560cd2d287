import { wrap, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * idb's `openDB` always uses the global `indexedDB`; this does the same through a given factory, so
 * stores can be tested in Node with fake-indexeddb and kept apart from the app's other databases.
 */
export async function openDatabase<DB extends DBSchema>(
  factory: IDBFactory,
  name: string,
  version: number,
  upgrade: (db: IDBPDatabase<DB>, oldVersion: number) => void,
): Promise<IDBPDatabase<DB>> {
  const request = factory.open(name, version);
  request.addEventListener('upgradeneeded', (event) => {
    // wrap() is untyped about schemas; the schema is the one `upgrade` creates, so the cast holds.
    upgrade(wrap(request.result) as unknown as IDBPDatabase<DB>, event.oldVersion);
  });
  const db = (await wrap(request)) as unknown as IDBPDatabase<DB>;
  // Another tab upgrading or deleting the database must not be blocked by this connection.
  db.addEventListener('versionchange', () => db.close());
  return db;
}

/** The global factory, or a clear error where IndexedDB is missing (private modes, old browsers). */
export function globalIndexedDB(): IDBFactory {
  if (typeof indexedDB === 'undefined') throw new Error('This browser has no IndexedDB, so nothing can be saved.');
  return indexedDB;
}
