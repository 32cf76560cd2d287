/**
 * The stored record is its own versioned type: converting a conversation to it and back gives the same
 * conversation, an answer's later steps store only what their prompt adds, and a record this version
 * cannot read says why instead of breaking the reader.
 */
import { describe, expect, it } from 'vitest';
import { newConversation, type Conversation } from '../../../src/ui/persistence/conversation.ts';
import {
  fromRecord,
  SCHEMA_VERSION,
  toRecord,
  UnreadableRecordError,
  type StoredAnswer,
} from '../../../src/ui/persistence/storedConversation.ts';
import { rebuildRequest, storeRequest } from '../../../src/ui/persistence/storedRequest.ts';
import type { GenerateRequest } from '../../../src/lib/types/generation.ts';
import { fixtureV1 } from '../../fixtures/storage/conversationsV1.ts';

const byTitle = (title: string): Conversation => {
  const c = fixtureV1().find((x) => x.title === title);
  if (!c) throw new Error(`no fixture ${title}`);
  return c;
};

const count = (text: string, part: string): number => text.split(part).length - 1;

function unreadable(raw: unknown): UnreadableRecordError {
  try {
    fromRecord(raw);
  } catch (e) {
    if (e instanceof UnreadableRecordError) return e;
    throw e;
  }
  throw new Error('read without error');
}

describe('stored conversation record', () => {
  it.each(fixtureV1().map((c) => [c.title, c] as const))(
    'gives back the same conversation after a round trip (%s)',
    (_title, c) => {
      const record = toRecord(c);
      expect(record.schemaVersion).toBe(SCHEMA_VERSION);
      // Through JSON as well: what export writes and IndexedDB's clone keep.
      expect(fromRecord(JSON.parse(JSON.stringify(record)))).toEqual(c);
    },
  );

  it('stores each request as what its prompt adds to the one before, not the whole request again', () => {
    for (const title of ['What is 23*19?', 'Hi!']) {
      const c = byTitle(title);
      const record = toRecord(c);
      const answers = record.messages.filter((m): m is StoredAnswer => m.role === 'assistant');
      const steps = answers.flatMap((a) => a.steps);
      expect(steps.filter((s) => s.step > 0).length).toBeGreaterThan(0);
      expect(steps.map((s) => Object.keys(s.request)[0])).toEqual(steps.map((_, i) => (i === 0 ? 'whole' : 'delta')));
      // The function instructions were sent with every step; stored, they are there once.
      const instructions = 'within <tools></tools> XML tags';
      const json = JSON.stringify(record);
      expect(count(JSON.stringify(c), instructions)).toBe(steps.length);
      expect(count(json, instructions)).toBe(1);
      expect(json.length).toBeLessThan(JSON.stringify(c).length);
    }
    // The user's system prompt: in the conversation's own field and in the first request only.
    const c = byTitle('What is 23*19?');
    expect(count(JSON.stringify(c), 'Answer briefly.')).toBeGreaterThan(3);
    expect(count(JSON.stringify(toRecord(c)), 'Answer briefly.')).toBe(2);
  });

  it('keeps options that change between steps, and a change of API whole', () => {
    const first: GenerateRequest = { api: 'completion', prompt: 'abc', stop: ['x'], maxTokens: 10 };
    const second: GenerateRequest = { api: 'completion', prompt: 'abcdef', stop: ['x'], maxTokens: 20 };
    const stored = storeRequest(second, first);
    expect(stored).toEqual({ delta: { keep: 3, append: 'def', options: { stop: ['x'], maxTokens: 20 } } });
    expect(rebuildRequest(stored, first)).toEqual(second);
    const chat: GenerateRequest = { api: 'chat', messages: [{ role: 'user', content: 'abc' }] };
    expect(storeRequest(chat, first)).toEqual({ whole: chat });
    // A prompt fitted anew (an earlier message left out) keeps only the part both share.
    const a: GenerateRequest = {
      api: 'chat',
      messages: [
        { role: 'system', content: 's' },
        { role: 'user', content: 'old' },
        { role: 'user', content: 'new' },
      ],
    };
    const b: GenerateRequest = {
      api: 'chat',
      messages: [
        { role: 'system', content: 's' },
        { role: 'user', content: 'new' },
        { role: 'assistant', content: 'call' },
      ],
    };
    expect(storeRequest(b, a)).toEqual({ delta: { keep: 1, append: b.messages.slice(1) } });
    expect(rebuildRequest(storeRequest(b, a), a)).toEqual(b);
  });

  it('reads a record of schema version 1 (no schemaVersion) as it was', () => {
    const c = byTitle('Hi!');
    expect(fromRecord(structuredClone(c))).toEqual(c);
  });

  it('says a record from a newer version is newer, and a damaged one damaged, without reading it', () => {
    const record = { ...toRecord(newConversation()), schemaVersion: SCHEMA_VERSION + 1 };
    expect(unreadable(record).reason).toBe('newer');
    const noMessages = unreadable({ ...toRecord(newConversation()), messages: 'none' });
    expect(noMessages.reason).toBe('damaged');
    // The same shape check as Import, naming where the record is broken.
    expect(noMessages.message).toBe('messages must be a list.');
    expect(unreadable(null).reason).toBe('damaged');

    const c = byTitle('What is 23*19?');
    const broken = toRecord(c);
    const answer = broken.messages.find((m): m is StoredAnswer => m.role === 'assistant' && m.steps.length > 1);
    const later = answer?.steps[1];
    if (!later || !('delta' in later.request)) throw new Error('fixture has no later step');
    later.request.delta.keep = 10_000; // more than the step before it had
    expect(unreadable(broken).reason).toBe('damaged');
  });
});
