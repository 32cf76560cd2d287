import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ChatState } from '../../../src/ui/state/chat.svelte.ts';
import { ConversationsState } from '../../../src/ui/state/conversations.svelte.ts';
import { SettingsState } from '../../../src/ui/state/settings.svelte.ts';
import { ConversationStore } from '../../../src/ui/persistence/conversationStore.ts';
import { FunctionRegistry } from '../../../src/lib/dispatch/registry.ts';
import { getPromptFormat } from '../../../src/lib/formats/index.ts';
import { newUserMessage } from '../../../src/lib/chat/messages.ts';
import type { PromptFormat } from '../../../src/lib/formats/promptFormat.ts';
import type { FormatId } from '../../../src/lib/formats/index.ts';
import type { TextGenerator } from '../../../src/lib/types/generation.ts';
import { catalogThinkingDefault, thinkingControl, thinkingFor } from '../../../src/ui/state/thinkingChoice.ts';

let n = 0;
const freshStore = () => new ConversationStore(`thinking-choice-${++n}`);

/** The hermes format as a switchable one would declare itself (no built-in format can switch yet). */
function switchableFormat(defaultOn: boolean): PromptFormat {
  const hermes = getPromptFormat('hermes');
  return { ...hermes, syntax: { ...hermes.syntax, thinking: { switchable: true, defaultOn } } };
}

const idle: TextGenerator = {
  generate: async () => ({ text: 'ok', finishReason: 'stop' }),
  interrupt: () => {},
  finishingStopped: () => false,
};

async function chatWith(format: (id: FormatId) => PromptFormat, thinkingDefault?: boolean) {
  const conversations = new ConversationsState(freshStore());
  await conversations.init();
  const asked: (boolean | undefined)[] = [];
  const chat = new ChatState({
    readiness: () => ({
      generator: idle,
      modelId: 'm',
      formatId: 'hermes',
      ...(thinkingDefault !== undefined ? { thinkingDefault } : {}),
    }),
    format,
    registry: () => new FunctionRegistry(),
    settings: new SettingsState(undefined),
    conversations,
    run: async (options) => {
      asked.push(options.thinking);
      return { reason: 'answered', turns: [{ role: 'assistant', content: 'ok' }] };
    },
  });
  const conversation = conversations.current;
  if (!conversation) throw new Error('no conversation');
  return { chat, conversations, conversation, asked };
}

describe('thinkingChoice', () => {
  it('reads the catalog default only when it is a boolean', () => {
    expect(catalogThinkingDefault({ id: 'qwen3', thinkingDefault: true })).toBe(true);
    expect(catalogThinkingDefault({ id: 'qwen3', thinkingDefault: false })).toBe(false);
    expect(catalogThinkingDefault({ id: 'qwen2.5' })).toBeUndefined();
    expect(catalogThinkingDefault({ id: 'odd', thinkingDefault: 'yes' })).toBeUndefined();
    expect(catalogThinkingDefault(undefined)).toBeUndefined();
  });

  it('asks for the conversation choice, else the model default, else nothing', () => {
    expect(thinkingFor(false, true)).toBe(false);
    expect(thinkingFor(undefined, true)).toBe(true);
    expect(thinkingFor(undefined, undefined)).toBeUndefined();
  });

  it('shows a switch only where the format can switch, a line where it always reasons, nothing otherwise', () => {
    expect(thinkingControl(undefined, true, true)).toBeNull();
    expect(thinkingControl({ switchable: false, defaultOn: true }, false, undefined)).toEqual({ kind: 'always' });
    expect(thinkingControl({ switchable: true, defaultOn: true }, undefined, undefined)).toEqual({
      kind: 'switch',
      on: true,
    });
    expect(thinkingControl({ switchable: true, defaultOn: true }, undefined, false)).toEqual({
      kind: 'switch',
      on: false,
    });
    expect(thinkingControl({ switchable: true, defaultOn: false }, true, false)).toEqual({ kind: 'switch', on: true });
    // The built-in formats in this tree: none reasons by switch yet; hermes declares markers only.
    expect(thinkingControl(getPromptFormat('hermes').syntax.thinking, true, true)).toBeNull();
  });
});

describe('the conversation thinking choice', () => {
  it('is stored with the conversation, and cleared back to the default', async () => {
    const store = freshStore();
    const state = new ConversationsState(store);
    await state.init();
    const c = state.current;
    if (!c) throw new Error('no conversation');
    // The conversation is stored from its first message on (never as an empty entry).
    c.messages.push(newUserMessage('hello'));
    state.setThinking(c, false);
    await state.flush(c);

    const reloaded = new ConversationsState(store);
    await reloaded.init();
    expect(reloaded.current?.id).toBe(c.id);
    expect(reloaded.current?.thinking).toBe(false);

    const again = reloaded.current;
    if (!again) throw new Error('no conversation');
    reloaded.setThinking(again, undefined);
    again.messages.length = 0;
    again.title = 'kept';
    await reloaded.flush(again);
    expect((await store.get(c.id))?.thinking).toBeUndefined();
    expect(await store.get(c.id)).not.toHaveProperty('thinking');
  });

  it('reaches runAgent: the choice over the catalog default, the default when unset', async () => {
    const { chat, conversations, conversation, asked } = await chatWith(() => switchableFormat(true), true);
    await chat.send(conversation, 'first');
    conversations.setThinking(conversation, false);
    await chat.send(conversation, 'second');
    expect(asked).toEqual([true, false]);
    // The inspector's record of what was asked, on each answer.
    const answers = conversation.messages.filter((m) => m.role === 'assistant');
    expect(answers.map((m) => m.thinking)).toEqual([true, false]);
  });

  it('passes nothing when neither the conversation nor the catalog chose (the format default applies)', async () => {
    const { chat, conversation, asked } = await chatWith(() => switchableFormat(true));
    await chat.send(conversation, 'hi');
    expect(asked).toEqual([undefined]);
    expect(conversation.messages.at(-1)).not.toHaveProperty('thinking');
  });

  it('records no choice on answers from formats that cannot switch (they ignore it)', async () => {
    const { chat, conversations, conversation, asked } = await chatWith(getPromptFormat);
    conversations.setThinking(conversation, true);
    await chat.send(conversation, 'hi');
    expect(asked).toEqual([true]);
    expect(conversation.messages.at(-1)).not.toHaveProperty('thinking');
  });
});
