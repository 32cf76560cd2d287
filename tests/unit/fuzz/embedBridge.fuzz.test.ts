/**
 * Fuzzes the widget's side of the embed protocol (HostBridge.handleMessage) with messages of the wrong
 * shape and types, from the wrong origin or window, for unknown call ids, and replayed results. The
 * bridge's state is what a bad message could corrupt: the registered host functions, the host origin,
 * the call waiting for its answer. The properties: none of it changes, a waiting call is settled only
 * by its own first result, and malformed registrations are answered with reasons.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HostBridge, type ParentTarget } from '../../../src/embed/hostBridge.ts';
import { MAX_FUNCTIONS_PER_MESSAGE, type WidgetMessage } from '../../../src/embed/protocol.ts';
import { runFuzz } from './runFuzz.ts';

const HOST = 'https://shop.example';
const OTHER_ALLOWED = 'https://partner.example';
const stock = {
  name: 'get_stock',
  description: 'Price of a stock',
  parameters: { type: 'object', properties: { symbol: { type: 'string' } }, required: ['symbol'] },
};
const RESERVED = 'calculate';
const HOST_TYPES = ['callama:register', 'callama:unregister', 'callama:result'];

class FakeParent implements ParentTarget {
  sent: { message: WidgetMessage; targetOrigin: string }[] = [];
  postMessage(message: WidgetMessage, targetOrigin: string): void {
    this.sent.push({ message, targetOrigin });
  }
}

/** A bridge with `get_stock` registered by HOST and one call to it waiting (id "call-1"). */
function setup() {
  const parent = new FakeParent();
  const warnings: string[] = [];
  let changes = 0;
  let n = 0;
  const bridge = new HostBridge({
    parent,
    allowedOrigins: [HOST, OTHER_ALLOWED],
    callTimeoutMs: 3_600_000,
    reservedNames: () => [RESERVED],
    onChange: () => changes++,
    warn: (m) => warnings.push(m),
    newId: () => `call-${++n}`,
  });
  bridge.handleMessage({ origin: HOST, source: parent, data: { type: 'callama:register', functions: [stock] } });
  const settlements: string[] = [];
  const call = bridge.call('get_stock', { symbol: 'ACME' });
  call.then(
    (v) => settlements.push(`value ${JSON.stringify(v)}`),
    (e: unknown) => settlements.push(`error ${e instanceof Error ? e.message : String(e)}`),
  );
  const posted = parent.sent.length;
  const changesBefore = changes;
  /** Everything a bad message must leave as it was. */
  const state = () => ({
    specs: JSON.stringify(bridge.specs),
    hostOrigin: bridge.hostOrigin,
    pending: bridge.pendingCount,
    changes: changes - changesBefore,
  });
  const before = state();
  const sendFrom = (origin: string, data: unknown, source: unknown) => bridge.handleMessage({ origin, source, data });
  const send = (origin: string, data: unknown) => sendFrom(origin, data, parent);
  /** Lets promise callbacks run, so a wrongly settled call would show in `settlements`. */
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
  const repliesSince = () => parent.sent.slice(posted);
  return { bridge, parent, warnings, settlements, send, sendFrom, flush, state, before, repliesSince };
}

/** Messages that would change something if the checks let them through. */
const effectiveMessage = fc.constantFrom<unknown>(
  { type: 'callama:register', functions: [{ ...stock, name: 'get_news' }] },
  { type: 'callama:register', functions: [{ ...stock, description: 'replaced' }] },
  { type: 'callama:unregister', names: ['get_stock'] },
  { type: 'callama:result', id: 'call-1', value: { price: 1 } },
  { type: 'callama:result', id: 'call-1', error: 'forged' },
);

const notARecord = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
);

/** Records that are not a usable host message, built from the effective ones so loose checks would show. */
const wrongShape = fc.oneof(
  notARecord,
  // an unknown type carrying the fields of real messages
  fc
    .tuple(
      fc.oneof(
        fc.string(),
        fc.constantFrom('callama:call', 'callama:ready', 'callama:registered', 'CALLAMA:RESULT', 'callama:result '),
      ),
      effectiveMessage,
    )
    .filter(([type]) => !HOST_TYPES.includes(type))
    .map(([type, message]) => ({ ...(message as object), type })),
  // type that is not a string
  fc
    .tuple(
      fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.constantFrom(...HOST_TYPES), { minLength: 1 })),
      effectiveMessage,
    )
    .map(([type, message]) => ({ ...(message as object), type })),
  // unregister with names that are not a list of strings
  fc
    .oneof(
      fc.oneof(fc.constant('get_stock'), fc.integer(), fc.constant(null), fc.object({ maxDepth: 1 })),
      fc
        .array(fc.oneof(fc.integer(), fc.constant(null), fc.object({ maxDepth: 0 })), { minLength: 1, maxLength: 3 })
        .map((bad) => ['get_stock', ...bad]),
    )
    .map((names) => ({ type: 'callama:unregister', names })),
  // results for the waiting call that are ambiguous, incomplete or mistyped
  fc.oneof(
    fc.constant({ type: 'callama:result', id: 'call-1' }),
    fc.record({
      type: fc.constant('callama:result'),
      id: fc.constant('call-1'),
      value: fc.anything({ maxDepth: 1 }),
      error: fc.string(),
    }),
    fc.record({
      type: fc.constant('callama:result'),
      id: fc.constant('call-1'),
      error: fc.oneof(fc.integer(), fc.constant(null), fc.object({ maxDepth: 1 })),
    }),
    fc.record({
      type: fc.constant('callama:result'),
      id: fc.oneof(fc.integer(), fc.constant(''), fc.constant(null), fc.constant(['call-1'])),
      value: fc.anything({ maxDepth: 1 }),
    }),
  ),
);

describe('embed bridge — fuzzed host messages', { timeout: 60_000 }, () => {
  it('messages of the wrong shape or types change nothing and settle nothing', async () => {
    await runFuzz(
      'embed bridge: messages of the wrong shape or types',
      fc.asyncProperty(wrongShape, async (data) => {
        const { send, flush, state, before, settlements, repliesSince } = setup();
        expect(send(HOST, data)).toBe(false);
        await flush();
        expect(state()).toEqual(before);
        expect(settlements).toEqual([]);
        expect(repliesSince()).toEqual([]);
      }),
      { seed: 6401, numRuns: 600 },
    );
  });

  it('messages from an origin that is not the host, or from another window, are ignored and logged', async () => {
    const wrongOrigin = fc.oneof(
      fc.constantFrom(
        OTHER_ALLOWED,
        'null',
        '*',
        '',
        'https://shop.example.evil.test',
        'http://shop.example',
        'https://shop.example:443',
        'https://SHOP.example',
        `${HOST}/`,
      ),
      fc
        .webUrl()
        .map((url) => new URL(url).origin)
        .filter((origin) => origin !== HOST),
      fc.string({ maxLength: 30 }).filter((s) => s !== HOST),
    );
    const wrongSource = fc.oneof(
      fc.constant(null),
      fc.constant(undefined),
      fc.object({ maxDepth: 0 }),
      fc.constant(new FakeParent()),
    );
    const sender = fc.oneof(
      wrongOrigin.map((origin) => ({ origin, source: 'parent' as const })),
      wrongSource.map((source) => ({ origin: HOST, source })),
    );
    await runFuzz(
      'embed bridge: messages from the wrong origin or window',
      fc.asyncProperty(sender, effectiveMessage, async ({ origin, source }, data) => {
        const { parent, sendFrom, flush, state, before, settlements, repliesSince, warnings } = setup();
        expect(sendFrom(origin, data, source === 'parent' ? parent : source)).toBe(false);
        await flush();
        expect(state()).toEqual(before);
        expect(settlements).toEqual([]);
        expect(repliesSince()).toEqual([]);
        expect(warnings.at(-1)).toMatch(/^\[callama\] ignored message from /);
      }),
      { seed: 6402, numRuns: 500 },
    );
  });

  it('before any host registered, a registration from an origin not allowed (or another window) is ignored', async () => {
    const notAllowed = fc
      .oneof(
        fc.constantFrom(
          'null',
          '*',
          '',
          'https://shop.example.evil.test',
          'http://shop.example',
          'https://shop.example:8443',
        ),
        fc.webUrl().map((url) => new URL(url).origin),
        fc.string({ maxLength: 30 }),
      )
      .filter((origin) => origin !== HOST && origin !== OTHER_ALLOWED);
    const sender = fc.oneof(
      notAllowed.map((origin) => ({ origin, fromParent: true })),
      fc.constantFrom(HOST, OTHER_ALLOWED).map((origin) => ({ origin, fromParent: false })),
    );
    await runFuzz(
      'embed bridge: first registration from a wrong origin or window',
      fc.property(sender, ({ origin, fromParent }) => {
        const parent = new FakeParent();
        const bridge = new HostBridge({ parent, allowedOrigins: [HOST, OTHER_ALLOWED], warn: () => {} });
        const source = fromParent ? parent : new FakeParent();
        expect(bridge.handleMessage({ origin, source, data: { type: 'callama:register', functions: [stock] } })).toBe(
          false,
        );
        expect(bridge.specs).toEqual([]);
        expect(bridge.hostOrigin).toBeNull();
        expect(parent.sent).toEqual([]);
      }),
      { seed: 6406, numRuns: 300 },
    );
  });

  it('results for unknown call ids change nothing and settle nothing', async () => {
    const unknownId = fc
      .oneof(
        fc.string({ minLength: 1 }),
        fc.uuid(),
        fc.constantFrom('call-0', 'call-2', 'CALL-1', 'call-1 ', ' call-1', 'call-10'),
      )
      .filter((id) => id !== 'call-1');
    const result = fc
      .tuple(
        unknownId,
        fc.oneof(
          fc.anything({ maxDepth: 2 }).map((value) => ({ value })),
          fc.string().map((error) => ({ error })),
        ),
      )
      .map(([id, body]) => ({ type: 'callama:result', id, ...body }));
    await runFuzz(
      'embed bridge: results for unknown call ids',
      fc.asyncProperty(result, async (data) => {
        const { send, flush, state, before, settlements, warnings } = setup();
        expect(send(HOST, data)).toBe(false);
        await flush();
        expect(state()).toEqual(before);
        expect(settlements).toEqual([]);
        expect(warnings.at(-1)).toMatch(/^\[callama\] ignored result for unknown call /);
      }),
      { seed: 6403, numRuns: 500 },
    );
  });

  it('a replayed result id is ignored: each call is settled once, by its first result, and never by another call’s', async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }).map((value) => ({ value })),
      fc.string({ maxLength: 20 }).map((error) => ({ error })),
    );
    await runFuzz(
      'embed bridge: replayed result ids',
      fc.asyncProperty(body, fc.array(body, { minLength: 1, maxLength: 5 }), async (first, replays) => {
        const { bridge, send, flush, settlements } = setup();
        expect(send(HOST, { type: 'callama:result', id: 'call-1', ...first })).toBe(true);
        // A second call is waiting while the first one's result is replayed.
        const second: string[] = [];
        bridge.call('get_stock', { symbol: 'B' }).then(
          () => second.push('settled'),
          () => second.push('settled'),
        );
        for (const replay of replays)
          expect(send(HOST, { type: 'callama:result', id: 'call-1', ...replay })).toBe(false);
        await flush();
        expect(settlements).toEqual([
          'value' in first
            ? `value ${JSON.stringify(first.value)}`
            : `error The host page reported an error: ${first.error}`,
        ]);
        expect(second).toEqual([]);
        expect(bridge.pendingCount).toBe(1);
      }),
      { seed: 6404, numRuns: 300 },
    );
  });

  it('malformed registrations are refused with reasons and change nothing', async () => {
    const badSpec = fc.oneof(
      notARecord,
      fc.record({
        name: fc.oneof(
          fc.constant(''),
          fc.constant('bad name'),
          fc.constant('1x'),
          fc.integer(),
          fc.constant(RESERVED),
        ),
        parameters: fc.constant(stock.parameters),
      }),
      fc.record({
        name: fc.constant('new_fn'),
        parameters: fc.oneof(
          notARecord,
          fc.constant({ type: 'string' }),
          fc.constant({ type: 'object', required: ['x'] }),
          fc.constant({ type: 'object', properties: { x: { type: 'strin' } } }),
        ),
      }),
      fc.record({
        name: fc.constant('new_fn'),
        description: fc.oneof(fc.integer(), fc.constant('d'.repeat(5000))),
        parameters: fc.constant(stock.parameters),
      }),
    );
    const registration = fc.oneof(
      fc.array(badSpec, { minLength: 1, maxLength: 5 }).map((functions) => ({ functions, count: functions.length })),
      // the same new name twice in one message: the first is accepted, so register only the duplicate part
      fc.constant({
        functions: [
          { ...stock, name: 'twice' },
          { ...stock, name: 'twice' },
        ],
        count: 2,
        acceptedFirst: true,
      }),
      fc.integer({ min: MAX_FUNCTIONS_PER_MESSAGE + 1, max: 200 }).map((length) => ({
        functions: Array.from({ length }, (_, i) => ({ ...stock, name: `fn_${i}` })),
        count: length,
      })),
      notARecord.filter((v) => !Array.isArray(v)).map((functions) => ({ functions, count: 1 })),
    );
    await runFuzz(
      'embed bridge: malformed registrations',
      fc.asyncProperty(registration, async (r) => {
        const { send, flush, state, before, settlements, repliesSince } = setup();
        send(HOST, { type: 'callama:register', functions: r.functions });
        await flush();
        const replies = repliesSince();
        expect(replies).toHaveLength(1);
        const reply = replies[0];
        expect(reply?.targetOrigin).toBe(HOST);
        const message = reply?.message;
        if (message?.type !== 'callama:registered') throw new Error(`replied ${message?.type}`);
        if ('acceptedFirst' in r) {
          expect(message.accepted).toEqual(['twice']);
          expect(message.refused).toEqual([{ name: 'twice', reasons: ['A function named "twice" already exists.'] }]);
          return;
        }
        expect(message.accepted).toEqual([]);
        expect(message.refused).toHaveLength(r.count);
        for (const refusal of message.refused) {
          expect(refusal.reasons.length).toBeGreaterThan(0);
          for (const reason of refusal.reasons) expect(reason.length).toBeGreaterThan(10);
        }
        expect(state()).toEqual(before);
        expect(settlements).toEqual([]);
      }),
      { seed: 6405, numRuns: 300 },
    );
  });
});
