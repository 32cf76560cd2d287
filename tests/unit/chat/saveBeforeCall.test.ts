/**
 * The chat core stores a call as running before the call runs or asks for consent (chatSession.ts):
 * a reload while the question is open then reads it back as "Not run (interrupted)", never as an
 * answer that only streamed text.
 */
import { describe, expect, it } from 'vitest';
import { ChatSession } from '../../../src/lib/chat/chatSession.ts';
import { reviveMessages } from '../../../src/lib/chat/messages.ts';
import { FunctionRegistry } from '../../../src/lib/dispatch/registry.ts';
import { getPromptFormat } from '../../../src/lib/formats/index.ts';
import type { Message } from '../../../src/lib/types/chat.ts';
import { ORDER, ScriptedStream } from './bothViews.ts';

const ORDER_CALL = '<tool_call>\n{"name": "place_order", "arguments": {"item": "tea"}}\n</tool_call>';

describe('a call waiting for consent', () => {
  it('is already stored, as running, when the question is asked; read back, it is interrupted', async () => {
    const engine = new ScriptedStream([{ text: ORDER_CALL }, { text: 'I did not order it.' }]);
    const registry = new FunctionRegistry();
    registry.register(ORDER.spec, ORDER.handler);
    const messages: Message[] = [];
    const saved: string[] = [];
    let storedWhenAsked: string | undefined;
    const session = new ChatSession({
      readiness: () => ({ generator: engine, modelId: 'm', format: getPromptFormat('qwen3') }),
      registry: () => registry,
      // The throttled save never fires in this test: only the saves the core asks for now count.
      changed: () => undefined,
      save: () => {
        saved.push(JSON.stringify(messages));
        return Promise.resolve();
      },
      confirmCall: () => {
        storedWhenAsked = saved.at(-1);
        return 'deny';
      },
    });
    await session.send(messages, 'Order tea');

    expect(storedWhenAsked).toBeDefined();
    const revived = reviveMessages(JSON.parse(storedWhenAsked ?? '[]') as Message[]);
    const answer = revived[1];
    if (answer?.role !== 'assistant') throw new Error('no answer stored');
    const call = answer.steps[0]?.calls[0];
    expect(call?.call.name).toBe('place_order');
    expect(call?.status).toBe('done');
    expect(call?.result).toMatchObject({ ok: false, error: { kind: 'interrupted' } });
    expect(answer.status).toBe('stopped');
  });
});
