/**
 * Notes the model saves for the user, in their own IndexedDB database ('callama-notes'), apart from
 * the conversations so clearing one never touches the other.
 */
import type { DBSchema, IDBPDatabase } from 'idb';
import { openDatabase, globalIndexedDB } from '../openDatabase.ts';

export interface Note {
  id: string;
  text: string;
  /** ISO 8601, UTC; sorts as text in time order. */
  createdAt: string;
}

interface NotesSchema extends DBSchema {
  notes: { key: string; value: Note; indexes: { createdAt: string; text: string } };
}

export const NOTES_DB_NAME = 'callama-notes';
const NOTES_DB_VERSION = 1;

export interface NoteStoreOptions {
  /** Default: the browser's `indexedDB`, looked up on first use. */
  indexedDB?: IDBFactory;
  now?: () => Date;
  newId?: () => string;
}

export class NoteStore {
  readonly #options: NoteStoreOptions;
  #db: Promise<IDBPDatabase<NotesSchema>> | null = null;

  constructor(options: NoteStoreOptions = {}) {
    this.#options = options;
  }

  async save(text: string): Promise<Note> {
    const note: Note = {
      id: this.#options.newId?.() ?? crypto.randomUUID(),
      text,
      createdAt: (this.#options.now?.() ?? new Date()).toISOString(),
    };
    await (await this.#open()).add('notes', note);
    return note;
  }

  /** Most recent first. */
  async list(limit = Infinity): Promise<Note[]> {
    const db = await this.#open();
    const notes: Note[] = [];
    let cursor = await db.transaction('notes').store.index('createdAt').openCursor(null, 'prev');
    while (cursor && notes.length < limit) {
      notes.push(cursor.value);
      cursor = await cursor.continue();
    }
    return notes;
  }

  /** @returns the note removed, or undefined when no note has that id. */
  async deleteById(id: string): Promise<Note | undefined> {
    const tx = (await this.#open()).transaction('notes', 'readwrite');
    const note = await tx.store.get(id);
    if (note) await tx.store.delete(id);
    await tx.done;
    return note;
  }

  /** Removes every note whose text is exactly `text`. @returns the notes removed. */
  async deleteByText(text: string): Promise<Note[]> {
    const tx = (await this.#open()).transaction('notes', 'readwrite');
    const notes = await tx.store.index('text').getAll(text);
    await Promise.all(notes.map((note) => tx.store.delete(note.id)));
    await tx.done;
    return notes;
  }

  close(): void {
    void this.#db?.then(
      (db) => db.close(),
      () => undefined,
    );
    this.#db = null;
  }

  #open(): Promise<IDBPDatabase<NotesSchema>> {
    this.#db ??= openDatabase<NotesSchema>(
      this.#options.indexedDB ?? globalIndexedDB(),
      NOTES_DB_NAME,
      NOTES_DB_VERSION,
      (db) => {
        const store = db.createObjectStore('notes', { keyPath: 'id' });
        store.createIndex('createdAt', 'createdAt');
        store.createIndex('text', 'text');
      },
    ).catch((error: unknown) => {
      this.#db = null; // let the next call try again
      throw error;
    });
    return this.#db;
  }
}
