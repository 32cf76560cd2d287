/** The widget gates host functions the host marked `confirm: true`: no callama:call before the visitor allows. */
import { testWidget } from './testWidget.ts';
import { describe, expect, it, vi } from 'vitest';
import { HostBridge, type ParentTarget } from '../../../src/embed/hostBridge.ts';
import type { WidgetMessage } from '../../../src/embed/protocol.ts';
import { ScriptedEngine } from '../../doubles/scriptedEngine.ts';

const HOST = 'http://localhost:5000';

function setup(replies: string[], confirm: unknown = true) {
  const sent: WidgetMessage[] = [];
  // eslint-disable-next-line prefer-const -- assigned below, after the parent that refers to it
  let bridge: HostBridge;
  const parent: ParentTarget = {
    postMessage(message) {
      sent.push(message);
      if (message.type !== 'callama:call') return;
      queueMicrotask(() =>
        bridge.handleMessage({
          origin: HOST,
          source: parent,
          data: { type: 'callama:result', id: message.id, value: { ordered: true } },
        }),
      );
    },
  };
  bridge = new HostBridge({ parent, allowedOrigins: [HOST], warn: () => {} });
  const spec = {
    name: 'place_order',
    confirm,
    parameters: { type: 'object', properties: { item: { type: 'string' } }, required: ['item'] },
  };
  bridge.handleMessage({ origin: HOST, source: parent, data: { type: 'callama:register', functions: [spec] } });
  const engine = new ScriptedEngine(replies);
  const chat = testWidget({ engine, bridge });
  chat.setHostFunctions(bridge.specs);
  const calls = () => sent.filter((m) => m.type === 'callama:call');
  return { chat, engine, sent, calls, bridge };
}

const orderCall = '<tool_call>\n{"name": "place_order", "arguments": {"item": "tea"}}\n</tool_call>';

describe('EmbedChat: host functions marked confirm', () => {
  it('posts no call to the host until the visitor allows it', async () => {
    const t = setup([orderCall, 'Ordered.']);
    const done = t.chat.send('Order tea');
    // The loop parses and dispatches in tasks of its own (runAgent.ts): wait until it asks.
    await vi.waitFor(() => expect(t.chat.consent.pending).toHaveLength(1));
    const question = t.chat.consent.pending[0];
    expect(question).toMatchObject({ name: 'place_order', arguments: { item: 'tea' } });
    expect(t.calls()).toEqual([]);
    t.chat.consent.answer(question?.callId ?? '', 'allow');
    await done;
    expect(t.calls()).toHaveLength(1);
    expect(t.chat.items.find((i) => i.kind === 'call')).toMatchObject({ status: 'ok' });
  });

  it('on deny never posts the call; the card says declined and the model is told', async () => {
    const t = setup([orderCall, 'OK, no order.']);
    const done = t.chat.send('Order tea');
    await vi.waitFor(() => expect(t.chat.consent.pending).toHaveLength(1));
    t.chat.consent.answer(t.chat.consent.pending[0]?.callId ?? '', 'deny');
    await done;
    expect(t.calls()).toEqual([]);
    expect(t.chat.items.find((i) => i.kind === 'call')).toMatchObject({
      status: 'declined',
      result: { ok: false, error: { kind: 'declined', message: 'The user declined to run place_order.' } },
    });
    expect(JSON.stringify(t.engine.requests[1])).toContain('The user declined to run place_order.');
  });

  it('refuses a registration whose confirm is not a boolean', () => {
    const t = setup([], 'yes');
    expect(t.bridge.specs).toEqual([]);
    expect(t.sent.find((m) => m.type === 'callama:registered')).toMatchObject({
      accepted: [],
      refused: [{ name: 'place_order', reasons: ['"confirm" must be true (ask the user before each call) or false.'] }],
    });
  });
});
