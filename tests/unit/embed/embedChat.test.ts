import { testWidget } from './testWidget.ts';
import { describe, expect, it } from 'vitest';
import { HostBridge, type ParentTarget } from '../../../src/embed/hostBridge.ts';
import type { WidgetMessage } from '../../../src/embed/protocol.ts';
import { getPromptFormat } from '../../../src/lib/formats/index.ts';
import { ScriptedEngine } from '../../doubles/scriptedEngine.ts';
import type { Engine } from '../../../src/engine/engine.ts';

const HOST = 'http://localhost:5000';

/** A host page that answers every call with `answer(args)` (or never, when it returns undefined). */
function hostWith(answer: (args: Record<string, unknown>) => unknown, timeoutMs = 1000) {
  const sent: WidgetMessage[] = [];
  // eslint-disable-next-line prefer-const -- assigned below, after the parent that refers to it
  let bridge: HostBridge;
  const parent: ParentTarget = {
    postMessage(message) {
      sent.push(message);
      if (message.type !== 'callama:call') return;
      const value = answer(message.arguments);
      if (value === undefined) return;
      queueMicrotask(() =>
        bridge.handleMessage({ origin: HOST, source: parent, data: { type: 'callama:result', id: message.id, value } }),
      );
    },
  };
  bridge = new HostBridge({ parent, allowedOrigins: [HOST], callTimeoutMs: timeoutMs, warn: () => {} });
  const spec = {
    name: 'get_stock',
    parameters: { type: 'object', properties: { symbol: { type: 'string' } }, required: ['symbol'] },
  };
  bridge.handleMessage({ origin: HOST, source: parent, data: { type: 'callama:register', functions: [spec] } });
  return { bridge, sent };
}

const call = '<tool_call>\n{"name": "get_stock", "arguments": {"symbol": "ACME"}}\n</tool_call>';

function chatFor(engine: Engine, bridge: HostBridge) {
  const chat = testWidget({ engine, bridge });
  chat.setHostFunctions(bridge.specs);
  return chat;
}

describe('EmbedChat', () => {
  it('runs a host function the model calls and shows the call, its result and the answer as items', async () => {
    const { bridge } = hostWith(({ symbol }) => ({ symbol, price: 42 }));
    const engine = new ScriptedEngine([call, 'ACME is at 42.']);
    const chat = chatFor(engine, bridge);
    await chat.send('Price of ACME?');

    expect(engine.loads).toBe(1);
    expect(JSON.stringify(engine.requests[0])).toContain('get_stock');
    expect(chat.items.map((i) => i.kind)).toEqual(['user', 'call', 'assistant', 'actions']);
    expect(chat.items[1]).toMatchObject({
      name: 'get_stock',
      host: true,
      status: 'ok',
      arguments: { symbol: 'ACME' },
      result: { ok: true, json: '{"symbol":"ACME","price":42}' },
    });
    expect(chat.items[2]).toMatchObject({ text: 'ACME is at 42.', streaming: false });
    expect(chat.busy).toBe(false);
  });

  it('shows the reasoning in its own section, runs only the real call, and keeps thoughts out of the text', async () => {
    const { bridge, sent } = hostWith(({ symbol }) => ({ symbol, price: 42 }));
    const thought = 'I could call {"name": "get_stock", "arguments": {}} but I need the symbol.';
    const engine = new ScriptedEngine([`<think>\n${thought}\n</think>\n\n${call}`, 'ACME is at 42.']);
    const chat = chatFor(engine, bridge);
    await chat.send('Price of ACME?');

    expect(chat.items.map((i) => i.kind)).toEqual(['user', 'assistant', 'call', 'assistant', 'actions']);
    expect(chat.items[1]).toMatchObject({ text: '', streaming: false, reasoning: { text: thought, streaming: false } });
    expect(sent.filter((m) => m.type === 'callama:call')).toHaveLength(1);
    expect(chat.items[3]).toMatchObject({ text: 'ACME is at 42.' });
    expect(chat.items[3]).not.toHaveProperty('reasoning');
  });

  it('shows a host timeout as an error card and tells the model', async () => {
    const { bridge } = hostWith(() => undefined, 50);
    const engine = new ScriptedEngine([call, 'The shop did not answer.']);
    const chat = chatFor(engine, bridge);
    await chat.send('Price of ACME?');

    expect(chat.items[1]).toMatchObject({
      kind: 'call',
      status: 'error',
      result: { ok: false, error: { message: 'get_stock timed out: The host page did not answer within 0.1 s.' } },
    });
    expect(JSON.stringify(engine.requests[1])).toContain('get_stock timed out: The host page did not answer');
  });

  it('says so when the model cannot be loaded, and keeps the message', async () => {
    const { bridge } = hostWith(() => 1);
    const chat = chatFor(new ScriptedEngine([], { loadError: new Error('No WebGPU here') }), bridge);
    await chat.send('hello');
    expect(chat.status).toBe('error');
    expect(chat.items.map((i) => i.kind)).toEqual(['user', 'error', 'actions']);
    expect(chat.items[1]).toMatchObject({ text: 'The model could not be loaded: No WebGPU here' });
  });
});

describe('EmbedChat with a raw-prompt format', () => {
  it('loads the model for raw prompts and sends constrained requests, with the catalog thinking default, as the app does', async () => {
    const { bridge } = hostWith(({ symbol }) => ({ symbol, price: 42 }));
    const engine = new ScriptedEngine(['<think>\nchecking\n</think>\n\n' + call, 'ACME is at 42.']);
    const chat = testWidget({ engine, bridge, format: getPromptFormat('qwen3'), thinkingDefault: false });
    chat.setHostFunctions(bridge.specs);
    await chat.send('Price of ACME?');

    expect(engine.sources[0]?.promptRendering).toBe('raw');
    const first = engine.requests[0];
    expect(first?.api).toBe('completion');
    expect(first?.responseFormat).toBeDefined();
    // thinking off (the default passed in): the prompt closes an empty think block itself.
    expect(
      first?.api === 'completion' ? first.prompt.endsWith('<|im_start|>assistant\n<think>\n\n</think>\n\n') : false,
    ).toBe(true);
  });
});
