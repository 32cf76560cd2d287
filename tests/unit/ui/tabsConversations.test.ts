/**
 * Two tabs on one IndexedDB and one 'callama-store' channel: what one tab writes is never overwritten
 * by the other's older copy, a deleted conversation stays deleted, and calls a closed page left
 * unfinished read back as interrupted, never as done.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../../src/ui/persistence/conversationStore.ts';
import { ConversationsState } from '../../../src/ui/state/conversations.svelte.ts';
import { newAssistantMessage, newUserMessage, type AssistantMessage } from '../../../src/ui/state/chatMessages.ts';
import type { Conversation } from '../../../src/ui/persistence/conversation.ts';
import { channelPair, closeChannels, delivered } from '../../doubles/twoTabs.ts';

afterEach(closeChannels);

let dbCount = 0;

/** Tab A with a stored conversation open, and tab B opened on it afterwards. */
async function twoTabsOnOne(): Promise<{
  store: ConversationStore;
  a: ConversationsState;
  b: ConversationsState;
  ca: Conversation;
  cb: Conversation;
}> {
  const store = new ConversationStore(`callama-tabs-${++dbCount}`);
  const [chA, chB] = channelPair();
  const a = new ConversationsState(store, chA);
  await a.init();
  const ca = current(a);
  ca.messages.push(newUserMessage('first', 1000));
  await a.flush(ca);
  const b = new ConversationsState(new ConversationStore(`callama-tabs-${dbCount}`), chB);
  await b.init();
  const cb = current(b);
  expect(cb.id).toBe(ca.id);
  return { store, a, b, ca, cb };
}

function current(state: ConversationsState): Conversation {
  const c = state.current;
  if (!c) throw new Error('no conversation');
  return c;
}

const contents = (c: Conversation | undefined) =>
  c?.messages.map((m) => (m.role === 'user' ? m.content : `(${m.status})`));

describe('conversations across tabs', () => {
  it('keeps the messages both tabs wrote to one conversation, in the order they were asked', async () => {
    const { store, a, b, ca, cb } = await twoTabsOnOne();
    ca.messages.push(newUserMessage('from A', 2000));
    await a.flush(ca);
    cb.messages.push(newUserMessage('from B', 3000)); // B has not heard of A's message yet
    await b.flush(cb);
    expect(contents(await store.get(ca.id))).toEqual(['first', 'from A', 'from B']);
    await delivered();
    expect(contents(ca)).toEqual(['first', 'from A', 'from B']);
    expect(contents(cb)).toEqual(['first', 'from A', 'from B']);
  });

  it('never writes a message back from a stale copy: an answer finished in A stays finished', async () => {
    const { store, a, b, ca, cb } = await twoTabsOnOne();
    const answer = newAssistantMessage({ modelId: 'm' }, 2000);
    ca.messages.push(answer);
    await a.flush(ca); // streaming, as B may read it
    const b2 = new ConversationsState(new ConversationStore(`callama-tabs-${dbCount}`), channelPair()[0]);
    await b2.init(); // a tab opened mid-answer shows it stopped, but must not store that
    const mine = ca.messages[1] as AssistantMessage;
    mine.status = 'done';
    await a.flush(ca);
    current(b2).title = 'Renamed in B2';
    await b2.flush(current(b2));
    cb.system = 'Be brief.';
    await b.flush(cb);
    const stored = await store.get(ca.id);
    expect(stored?.messages[1]).toMatchObject({ id: answer.id, status: 'done' });
    expect([stored?.title, stored?.system]).toEqual(['Renamed in B2', 'Be brief.']);
  });

  it('keeps a conversation deleted in one tab deleted, whatever the other still had to write', async () => {
    const { store, a, b, ca, cb } = await twoTabsOnOne();
    cb.messages.push(newUserMessage('pending in B', 2000));
    b.scheduleSave(cb);
    await a.remove(ca.id);
    await b.flush(cb); // B's write comes after the delete (before or after the broadcast)
    expect(await store.get(ca.id)).toBeUndefined();
    await delivered();
    expect(b.list.some((s) => s.id === ca.id)).toBe(false);
    expect(current(b).id).not.toBe(ca.id);
  });

  it('drops a conversation from the other tab once it hears of the delete', async () => {
    const { a, b, ca } = await twoTabsOnOne();
    const removed: string[] = [];
    b.onRemove((id) => removed.push(id));
    await a.remove(ca.id);
    await delivered();
    expect(removed).toEqual([ca.id]);
    expect(b.list.map((s) => s.id)).not.toContain(ca.id);
  });

  it('shows a rename and a new conversation from the other tab in the list', async () => {
    const { a, b, ca } = await twoTabsOnOne();
    await a.rename(ca.id, 'Sums');
    await delivered();
    expect(current(b).title).toBe('Sums');
    const other = a.create();
    other.messages.push(newUserMessage('another', 5000));
    await a.flush(other);
    await delivered();
    expect(b.list.map((s) => s.id)).toContain(other.id);
  });
});

describe('calls a closed page left unfinished', () => {
  it('read back as "Not run (interrupted)", never as done', async () => {
    const store = new ConversationStore(`callama-tabs-${++dbCount}`);
    const [ch] = channelPair();
    const tab = new ConversationsState(store, ch);
    await tab.init();
    const c = current(tab);
    c.messages.push(newUserMessage('open example.com', 1000));
    const answer = newAssistantMessage({}, 1001);
    answer.steps.push({
      step: 0,
      formatId: 'hermes',
      request: { api: 'completion', prompt: 'p' },
      constrained: false,
      text: '',
      calls: [
        {
          callId: 'waits-for-consent',
          call: { name: 'open_url', arguments: { url: 'https://example.com' } },
          status: 'running',
        },
        {
          callId: 'ran',
          call: { name: 'get_time', arguments: {} },
          status: 'done',
          result: { ok: true, value: 1, json: '1', ms: 1 },
        },
      ],
    });
    c.messages.push(answer);
    await tab.flush(c);

    const reloaded = new ConversationsState(store, ch);
    await reloaded.init();
    const revived = current(reloaded).messages[1] as AssistantMessage;
    expect(revived.status).toBe('stopped');
    const [waited, ran] = revived.steps[0]?.calls ?? [];
    expect(waited?.result).toMatchObject({ ok: false, error: { kind: 'interrupted' } });
    expect(ran?.result).toMatchObject({ ok: true });
  });
});
