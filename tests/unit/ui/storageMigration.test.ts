/**
 * A database written by the app before the stored record had its own type (IndexedDB version 1,
 * records of schema version 1: tests/fixtures/storage/) opens in this version with the same
 * conversations and messages; the list comes from the summaries without reading every record; and a
 * record this version cannot read is listed as unreadable and kept.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConversationStore,
  ConversationStoreError,
  DB_VERSION,
} from '../../../src/ui/persistence/conversationStore.ts';
import { newConversation, type Conversation } from '../../../src/ui/persistence/conversation.ts';
import { SCHEMA_VERSION, toRecord } from '../../../src/ui/persistence/storedConversation.ts';
import { ConversationsState } from '../../../src/ui/state/conversations.svelte.ts';
import { INTERRUPTED_MESSAGE, newUserMessage } from '../../../src/ui/state/chatMessages.ts';
import { channelPair, closeChannels } from '../../doubles/twoTabs.ts';
import { fixtureV1, recordsV1 } from '../../fixtures/storage/conversationsV1.ts';

afterEach(() => {
  vi.restoreAllMocks();
  closeChannels();
});

let n = 0;

/** A database exactly as the app at 24b7ccd created it, holding `records`. @returns its name */
async function version1Database(records: unknown[]): Promise<string> {
  const name = `callama-v1-${++n}`;
  const db = await openDB(name, 1, {
    upgrade(d) {
      d.createObjectStore('conversations', { keyPath: 'id' }).createIndex('updatedAt', 'updatedAt');
    },
  });
  for (const r of records) await db.put('conversations', r);
  db.close();
  return name;
}

async function rawRecords(name: string): Promise<Record<string, unknown>[]> {
  const db = await openDB(name);
  const all = (await db.getAll('conversations')) as Record<string, unknown>[];
  db.close();
  return all;
}

/** A state on its own channel (no other test hears it). */
const stateOver = (store: ConversationStore) => new ConversationsState(store, channelPair()[0]);

/** The object stores read from while `run` runs (spies that call through, then report their `this`). */
async function storesRead(run: () => Promise<unknown>): Promise<string[]> {
  const methods = ['get', 'getAll', 'openCursor', 'getAllKeys', 'count'] as const;
  const onStores = methods.map((m) => vi.spyOn(IDBObjectStore.prototype, m));
  const onIndexes = methods.map((m) => vi.spyOn(IDBIndex.prototype, m));
  await run();
  const read: string[] = [];
  for (const spy of onStores) for (const store of spy.mock.contexts as IDBObjectStore[]) read.push(store.name);
  for (const spy of onIndexes) for (const index of spy.mock.contexts as IDBIndex[]) read.push(index.objectStore.name);
  vi.restoreAllMocks();
  return read;
}

describe('migration from records of schema version 1', () => {
  it('opens a database of the previous version with every conversation and message as it was', async () => {
    const fixture = fixtureV1();
    const name = await version1Database(recordsV1());
    const store = new ConversationStore(name);

    const list = await store.list();
    const newestFirst = [...fixture].sort((a, b) => b.updatedAt - a.updatedAt);
    expect(list).toEqual(
      newestFirst.map((c) => ({
        id: c.id,
        title: c.title,
        updatedAt: c.updatedAt,
        messageCount: c.messages.length,
        ...(c.modelId ? { modelId: c.modelId } : {}),
      })),
    );
    for (const c of fixture) expect(await store.get(c.id)).toEqual(c);

    // Rewritten in the current schema, each smaller than before.
    const raw = await rawRecords(name);
    expect(raw.map((r) => r.schemaVersion)).toEqual(fixture.map(() => SCHEMA_VERSION));
    for (const r of raw) {
      const before = recordsV1().find((c) => c.id === r.id);
      expect(JSON.stringify(r).length).toBeLessThan(JSON.stringify(before).length);
    }
    const db = await openDB(name);
    expect(db.version).toBe(DB_VERSION);
    db.close();
  });

  it('shows the migrated conversations as before: the latest opened, a closed page’s call not run', async () => {
    const fixture = fixtureV1();
    const state = stateOver(new ConversationStore(await version1Database(recordsV1())));
    await state.init();
    const latest = [...fixture].sort((a, b) => b.updatedAt - a.updatedAt)[0];
    expect(state.current?.id).toBe(latest?.id);
    const interrupted = fixture.find((c) => c.title === 'Compute 23*19');
    if (!interrupted) throw new Error('fixture changed');
    await state.select(interrupted.id);
    const answer = state.current?.messages[1];
    expect(answer).toMatchObject({ role: 'assistant', status: 'stopped' });
    if (answer?.role !== 'assistant') throw new Error('no answer');
    expect(answer.steps[0]?.calls[0]?.result).toMatchObject({ ok: false, error: { message: INTERRUPTED_MESSAGE } });
    // Each step still shows its exact request in the inspector.
    const chat = fixture.find((c) => c.title === 'What is 23*19?');
    if (!chat) throw new Error('fixture changed');
    await state.select(chat.id);
    expect(state.current?.messages).toEqual(chat.messages);
  });

  it('keeps a record it cannot migrate, listed as unreadable, and opens the others', async () => {
    const [good] = recordsV1();
    const broken = { id: 'broken', title: 'Half written', createdAt: 1, updatedAt: 9e12, messages: 'oops' };
    const name = await version1Database([good, broken]);
    const state = stateOver(new ConversationStore(name));
    await state.init();
    expect(state.list.find((s) => s.id === 'broken')).toMatchObject({ title: 'Half written', unreadable: 'damaged' });
    expect(state.current?.id).toBe(good?.id);
    expect(state.storageError).toBeNull();
    expect((await rawRecords(name)).find((r) => r.id === 'broken')).toEqual(broken);
  });
});

describe('records saved by a newer version', () => {
  it('are listed as unreadable when opened, never written over, and can still be deleted', async () => {
    const store = new ConversationStore(`callama-newer-${++n}`);
    const c = newConversation(5000);
    c.messages.push(newUserMessage('from the future', 5000));
    await store.put(c);
    const db = await openDB(`callama-newer-${n}`);
    const newer = { ...toRecord(c), schemaVersion: SCHEMA_VERSION + 1, messages: { shape: 'unknown' } };
    await db.put('conversations', newer);
    db.close();

    const state = stateOver(store);
    await state.init();
    expect(state.list.find((s) => s.id === c.id)).toMatchObject({ unreadable: 'newer' });
    expect(state.current?.id).not.toBe(c.id);
    expect(state.storageError).toBeNull();

    await state.rename(c.id, 'Mine now');
    const after = await openDB(`callama-newer-${n}`);
    expect(await after.get('conversations', c.id)).toEqual(newer);
    after.close();

    await state.remove(c.id);
    expect(state.list.some((s) => s.id === c.id)).toBe(false);
    expect(await store.summary(c.id)).toBeUndefined();
  });
});

describe('conversation list', () => {
  it('comes from the summaries: no conversation record is read to list them', async () => {
    const store = new ConversationStore(`callama-list-${++n}`);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const c: Conversation = { ...newConversation(1000 + i), title: `Chat ${i}`, modelId: 'm' };
      c.messages.push(newUserMessage(`question ${i}`, 1000 + i));
      await store.put(c);
      ids.unshift(c.id);
    }
    let list: Awaited<ReturnType<ConversationStore['list']>> = [];
    const read = await storesRead(async () => {
      list = await store.list();
    });
    expect(list.map((s) => s.id)).toEqual(ids);
    expect(list[0]).toMatchObject({ title: 'Chat 19', messageCount: 1, modelId: 'm' });
    expect(read).toContain('summaries');
    expect(read).not.toContain('conversations');

    // Opening the app reads one whole record: the conversation it shows.
    const state = stateOver(store);
    const opened = await storesRead(() => state.init());
    expect(opened.filter((s) => s === 'conversations')).toHaveLength(1);
    expect(state.list).toHaveLength(20);
  });

  it('keeps each summary with its record: renamed, written and deleted in the same transaction', async () => {
    const store = new ConversationStore(`callama-list-${++n}`);
    const c = newConversation(1000);
    c.messages.push(newUserMessage('hi', 1000));
    await store.put(c);
    await store.update(c.id, (s) => s && { ...s, title: 'Greeting', updatedAt: 2000, modelId: 'x' });
    expect(await store.summary(c.id)).toEqual({
      id: c.id,
      title: 'Greeting',
      updatedAt: 2000,
      messageCount: 1,
      modelId: 'x',
    });
    await store.delete(c.id);
    expect(await store.list()).toEqual([]);
    expect(await store.get(c.id)).toBeUndefined();
  });
});

describe('a newer version of the app in another tab', () => {
  it('is not blocked from upgrading the database; this tab then fails to save with an error, not a hang', async () => {
    const name = `callama-upgrade-${++n}`;
    const store = new ConversationStore(name);
    const c = newConversation(1000);
    c.messages.push(newUserMessage('hi', 1000));
    await store.put(c);
    const newerApp = await openDB(name, DB_VERSION + 1); // resolves only once this tab let go
    newerApp.close();
    await expect(store.put(c)).rejects.toBeInstanceOf(ConversationStoreError);
  });
});
