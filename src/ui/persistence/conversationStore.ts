/**
 * Conversations in IndexedDB (database 'callama', store 'conversations'), through `idb`.
 *
 * One record per conversation, written whole: a conversation is small next to the browser's quota,
 * and a whole-record put is atomic, so a reload or a lost GPU mid-answer never leaves half a message.
 * Records are plain data (callers pass `$state.snapshot`s): structured clone refuses proxies.
 *
 * Several tabs may write one conversation: the app writes through `update`, which reads the current
 * record and writes the merge in the same readwrite transaction (IndexedDB runs those one at a time,
 * across tabs), so no tab's write is lost to another tab's older copy (persistence/mergeConversation.ts).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { summarize, type Conversation, type ConversationSummary } from './conversation.ts';

export const DB_NAME = 'callama';
const DB_VERSION = 1;

interface CallamaDB extends DBSchema {
  conversations: {
    key: string;
    value: Conversation;
    indexes: { updatedAt: number };
  };
}

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
      upgrade(db) {
        const store = db.createObjectStore('conversations', { keyPath: 'id' });
        store.createIndex('updatedAt', 'updatedAt');
      },
    });
    return this.#db;
  }

  async #run<T>(operation: string, fn: (db: IDBPDatabase<CallamaDB>) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.#open());
    } catch (cause) {
      throw new ConversationStoreError(operation, { cause });
    }
  }

  /** Summaries, most recently updated first. @throws ConversationStoreError */
  list(): Promise<ConversationSummary[]> {
    return this.#run('read', async (db) => {
      const all = await db.getAllFromIndex('conversations', 'updatedAt');
      return all.reverse().map(summarize);
    });
  }

  /** @throws ConversationStoreError */
  get(id: string): Promise<Conversation | undefined> {
    return this.#run('read', (db) => db.get('conversations', id));
  }

  /** @throws ConversationStoreError */
  async put(conversation: Conversation): Promise<void> {
    await this.#run('save', (db) => db.put('conversations', conversation));
  }

  /**
   * Reads the current record and writes what `change` makes of it, in one transaction. `change` runs
   * synchronously inside the transaction (an await there would let the transaction close).
   * @param change returns the record to write, or undefined to write nothing
   * @returns the record as it is after the transaction
   * @throws ConversationStoreError
   */
  update(
    id: string,
    change: (stored: Conversation | undefined) => Conversation | undefined,
  ): Promise<Conversation | undefined> {
    return this.#run('save', async (db) => {
      const tx = db.transaction('conversations', 'readwrite');
      const stored = await tx.store.get(id);
      const next = change(stored);
      if (next) await tx.store.put(next);
      await tx.done;
      return next ?? stored;
    });
  }

  /** @throws ConversationStoreError */
  async delete(id: string): Promise<void> {
    await this.#run('delete', (db) => db.delete('conversations', id));
  }
}
