/**
 * Conversations in IndexedDB (database 'callama'), through `idb`.
 *
 * Two stores: 'conversations' holds one record per conversation (persistence/storedConversation.ts,
 * its own versioned type), written whole; 'summaries' holds what the conversation list shows (title,
 * time, message count, model), written in the same transaction as each record, so the list is read
 * without reading every conversation. A conversation is small next to the browser's quota, and a
 * whole-record put is atomic, so a reload or a lost GPU mid-answer never leaves half a message.
 * Records are plain data (callers pass `$state.snapshot`s): structured clone refuses proxies.
 *
 * Database versions: 1 had only 'conversations' (records of schema version 1, an `updatedAt` index
 * for the list). 2 adds 'summaries' and migrates every record in the upgrade itself: the upgrade must
 * read each record once anyway to write its summary, and after it the app reads one shape (the
 * reader still accepts version 1, for exported files). A record that cannot be migrated is kept as it
 * is, listed as unreadable. An older app cannot open a newer database at all (IndexedDB refuses a
 * lower version), so no record of the old shape is written after the upgrade.
 *
 * Several tabs may write one conversation: the app writes through `update`, which reads the current
 * record and writes the merge in the same readwrite transaction (IndexedDB runs those one at a time,
 * across tabs), so no tab's write is lost to another tab's older copy (persistence/mergeConversation.ts).
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { summarize, type Conversation, type ConversationSummary } from './conversation.ts';
import {
  fromRecord,
  toRecord,
  unreadableSummary,
  UnreadableRecordError,
  type ConversationRecord,
} from './storedConversation.ts';

export const DB_NAME = 'callama';
export const DB_VERSION = 2;

interface CallamaDB extends DBSchema {
  conversations: {
    key: string;
    /** What this version writes; reads are checked (storedConversation.ts fromRecord). */
    value: ConversationRecord;
  };
  summaries: {
    key: string;
    value: ConversationSummary;
    indexes: { updatedAt: number };
  };
}

type UpgradeTransaction = IDBPTransaction<CallamaDB, StoreNames<CallamaDB>[], 'versionchange'>;

/** Storage failed (private mode, quota, blocked upgrade); the conversation stays in memory. */
export class ConversationStoreError extends Error {
  override readonly name = 'ConversationStoreError';
  readonly operation: string;
  constructor(operation: string, options?: { cause?: unknown }) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`Could not ${operation} conversations in browser storage${reason}`, options);
    this.operation = operation;
  }
}

export class ConversationStore {
  #db: Promise<IDBPDatabase<CallamaDB>> | undefined;
  readonly #name: string;

  constructor(name = DB_NAME) {
    this.#name = name;
  }

  #open(): Promise<IDBPDatabase<CallamaDB>> {
    this.#db ??= openDB<CallamaDB>(this.#name, DB_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) db.createObjectStore('conversations', { keyPath: 'id' });
        if (oldVersion < 2) {
          db.createObjectStore('summaries', { keyPath: 'id' }).createIndex('updatedAt', 'updatedAt');
          if (oldVersion >= 1) {
            // The list reads 'summaries' now; the old index would only cost every write.
            tx.objectStore('conversations').deleteIndex('updatedAt');
            migrateToVersion2(tx).catch(() => {
              // A bug, not a bad record (those are kept): leave the database as it was.
              abortQuietly(tx);
            });
          }
        }
      },
      // A newer version of the app in another tab wants to upgrade: let it. This tab's next operation
      // reopens, and fails with a clear error if the database is now newer than it knows.
      blocking: (_current, _blocked, event) => {
        (event.target as IDBDatabase).close();
        this.#db = undefined;
      },
      terminated: () => {
        this.#db = undefined;
      },
    });
    return this.#db;
  }

  async #run<T>(operation: string, fn: (db: IDBPDatabase<CallamaDB>) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.#open());
    } catch (cause) {
      // One record that cannot be read is not a storage failure: the caller shows it as unreadable.
      if (cause instanceof UnreadableRecordError) throw cause;
      throw new ConversationStoreError(operation, { cause });
    }
  }

  /** Summaries, most recently updated first; no conversation record is read. @throws ConversationStoreError */
  list(): Promise<ConversationSummary[]> {
    return this.#run('read', async (db) => {
      const all: unknown[] = await db.getAllFromIndex('summaries', 'updatedAt');
      return all.reverse().flatMap(asSummary);
    });
  }

  /** One conversation's summary, without its record. @throws ConversationStoreError */
  summary(id: string): Promise<ConversationSummary | undefined> {
    return this.#run('read', async (db) => {
      const raw: unknown = await db.get('summaries', id);
      return raw === undefined ? undefined : asSummary(raw)[0];
    });
  }

  /** @throws ConversationStoreError; UnreadableRecordError when the record is newer or damaged */
  get(id: string): Promise<Conversation | undefined> {
    return this.#run('read', async (db) => {
      const raw: unknown = await db.get('conversations', id);
      return raw === undefined ? undefined : fromRecord(raw);
    });
  }

  /** @throws ConversationStoreError */
  async put(conversation: Conversation): Promise<void> {
    await this.#run('save', async (db) => {
      const tx = db.transaction(['conversations', 'summaries'], 'readwrite');
      await Promise.all([write(tx, conversation), tx.done]);
    });
  }

  /**
   * Reads the current record and writes what `change` makes of it, in one transaction. `change` runs
   * synchronously inside the transaction (an await there would let the transaction close).
   * @param change returns the record to write, or undefined to write nothing
   * @returns the record as it is after the transaction
   * @throws ConversationStoreError; UnreadableRecordError when the stored record is newer or damaged
   *   (nothing is written over it)
   */
  update(
    id: string,
    change: (stored: Conversation | undefined) => Conversation | undefined,
  ): Promise<Conversation | undefined> {
    return this.#run('save', async (db) => {
      const tx = db.transaction(['conversations', 'summaries'], 'readwrite');
      const raw: unknown = await tx.objectStore('conversations').get(id);
      const stored = raw === undefined ? undefined : fromRecord(raw);
      const next = change(stored);
      if (next) await write(tx, next);
      await tx.done;
      return next ?? stored;
    });
  }

  /** @throws ConversationStoreError */
  async delete(id: string): Promise<void> {
    await this.#run('delete', async (db) => {
      const tx = db.transaction(['conversations', 'summaries'], 'readwrite');
      await Promise.all([tx.objectStore('conversations').delete(id), tx.objectStore('summaries').delete(id), tx.done]);
    });
  }
}

/** A record and its summary, in the caller's transaction. */
async function write(
  tx: IDBPTransaction<CallamaDB, ('conversations' | 'summaries')[], 'readwrite' | 'versionchange'>,
  c: Conversation,
): Promise<void> {
  await Promise.all([tx.objectStore('conversations').put(toRecord(c)), tx.objectStore('summaries').put(summarize(c))]);
}

/** Rewrites each record of schema version 1 as the current one, and writes the summaries. */
async function migrateToVersion2(tx: UpgradeTransaction): Promise<void> {
  const summaries = tx.objectStore('summaries');
  const writes: Promise<unknown>[] = [];
  let cursor = await tx.objectStore('conversations').openCursor();
  while (cursor) {
    const raw: unknown = cursor.value;
    try {
      const c = fromRecord(raw);
      writes.push(cursor.update(toRecord(c)), summaries.put(summarize(c)));
    } catch (e) {
      if (!(e instanceof UnreadableRecordError)) throw e;
      writes.push(summaries.put(unreadableSummary(raw, cursor.key, e.reason)));
    }
    cursor = await cursor.continue();
  }
  await Promise.all(writes);
}

function abortQuietly(tx: UpgradeTransaction): void {
  try {
    tx.abort();
  } catch {
    // Already finished or aborted.
  }
}

/** A stored summary, checked (another version of the app may have written it). */
function asSummary(raw: unknown): ConversationSummary[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const o = raw as Record<string, unknown>;
  if (typeof o.id !== 'string') return [];
  if (typeof o.title === 'string' && typeof o.updatedAt === 'number' && typeof o.messageCount === 'number') {
    return [raw as ConversationSummary];
  }
  return [unreadableSummary(raw, o.id, 'damaged')];
}
