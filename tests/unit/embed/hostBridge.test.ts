import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HostBridge, type ParentTarget } from '../../../src/embed/hostBridge.ts';
import {
  HostCallAbortedError,
  HostCallTimeoutError,
  HostFunctionError,
  HostUnavailableError,
} from '../../../src/embed/embedErrors.ts';
import type { WidgetMessage } from '../../../src/embed/protocol.ts';

const HOST = 'http://localhost:5000';
const OTHER = 'http://127.0.0.1:5000';
const stock = {
  name: 'get_stock',
  description: 'Price of a stock',
  parameters: { type: 'object', properties: { symbol: { type: 'string' } }, required: ['symbol'] },
};

class FakeParent implements ParentTarget {
  sent: { message: WidgetMessage; targetOrigin: string }[] = [];
  postMessage(message: WidgetMessage, targetOrigin: string): void {
    this.sent.push({ message, targetOrigin });
  }
  last(): { message: WidgetMessage; targetOrigin: string } | undefined {
    return this.sent.at(-1);
  }
}

function setup(options: { allowed?: string[]; reserved?: string[] } = {}) {
  const parent = new FakeParent();
  const warnings: string[] = [];
  const changes: string[][] = [];
  let n = 0;
  const bridge = new HostBridge({
    parent,
    allowedOrigins: options.allowed ?? [HOST, OTHER],
    callTimeoutMs: 1000,
    reservedNames: () => options.reserved ?? [],
    onChange: (specs) => changes.push(specs.map((s) => s.name)),
    warn: (m) => warnings.push(m),
    newId: () => `call-${++n}`,
  });
  const from = (origin: string, data: unknown, source: unknown = parent) =>
    bridge.handleMessage({ origin, source, data });
  return { parent, bridge, warnings, changes, from };
}

describe('HostBridge', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('announces itself to the parent once per allowed origin, never to "*"', () => {
    const { parent, bridge } = setup();
    bridge.announce();
    expect(parent.sent).toEqual([
      { message: { type: 'callama:ready', version: 1 }, targetOrigin: HOST },
      { message: { type: 'callama:ready', version: 1 }, targetOrigin: OTHER },
    ]);
  });

  it('registers valid functions, refuses invalid ones with reasons, and answers the host origin only', () => {
    const { parent, bridge, changes, from } = setup({ reserved: ['calculator'] });
    const bad = { name: 'bad name', parameters: { type: 'string' } };
    from(HOST, {
      type: 'callama:register',
      functions: [stock, bad, { name: 'calculator', parameters: { type: 'object' } }],
    });
    expect(bridge.specs.map((s) => s.name)).toEqual(['get_stock']);
    expect(bridge.hostOrigin).toBe(HOST);
    expect(changes).toEqual([['get_stock']]);
    const reply = parent.last();
    expect(reply?.targetOrigin).toBe(HOST);
    expect(reply?.message).toMatchObject({ type: 'callama:registered', accepted: ['get_stock'] });
    const refused = reply?.message.type === 'callama:registered' ? reply.message.refused : [];
    expect(refused.map((r) => r.name)).toEqual(['bad name', 'calculator']);
    expect(refused[0]?.reasons.join(' ')).toMatch(/name "bad name" is not valid/);
    expect(refused[0]?.reasons.join(' ')).toMatch(/"type": "object"/);
    expect(refused[1]?.reasons.join(' ')).toMatch(/built-in/);
  });

  it('ignores and logs messages from origins that are not allowed, or not from the parent window', () => {
    const { bridge, warnings, from } = setup({ allowed: [HOST] });
    expect(from('http://evil.example', { type: 'callama:register', functions: [stock] })).toBe(false);
    expect(from(HOST, { type: 'callama:register', functions: [stock] }, { notTheParent: true })).toBe(false);
    expect(bridge.specs).toEqual([]);
    expect(bridge.hostOrigin).toBeNull();
    expect(warnings).toEqual([
      '[callama] ignored message from http://evil.example',
      `[callama] ignored message from ${HOST}`,
    ]);
  });

  it('once a host registered, ignores other allowed origins', () => {
    const { bridge, warnings, from } = setup();
    from(HOST, { type: 'callama:register', functions: [stock] });
    from(OTHER, { type: 'callama:register', functions: [{ ...stock, name: 'forged' }] });
    expect(bridge.specs.map((s) => s.name)).toEqual(['get_stock']);
    expect(warnings.at(-1)).toMatch(/ignored message from http:\/\/127\.0\.0\.1:5000/);
  });

  it('runs a call on the host: posts callama:call to the host origin and resolves with its result', async () => {
    const { parent, bridge, from } = setup();
    from(HOST, { type: 'callama:register', functions: [stock] });
    const running = bridge.call('get_stock', { symbol: 'ACME' });
    expect(parent.last()).toEqual({
      message: { type: 'callama:call', id: 'call-1', name: 'get_stock', arguments: { symbol: 'ACME' } },
      targetOrigin: HOST,
    });
    expect(from(HOST, { type: 'callama:result', id: 'call-1', value: { price: 42 } })).toBe(true);
    await expect(running).resolves.toEqual({ price: 42 });
    expect(bridge.pendingCount).toBe(0);
  });

  it('turns an error result into HostFunctionError', async () => {
    const { bridge, from } = setup();
    from(HOST, { type: 'callama:register', functions: [stock] });
    const running = bridge.call('get_stock', { symbol: 'ACME' });
    from(HOST, { type: 'callama:result', id: 'call-1', error: 'market closed' });
    await expect(running).rejects.toThrow(HostFunctionError);
    await expect(running).rejects.toThrow('The host page reported an error: market closed');
  });

  it('ignores forged results: wrong origin, not from the parent, or unknown id', async () => {
    const { bridge, warnings, from } = setup();
    from(HOST, { type: 'callama:register', functions: [stock] });
    const running = bridge.call('get_stock', { symbol: 'ACME' });
    expect(from(OTHER, { type: 'callama:result', id: 'call-1', value: 'forged' })).toBe(false);
    expect(from(HOST, { type: 'callama:result', id: 'call-1', value: 'forged' }, {})).toBe(false);
    expect(from(HOST, { type: 'callama:result', id: 'call-99', value: 'forged' })).toBe(false);
    expect(bridge.pendingCount).toBe(1);
    expect(warnings).toHaveLength(3);
    from(HOST, { type: 'callama:result', id: 'call-1', value: 'real' });
    await expect(running).resolves.toBe('real');
    // A second answer for a settled call is ignored too.
    expect(from(HOST, { type: 'callama:result', id: 'call-1', value: 'again' })).toBe(false);
  });

  it('fails a call the host does not answer in time', async () => {
    const { bridge, from } = setup();
    from(HOST, { type: 'callama:register', functions: [stock] });
    const running = bridge.call('get_stock', { symbol: 'ACME' });
    const check = expect(running).rejects.toThrow(HostCallTimeoutError);
    await vi.advanceTimersByTimeAsync(999);
    expect(bridge.pendingCount).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await check;
    await expect(running).rejects.toThrow('The host page did not answer within 1 s.');
    expect(bridge.pendingCount).toBe(0);
  });

  it('stops waiting when the reply is aborted', async () => {
    const { bridge, from } = setup();
    from(HOST, { type: 'callama:register', functions: [stock] });
    const controller = new AbortController();
    const running = bridge.call('get_stock', { symbol: 'ACME' }, controller.signal);
    controller.abort();
    await expect(running).rejects.toThrow(HostCallAbortedError);
    expect(bridge.pendingCount).toBe(0);
  });

  it('refuses calls to functions no host registered', async () => {
    const { bridge } = setup();
    await expect(bridge.call('get_stock', {})).rejects.toThrow(HostUnavailableError);
  });

  it('unregisters functions on request of the host', () => {
    const { bridge, changes, from } = setup();
    from(HOST, { type: 'callama:register', functions: [stock, { ...stock, name: 'get_news' }] });
    from(HOST, { type: 'callama:unregister', names: ['get_stock'] });
    expect(bridge.specs.map((s) => s.name)).toEqual(['get_news']);
    expect(changes.at(-1)).toEqual(['get_news']);
  });

  it('logs malformed messages from the host', () => {
    const { warnings, from } = setup();
    expect(from(HOST, { type: 'callama:result', id: 7, value: 1 })).toBe(false);
    expect(warnings).toEqual([`[callama] ignored malformed message from ${HOST}`]);
  });

  it('answers a register message it cannot use with the reason, so the host does not wait forever', () => {
    const { parent, bridge, from } = setup();
    from(HOST, { type: 'callama:register', functions: 'get_stock' });
    expect(parent.last()).toEqual({
      message: {
        type: 'callama:registered',
        accepted: [],
        refused: [{ name: null, reasons: ['"functions" must be a list of function definitions.'] }],
      },
      targetOrigin: HOST,
    });
    const many = Array.from({ length: 65 }, (_, i) => ({ ...stock, name: `f${i}` }));
    from(HOST, { type: 'callama:register', functions: many });
    const answer = parent.last()?.message;
    expect(answer?.type === 'callama:registered' && answer.refused.map((r) => r.name)).toEqual(many.map((f) => f.name));
    expect(bridge.specs).toEqual([]);
    expect(bridge.hostOrigin).toBeNull();
  });
});
