import { describe, expect, it } from 'vitest';
import { applyToView, mergeConversation } from '../../../src/ui/persistence/mergeConversation.ts';
import { newConversation, type Conversation } from '../../../src/ui/persistence/conversation.ts';
import {
  newAssistantMessage,
  newUserMessage,
  type Message,
  type UserMessage,
} from '../../../src/ui/state/chatMessages.ts';

const user = (text: string, at: number): UserMessage => ({ ...newUserMessage(text, at), id: text });
const conv = (messages: Message[], patch: Partial<Conversation> = {}): Conversation => ({
  ...newConversation(1),
  id: 'c',
  messages,
  ...patch,
});
const texts = (c: Conversation | undefined) => c?.messages.map((m) => (m.role === 'user' ? m.content : m.status));

describe('mergeConversation', () => {
  it('writes a new conversation as it is', () => {
    const local = conv([user('a', 1)]);
    expect(mergeConversation({ base: undefined, local, stored: undefined, owned: new Set(['a']) })).toBe(local);
  });

  it('writes nothing for a conversation deleted in another tab', () => {
    const base = conv([user('a', 1)]);
    expect(
      mergeConversation({ base, local: conv([user('a', 1), user('b', 2)]), stored: undefined, owned: new Set(['b']) }),
    ).toBeUndefined();
  });

  it('takes the stored version of messages this tab did not create, and orders by creation', () => {
    const base = conv([user('a', 1)]);
    const theirs = { ...newAssistantMessage({}, 2), id: 'x', status: 'done' as const };
    const stored = conv([user('a', 1), theirs]);
    const staleTheirs = { ...theirs, status: 'stopped' as const };
    const local = conv([user('a', 1), staleTheirs, user('mine', 3)]);
    const merged = mergeConversation({ base, local, stored, owned: new Set(['mine']) });
    expect(texts(merged)).toEqual(['a', 'done', 'mine']);
  });

  it('drops a message that was stored before and no longer is, unless this tab owns it', () => {
    const base = conv([user('a', 1), user('gone', 2)]);
    const merged = mergeConversation({
      base,
      local: conv([user('a', 1), user('gone', 2), user('mine', 3)]),
      stored: conv([user('a', 1)]),
      owned: new Set(['mine']),
    });
    expect(texts(merged)).toEqual(['a', 'mine']);
  });

  it('writes the fields this tab changed and keeps the ones another tab changed', () => {
    const base = conv([], { title: 'Old', system: '' });
    const local = conv([], { title: 'Mine', system: '' });
    const stored = conv([], { title: 'Old', system: 'Theirs', thinking: true });
    const merged = mergeConversation({ base, local, stored, owned: new Set() });
    expect([merged?.title, merged?.system, merged?.thinking]).toEqual(['Mine', 'Theirs', true]);
  });
});

describe('applyToView', () => {
  it('keeps the objects this tab owns, inserts and replaces the others, keeps edits made meanwhile', () => {
    const streaming = { ...newAssistantMessage({}, 3), id: 'live' };
    const view = conv([user('a', 1), { ...user('b', 2), content: 'b (old)' }, streaming], { title: 'T' });
    const snapshot = structuredClone(view);
    const previous = conv([user('a', 1), { ...user('b', 2), content: 'b (old)' }]);
    view.system = 'typed meanwhile';
    const next = conv([user('a', 1), user('b', 2), user('c', 2.5), { ...streaming, status: 'done' }], {
      title: 'Renamed',
      system: 'stored',
    });
    applyToView(view, snapshot, previous, next, new Set(['live']));
    expect(view.messages.map((m) => m.id)).toEqual(['a', 'b', 'c', 'live']);
    expect(view.messages[1]).toMatchObject({ content: 'b' });
    expect(view.messages[3]).toBe(streaming); // the chat still streams into this object
    expect([view.title, view.system]).toEqual(['Renamed', 'typed meanwhile']);
  });

  it('keeps a message sent while the merge ran, though the store does not have it yet', () => {
    // The store holds a and b; a merge took its snapshot then; the user sent c and its answer meanwhile.
    const stored = conv([user('a', 1), user('b', 2)]);
    const view = structuredClone(stored);
    const snapshot = structuredClone(view);
    const answer = { ...newAssistantMessage({}, 4), id: 'answer-c' };
    view.messages.push(user('c', 3), answer);
    applyToView(view, snapshot, stored, structuredClone(stored), new Set());
    expect(view.messages.map((m) => m.id)).toEqual(['a', 'b', 'c', 'answer-c']);
    expect(view.messages[3]).toBe(answer);
  });

  it('does not put back a message removed from the view while the merge ran', () => {
    // An edit resent meanwhile dropped b and its answer; the store, written from the snapshot, still has them.
    const stored = conv([user('a', 1), user('b', 2), { ...newAssistantMessage({}, 3), id: 'answer-b' }]);
    const view = structuredClone(stored);
    const snapshot = structuredClone(view);
    view.messages.splice(1);
    applyToView(view, snapshot, stored, structuredClone(stored), new Set());
    expect(view.messages.map((m) => m.id)).toEqual(['a']);
  });

  it('removes a message another tab deleted, and shows one another tab added', () => {
    const previous = conv([user('a', 1), user('b', 2)]);
    const view = structuredClone(previous);
    const next = conv([user('a', 1), user('c', 3)]);
    applyToView(view, structuredClone(view), previous, next, new Set());
    expect(view.messages.map((m) => m.id)).toEqual(['a', 'c']);
  });

  it('leaves a message shown revived when the store has not changed it', () => {
    const raw = { ...newAssistantMessage({}, 2), id: 'x' };
    const view = conv([user('a', 1), { ...raw, status: 'stopped' }]);
    const previous = conv([user('a', 1), raw]);
    applyToView(view, structuredClone(view), previous, structuredClone(previous), new Set());
    expect(texts(view)).toEqual(['a', 'stopped']);
  });
});
