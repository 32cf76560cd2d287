import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { ConversationStore } from '../../../src/ui/persistence/conversationStore.ts';
import { conversationToJson, exportFileName } from '../../../src/ui/persistence/exportConversation.ts';
import { ConversationImportError, parseConversationExport } from '../../../src/ui/persistence/importConversation.ts';
import { newConversation } from '../../../src/ui/persistence/conversation.ts';
import { ConversationsState } from '../../../src/ui/state/conversations.svelte.ts';
import { newAssistantMessage, newUserMessage } from '../../../src/ui/state/chatMessages.ts';

let dbCount = 0;
const freshStore = () => new ConversationStore(`callama-test-${++dbCount}`);

describe('ConversationsState', () => {
  it('opens a new conversation on a first visit without listing or storing it while nothing was sent', async () => {
    const store = freshStore();
    const state = new ConversationsState(store);
    await state.init();
    expect(state.ready).toBe(true);
    expect(state.current?.title).toBe('New conversation');
    const c = state.current;
    if (!c) throw new Error('no conversation');
    // Options set before the first message do not make it an entry either.
    state.setSystem(c, 'Be brief.');
    await state.flush(c);
    expect(state.list).toEqual([]);
    expect(await store.list()).toEqual([]);

    c.messages.push(newUserMessage('hello'));
    await state.flush(c);
    expect(state.list.map((s) => s.id)).toEqual([c.id]);
    expect((await store.get(c.id))?.system).toBe('Be brief.');
  });

  it('starts new conversations with the default system prompt of the moment', async () => {
    let defaultSystem = 'Answer in French.';
    const state = new ConversationsState(freshStore(), undefined, { defaultSystem: () => defaultSystem });
    await state.init();
    const first = state.current;
    if (!first) throw new Error('no conversation');
    expect(first.system).toBe('Answer in French.');
    first.messages.push(newUserMessage('bonjour'));
    await state.flush(first);

    defaultSystem = 'Be brief.';
    const second = state.create();
    expect(second.id).not.toBe(first.id);
    expect(second.system).toBe('Be brief.');
    // The default is where a conversation starts; it never rewrites one already begun.
    expect(first.system).toBe('Answer in French.');
  });

  it('saves a conversation and restores it, with a streaming answer marked stopped', async () => {
    const store = freshStore();
    const state = new ConversationsState(store);
    await state.init();
    const c = state.current;
    if (!c) throw new Error('no conversation');
    c.messages.push(newUserMessage('What is 23*19?'));
    state.nameFromFirstMessage(c, 'What is 23*19?');
    c.messages.push(newAssistantMessage({ modelId: 'm' })); // still streaming when the page "reloads"
    state.setToolChoice(c, { function: 'calculate' });
    await state.flush(c);

    const reloaded = new ConversationsState(store);
    await reloaded.init();
    expect(reloaded.current?.id).toBe(c.id);
    expect(reloaded.current?.title).toBe('What is 23*19?');
    expect(reloaded.current?.toolChoice).toEqual({ function: 'calculate' });
    expect(reloaded.current?.messages[1]).toMatchObject({ role: 'assistant', status: 'stopped' });
  });

  it('writes throttled saves without waiting for the end of a turn', async () => {
    const store = freshStore();
    const state = new ConversationsState(store);
    await state.init();
    const c = state.current;
    if (!c) throw new Error('no conversation');
    c.messages.push(newUserMessage('hello'));
    state.scheduleSave(c);
    state.scheduleSave(c);
    await new Promise((r) => setTimeout(r, 400));
    expect((await store.get(c.id))?.messages).toHaveLength(1);
  });

  it('saves asked for while a write waits its turn are that write: one more copy, holding the latest state', async () => {
    const store = freshStore();
    let updates = 0;
    const update = store.update.bind(store);
    store.update = (...args) => {
      updates++;
      return update(...args);
    };
    const state = new ConversationsState(store);
    await state.init();
    const c = state.current;
    if (!c) throw new Error('no conversation');
    c.messages.push(newUserMessage('first'));
    const first = state.flush(c);
    await vi.waitFor(() => expect(updates).toBe(1)); // the first write has started
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      c.messages.push(newUserMessage(`more ${i}`));
      saves.push(state.flush(c));
    }
    await Promise.all([first, ...saves]);
    expect(updates).toBe(2);
    expect((await store.get(c.id))?.messages.map((m) => (m.role === 'user' ? m.content : ''))).toEqual([
      'first',
      ...Array.from({ length: 20 }, (_, i) => `more ${i}`),
    ]);
  });

  it('creates, switches, renames and deletes conversations', async () => {
    const store = freshStore();
    const state = new ConversationsState(store);
    await state.init();
    const first = state.current;
    if (!first) throw new Error('no conversation');
    expect(state.create()).toBe(first); // an empty one is reused
    first.messages.push(newUserMessage('one'));
    await state.flush(first);
    const second = state.create();
    expect(second.id).not.toBe(first.id);
    second.messages.push(newUserMessage('two'));
    await state.flush(second);
    expect(state.list.map((s) => s.id)).toEqual([second.id, first.id]);

    await state.rename(first.id, '  Sums  ');
    expect((await store.get(first.id))?.title).toBe('Sums');
    await state.select(first.id);
    expect(state.current.id).toBe(first.id);

    await state.remove(first.id);
    expect(await store.get(first.id)).toBeUndefined();
    expect(state.current.id).toBe(second.id);
    expect(state.list.map((s) => s.id)).toEqual([second.id]);
  });
});

describe('ConversationsState deletion', () => {
  it('never writes back a conversation deleted while an answer was still streaming into it', async () => {
    const store = freshStore();
    const state = new ConversationsState(store);
    await state.init();
    const c = state.current;
    if (!c) throw new Error('no conversation');
    c.messages.push(newUserMessage('doomed'));
    await state.flush(c);
    await state.remove(c.id);
    c.messages.push(newAssistantMessage({})); // the running answer goes on
    state.scheduleSave(c);
    await state.flush(c);
    expect(await store.get(c.id)).toBeUndefined();
    expect(state.list.some((s) => s.id === c.id)).toBe(false);
  });
});

describe('export', () => {
  it('writes the conversation as versioned JSON, which reads back as the same conversation, with a safe file name', () => {
    const c = newConversation();
    c.title = 'Time in Tokyo / notes?';
    c.messages.push(newUserMessage('What time is it in Tokyo?'));
    const json = conversationToJson(c);
    const parsed = JSON.parse(json) as { format: string; version: number; conversation: { schemaVersion: number } };
    expect(parsed.format).toBe('callama-conversation');
    expect(parsed.version).toBe(2);
    expect(parsed.conversation.schemaVersion).toBe(2);
    // Imported as a new conversation (a fresh id), with the same messages and options.
    expect(parseConversationExport(json)).toMatchObject({ title: c.title, messages: c.messages });
    expect(exportFileName(c)).toBe('callama-time-in-tokyo-notes.json');
  });

  it('reads files exported before the stored record had its own type (version 1)', () => {
    const c = newConversation();
    c.messages.push(newUserMessage('hello'));
    const old = JSON.stringify({ format: 'callama-conversation', version: 1, exportedAt: '', conversation: c });
    expect(parseConversationExport(old).messages).toEqual(c.messages);
  });

  it('refuses files that are not conversations or come from a newer version', () => {
    expect(() => parseConversationExport('not json')).toThrow(ConversationImportError);
    expect(() => parseConversationExport('{"format":"other"}')).toThrow(ConversationImportError);
    expect(() => parseConversationExport('{"format":"callama-conversation","version":3}')).toThrow(/version 3/);
  });

  it('tells listeners which conversation is deleted, until they unsubscribe', async () => {
    const state = new ConversationsState(freshStore());
    await state.init();
    const seen: string[] = [];
    const unsubscribe = state.onRemove((id) => seen.push(id));
    const first = state.current;
    if (!first) throw new Error('no conversation');
    first.messages.push(newUserMessage('one'));
    await state.remove(first.id);
    unsubscribe();
    const second = state.current;
    await state.remove(second.id);
    expect(seen).toEqual([first.id]);
  });
});
