import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { NoteStore, NOTES_DB_NAME } from '../../../../src/functions/notes/NoteStore.ts';
import { createSaveNote } from '../../../../src/functions/notes/saveNote.ts';
import { createListNotes } from '../../../../src/functions/notes/listNotes.ts';
import { createDeleteNote, NoteNotFoundError } from '../../../../src/functions/notes/deleteNote.ts';
import { signal } from '../fakeBrowserApis.ts';

/** A store on a fresh in-memory IndexedDB, with a clock that ticks one minute per note. */
function freshStore(factory = new IDBFactory()) {
  let minute = 0;
  let id = 0;
  const store = new NoteStore({
    indexedDB: factory,
    now: () => new Date(Date.UTC(2026, 2, 3, 5, minute++)),
    newId: () => `note-${++id}`,
  });
  return {
    store,
    factory,
    save: createSaveNote(store),
    list: createListNotes(store),
    del: createDeleteNote(store),
  };
}

describe('notes', () => {
  it('saves notes and lists them most recent first', async () => {
    const { save, list } = freshStore();
    await expect(save.handler({ text: '  buy milk ' }, { signal })).resolves.toEqual({
      id: 'note-1',
      text: 'buy milk',
      createdAt: '2026-03-03T05:00:00.000Z',
    });
    await save.handler({ text: 'call Ann' }, { signal });
    await save.handler({ text: 'water plants' }, { signal });
    const listed = await list.handler({}, { signal });
    expect(listed).toEqual({
      count: 3,
      notes: [
        { id: 'note-3', text: 'water plants', createdAt: '2026-03-03T05:02:00.000Z' },
        { id: 'note-2', text: 'call Ann', createdAt: '2026-03-03T05:01:00.000Z' },
        { id: 'note-1', text: 'buy milk', createdAt: '2026-03-03T05:00:00.000Z' },
      ],
    });
    await expect(list.handler({ limit: 2 }, { signal })).resolves.toMatchObject({
      count: 2,
      notes: [{ id: 'note-3' }, { id: 'note-2' }],
    });
  });

  it('keeps notes in the callama-notes database across store instances', async () => {
    const factory = new IDBFactory();
    const first = freshStore(factory);
    await first.save.handler({ text: 'persisted' }, { signal });
    first.store.close();
    const second = new NoteStore({ indexedDB: factory });
    await expect(second.list()).resolves.toMatchObject([{ text: 'persisted' }]);
    const names = (await factory.databases()).map((d) => d.name);
    expect(names).toEqual([NOTES_DB_NAME]);
  });

  it('deletes by id', async () => {
    const { save, list, del } = freshStore();
    await save.handler({ text: 'a' }, { signal });
    await save.handler({ text: 'b' }, { signal });
    await expect(del.handler({ id: 'note-1' }, { signal })).resolves.toMatchObject({
      deleted: 1,
      notes: [{ id: 'note-1', text: 'a' }],
    });
    await expect(list.handler({}, { signal })).resolves.toMatchObject({ count: 1, notes: [{ text: 'b' }] });
  });

  it('deletes every note with exactly the given text', async () => {
    const { save, list, del } = freshStore();
    for (const text of ['dup', 'dup', 'dup but longer']) await save.handler({ text }, { signal });
    await expect(del.handler({ text: ' dup ' }, { signal })).resolves.toMatchObject({ deleted: 2 });
    await expect(list.handler({}, { signal })).resolves.toMatchObject({
      count: 1,
      notes: [{ text: 'dup but longer' }],
    });
  });

  it('says when nothing matched, instead of claiming success', async () => {
    const { del } = freshStore();
    await expect(del.handler({ id: 'nope' }, { signal })).rejects.toThrow(NoteNotFoundError);
    await expect(del.handler({ text: 'ghost' }, { signal })).rejects.toThrow(
      'No note has the text "ghost". Call list_notes',
    );
    await expect(del.handler({}, { signal })).rejects.toThrow('Give the "id" or the exact "text"');
  });

  it('refuses empty, huge or non-text notes and bad limits', async () => {
    const { save, list } = freshStore();
    await expect(save.handler({ text: '   ' }, { signal })).rejects.toThrow('"text" is required');
    await expect(save.handler({ text: 7 }, { signal })).rejects.toThrow('"text" must be text.');
    await expect(save.handler({ text: 'x'.repeat(10_001) }, { signal })).rejects.toThrow('at most 10000 characters');
    await expect(list.handler({ limit: 0 }, { signal })).rejects.toThrow('"limit" must be a whole number');
  });
});
