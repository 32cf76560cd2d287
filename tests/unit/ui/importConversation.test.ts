/**
 * Import of an exported conversation (persistence/importConversation.ts, ConversationsState.importFile):
 * a good file comes back as a new conversation that is listed and stored; a bad one is refused with a
 * sentence naming the problem, and nothing is stored. Search finds conversations by title and text.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ConversationStore } from '../../../src/ui/persistence/conversationStore.ts';
import { conversationToJson } from '../../../src/ui/persistence/exportConversation.ts';
import { newConversation } from '../../../src/ui/persistence/conversation.ts';
import { ConversationImportError, parseConversationExport } from '../../../src/ui/persistence/importConversation.ts';
import { ConversationsState } from '../../../src/ui/state/conversations.svelte.ts';
import { newAssistantMessage, newUserMessage } from '../../../src/lib/chat/messages.ts';
import { startVersion } from '../../../src/lib/chat/answerVersions.ts';

let n = 0;
const freshStore = () => new ConversationStore(`import-test-${++n}`);

function exported() {
  const c = newConversation();
  c.title = 'Weather talk';
  c.system = 'Be brief.';
  c.functionsOff = ['get_location'];
  c.messages.push(newUserMessage('Is it raining in Oslo?'));
  const answer = newAssistantMessage({ modelId: 'm', formatId: 'qwen3' });
  answer.status = 'done';
  answer.turns = [{ role: 'assistant', content: 'First try.' }];
  startVersion(answer, { modelId: 'm' });
  answer.status = 'done';
  answer.turns = [{ role: 'assistant', content: 'Yes, light rain.' }];
  c.messages.push(answer);
  return { c, json: conversationToJson(c) };
}

/** A stored record's own fields (storedConversation.ts), around the messages each case damages. */
const RECORD_FIELDS = { id: 'c', title: 't', createdAt: 1, updatedAt: 1, system: '', toolChoice: 'auto' };

describe('parseConversationExport', () => {
  it('reads an export back as a new conversation with its messages, versions and options', () => {
    const { c, json } = exported();
    const back = parseConversationExport(json);
    expect(back.id).not.toBe(c.id);
    expect(back.title).toBe('Weather talk');
    expect(back.system).toBe('Be brief.');
    expect(back.functionsOff).toEqual(['get_location']);
    expect(back.messages).toEqual(c.messages);
  });

  it.each([
    ['not JSON', '{"format": "callama-conv', /not JSON/],
    ['another JSON file', '{"name": "package"}', /not a Callama conversation export/],
    ['a newer version', JSON.stringify({ format: 'callama-conversation', version: 9, conversation: {} }), /version 9/],
    [
      'a message without text',
      JSON.stringify({
        format: 'callama-conversation',
        version: 1,
        conversation: { ...RECORD_FIELDS, messages: [{ id: 'a', role: 'user', createdAt: 1 }] },
      }),
      /conversation\.messages\[0\]\.content must be text/,
    ],
    [
      'a damaged answer step',
      JSON.stringify({
        format: 'callama-conversation',
        version: 1,
        conversation: {
          ...RECORD_FIELDS,
          messages: [
            {
              id: 'a',
              role: 'assistant',
              createdAt: 1,
              status: 'done',
              turns: [],
              steps: [{ step: 0, formatId: 'qwen3', request: {}, text: 5, calls: [] }],
            },
          ],
        },
      }),
      /messages\[0\]\.steps\[0\]\.text must be text/,
    ],
    [
      'a conversation without its system prompt',
      JSON.stringify({
        format: 'callama-conversation',
        version: 2,
        conversation: { ...RECORD_FIELDS, schemaVersion: 2, system: undefined, messages: [] },
      }),
      /conversation\.system must be text/,
    ],
    [
      'a call without a function name, in an earlier version of an answer',
      JSON.stringify({
        format: 'callama-conversation',
        version: 1,
        conversation: {
          ...RECORD_FIELDS,
          messages: [
            {
              id: 'a',
              role: 'assistant',
              createdAt: 1,
              status: 'done',
              turns: [],
              steps: [],
              versions: [
                {
                  status: 'done',
                  turns: [],
                  steps: [
                    {
                      step: 0,
                      formatId: 'qwen3',
                      request: { api: 'completion', prompt: 'p' },
                      text: '',
                      calls: [{ call: {} }],
                    },
                  ],
                },
              ],
            },
          ],
        },
      }),
      /conversation\.messages\[0\]\.versions\[0\]\.steps\[0\]\.calls\[0\]\.call\.name must be text/,
    ],
  ])('refuses %s with a sentence saying what is wrong', (_what, text, message) => {
    expect(() => parseConversationExport(text)).toThrow(ConversationImportError);
    expect(() => parseConversationExport(text)).toThrow(message);
  });
});

describe('ConversationsState import and search', () => {
  it('stores and opens a good file; a bad file stores nothing', async () => {
    const store = freshStore();
    const state = new ConversationsState(store);
    await state.init();
    await expect(state.importFile('{"format": "nope"}')).rejects.toThrow(ConversationImportError);
    expect(await store.list()).toEqual([]);
    expect(state.list).toEqual([]);

    const { json } = exported();
    const c = await state.importFile(json);
    expect(state.current?.id).toBe(c.id);
    expect(state.list.map((s) => s.title)).toEqual(['Weather talk']);
    expect((await store.get(c.id))?.messages).toHaveLength(2);
  });

  it('finds conversations by title and by the text of their messages, ignoring case', async () => {
    const state = new ConversationsState(freshStore());
    await state.init();
    const weather = await state.importFile(exported().json);
    const other = state.create();
    other.messages.push(newUserMessage('Note: buy MILK'));
    state.nameFromFirstMessage(other, 'Shopping');
    await state.flush(other);

    expect(await state.search('weather')).toEqual([weather.id]);
    expect(await state.search('milk')).toEqual([other.id]);
    // The answer shown (the second version) is searched.
    expect(await state.search('light rain')).toEqual([weather.id]);
    expect(await state.search('nothing like this')).toEqual([]);
    expect((await state.search('  ')).sort()).toEqual([weather.id, other.id].sort());
  });
});
