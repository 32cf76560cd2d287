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

/** Replies by rule (first regex matching the last message wins), streaming word by word; honours interrupt. */
class ScriptedGenerator implements TextGenerator {
  requests: GenerateRequest[] = [];
  #stop = false;
  constructor(
    private rules: [RegExp, string][],
    private delayMs = 0,
  ) {}
  async generate(request: GenerateRequest, onDelta?: (d: string, t: string) => void): Promise<GenerateResult> {
    this.requests.push(request);
    const prompt = request.api === 'chat' ? request.messages.map((m) => m.content).join('\n') : request.prompt;
    const reply = this.rules.find(([re]) => re.test(prompt))?.[1] ?? 'no rule';
    let text = '';
    this.#stop = false;
    for (const piece of reply.match(/\s*\S+/g) ?? []) {
      await new Promise((r) => setTimeout(r, this.delayMs));
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- interrupt() sets it during the await
      if (this.#stop) return { text, finishReason: 'abort' };
      text += piece;
      onDelta?.(piece, text);
    }
    return { text, finishReason: 'stop', stats: { decodeTokensPerS: 10 } };
  }
  interrupt(): void {
    this.#stop = true;
  }
  finishingStopped(): boolean {
    return false;
  }
}

let n = 0;
async function setup(generator: TextGenerator | null) {
  const registry = new FunctionRegistry();
  registry.register(
    {
      name: 'calculate',
      description: 'Arithmetic.',
      parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] },
    },
    (args) => ({ result: String(args.expression) === '23*19' ? 437 : 0 }),
  );
  const conversations = new ConversationsState(new ConversationStore(`chat-state-${++n}`));
  await conversations.init();
  const settings = new SettingsState(undefined);
  const chat = new ChatState({
    readiness: () =>
      generator
        ? { generator, modelId: 'test-model', formatId: 'hermes' }
        : { blocked: 'Load a model to start chatting.' },
    format: getPromptFormat,
    registry: () => registry,
    settings,
    conversations,
  });
  const conversation = conversations.current;
  if (!conversation) throw new Error('no conversation');
  return { chat, conversations, conversation };
}

const CALL = '<tool_call>\n{"name": "calculate", "arguments": {"expression": "23*19"}}\n</tool_call>';

describe('ChatState', () => {
  it('runs a full turn: call, result fed back, final answer; names and saves the conversation', async () => {
    const gen = new ScriptedGenerator([
      [/tool_response[\s\S]*437/, 'It is 437.'],
      [/23\*19/, CALL],
    ]);
    const { chat, conversation, conversations } = await setup(gen);
    const msg = await chat.send(conversation, '  What is 23*19?  ');
    expect(msg?.status).toBe('done');
    expect(conversation.title).toBe('What is 23*19?');
    expect(conversation.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    const answer = conversation.messages[1] as AssistantMessage;
    expect(answer.steps).toHaveLength(2);
    expect(answer.steps[0]?.calls[0]?.result).toMatchObject({ ok: true });
    expect(answer.steps[1]?.parsed?.text).toBe('It is 437.');
    expect(answer.modelId).toBe('test-model');
    expect(gen.requests[1]?.api === 'chat' && gen.requests[1].messages.some((m) => m.content.includes('437'))).toBe(
      true,
    );
    expect(chat.running).toBe(false);

    const reloaded = new ConversationsState(new ConversationStore(`chat-state-${n}`));
    await reloaded.init();
    expect(reloaded.current?.messages).toHaveLength(2);
    expect(conversations.list[0]?.title).toBe('What is 23*19?');
  });

  it('passes the settings and the conversation options to the loop', async () => {
    const gen = new ScriptedGenerator([[/./, 'Hello.']]);
    const { chat, conversation, conversations } = await setup(gen);
    conversations.setSystem(conversation, 'Answer like a pirate.');
    await chat.send(conversation, 'hi');
    const req = gen.requests[0];
    expect(req?.api).toBe('chat');
    if (req?.api !== 'chat') return;
    expect(req.messages[0]?.content).toContain('Answer like a pirate.');
    expect(req.temperature).toBe(0.2);
    expect(req.maxTokens).toBe(512);
  });

  it('hands the conversation mode and the chained-call limit to the agent loop', async () => {
    const { conversation, conversations } = await setup(new ScriptedGenerator([[/./, 'ok']]));
    const seen: unknown[] = [];
    const settings = new SettingsState(undefined);
    settings.update({ maxCalls: 2, temperature: 0.9 });
    const chat = new ChatState({
      readiness: () => ({ generator: new ScriptedGenerator([[/./, 'ok']]), modelId: 'm', formatId: 'generic' }),
      format: getPromptFormat,
      registry: () => new FunctionRegistry(),
      settings,
      conversations,
      run: async (options) => {
        seen.push({
          toolChoice: options.toolChoice,
          maxCalls: options.maxCalls,
          generation: options.generation,
          format: options.format.id,
        });
        return { reason: 'answered', turns: [{ role: 'assistant', content: 'ok' }] };
      },
    });
    conversations.setToolChoice(conversation, { function: 'calculate' });
    await chat.send(conversation, 'go');
    expect(seen).toEqual([
      {
        toolChoice: { function: 'calculate' },
        maxCalls: 2,
        generation: { temperature: 0.9, maxTokens: 512 },
        format: 'generic',
      },
    ]);
    expect(conversation.formatId).toBe('generic');
  });

  it('stops mid-stream, keeping the partial answer marked stopped', async () => {
    const gen = new ScriptedGenerator([[/./, 'one two three four five six seven eight nine ten eleven twelve']], 20);
    const { chat, conversation } = await setup(gen);
    const pending = chat.send(conversation, 'count');
    await new Promise((r) => setTimeout(r, 90));
    expect(chat.running).toBe(true);
    chat.stop();
    const msg = await pending;
    expect(msg?.status).toBe('stopped');
    const text = msg?.steps[0]?.text ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain('twelve');
  });

  it('stops the answer when its conversation is deleted, and does not save it back', async () => {
    const gen = new ScriptedGenerator([[/./, 'one two three four five six seven eight nine ten eleven twelve']], 20);
    const { chat, conversation, conversations } = await setup(gen);
    const id = conversation.id;
    const pending = chat.send(conversation, 'count');
    await new Promise((r) => setTimeout(r, 90));
    expect(chat.running).toBe(true);
    await conversations.remove(id);
    const msg = await pending;
    expect(msg?.status).toBe('stopped');
    expect(msg?.steps[0]?.text).not.toContain('twelve');
    expect(chat.running).toBe(false);
    expect(conversations.list.map((c) => c.id)).not.toContain(id);
    expect(await new ConversationStore(`chat-state-${n}`).get(id)).toBeUndefined();
  });

  it('keeps the answer running when another conversation is deleted', async () => {
    const gen = new ScriptedGenerator([[/./, 'one two three four five six']], 15);
    const { chat, conversation: other, conversations } = await setup(gen);
    other.messages.push({ id: 'u', role: 'user', content: 'old', createdAt: 0 });
    await conversations.flush(other);
    const conversation = conversations.create();
    expect(conversation.id).not.toBe(other.id);
    const pending = chat.send(conversation, 'count');
    await new Promise((r) => setTimeout(r, 40));
    await conversations.remove(other.id);
    const msg = await pending;
    expect(msg?.status).toBe('done');
    expect(msg?.steps[0]?.text).toBe('one two three four five six');
  });

  it('sends nothing while blocked, for empty text, or while another answer runs', async () => {
    const blocked = await setup(null);
    expect(blocked.chat.blockedReason).toBe('Load a model to start chatting.');
    expect(await blocked.chat.send(blocked.conversation, 'hi')).toBeNull();
    expect(blocked.conversation.messages).toEqual([]);

    const gen = new ScriptedGenerator([[/./, 'a b c d e f']], 10);
    const { chat, conversation } = await setup(gen);
    expect(await chat.send(conversation, '   ')).toBeNull();
    const first = chat.send(conversation, 'first');
    expect(await chat.send(conversation, 'second')).toBeNull();
    await first;
    expect(conversation.messages).toHaveLength(2);
  });

  it('keeps the message when the engine fails, and the next request leaves the failed pair out', async () => {
    const failing: TextGenerator = {
      generate: () => Promise.reject(Object.assign(new Error('GPU device lost'), { name: 'DeviceLostError' })),
      interrupt: () => {},
      finishingStopped: () => false,
    };
    const { chat, conversation } = await setup(failing);
    const msg = await chat.send(conversation, 'hello');
    expect(msg).toMatchObject({ status: 'error', error: { name: 'DeviceLostError' } });
  });
});
