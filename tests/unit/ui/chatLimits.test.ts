// ChatState's side of the size limits: it refuses a message over the limit itself (not only the
// composer), and hands the loaded model's context window and tokenizer to the agent loop.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ChatState } from '../../../src/ui/state/chat.svelte.ts';
import { ConversationsState } from '../../../src/ui/state/conversations.svelte.ts';
import { SettingsState } from '../../../src/ui/state/settings.svelte.ts';
import { ConversationStore } from '../../../src/ui/persistence/conversationStore.ts';
import { FunctionRegistry } from '../../../src/lib/dispatch/registry.ts';
import { getPromptFormat } from '../../../src/lib/formats/index.ts';
import type { GenerateRequest, GenerateResult, TextGenerator } from '../../../src/lib/types/generation.ts';
import type { AssistantMessage } from '../../../src/ui/state/chatMessages.ts';

class EchoGenerator implements TextGenerator {
  requests: GenerateRequest[] = [];
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.requests.push(request);
    return { text: 'Noted.', finishReason: 'stop' };
  }
  interrupt(): void {}
  finishingStopped(): boolean {
    return false;
  }
}

let n = 0;
async function setup(contextWindow?: number) {
  const generator = new EchoGenerator();
  const conversations = new ConversationsState(new ConversationStore(`chat-limits-${++n}`));
  await conversations.init();
  const tokenized: string[] = [];
  const chat = new ChatState({
    readiness: () => ({
      generator,
      modelId: 'test-model',
      formatId: 'hermes',
      ...(contextWindow !== undefined ? { contextWindow } : {}),
      countTokens: async (text: string) => {
        tokenized.push(text);
        return text.split(/\s+/).filter(Boolean).length;
      },
    }),
    format: getPromptFormat,
    registry: () => new FunctionRegistry(),
    settings: new SettingsState(undefined),
    conversations,
  });
  const conversation = conversations.current;
  if (!conversation) throw new Error('no conversation');
  return { chat, conversation, generator, tokenized };
}

describe('ChatState size limits', () => {
  it('refuses a message over the limit without touching the conversation', async () => {
    const { chat, conversation, generator } = await setup(4096);
    expect(chat.limits.userMessageChars).toBe(6144);
    expect(await chat.send(conversation, 'a'.repeat(6145))).toBeNull();
    expect(conversation.messages).toHaveLength(0);
    expect(generator.requests).toHaveLength(0);
    expect(await chat.send(conversation, 'a'.repeat(6144))).not.toBeNull();
    expect(conversation.messages).toHaveLength(2);
  });

  it('the limit follows the model’s context window', async () => {
    const { chat } = await setup(8192);
    expect(chat.limits.userMessageChars).toBe(12_288);
  });

  it('fits the prompt with the model’s tokenizer and window, and keeps every message in the conversation', async () => {
    const { chat, conversation, generator, tokenized } = await setup(1024);
    // Each message is 300 tokens; with 512 kept for the answer only one earlier exchange can stay.
    for (const tag of ['ONE', 'TWO', 'THREE']) await chat.send(conversation, `${tag} ${'w '.repeat(299)}`);
    expect(tokenized.length).toBeGreaterThan(0);
    const last = generator.requests.at(-1);
    const sent = last?.api === 'chat' ? last.messages.map((m) => m.content).join('\n') : '';
    expect(sent).not.toContain('ONE');
    expect(sent).not.toContain('TWO');
    expect(sent).toContain('THREE');
    expect(conversation.messages).toHaveLength(6);
    const answer = conversation.messages.at(-1) as AssistantMessage;
    expect(answer.steps[0]?.context).toMatchObject({ windowTokens: 1024, droppedMessages: 4, counted: 'tokenizer' });
  });
});
