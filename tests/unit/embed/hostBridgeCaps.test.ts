/**
 * Issue 14: a host page cannot register functions without end. The total count and the total size
 * of the definitions are capped, and a registration over a cap is answered with the reason.
 */
import { describe, expect, it } from 'vitest';
import { HostBridge, type ParentTarget } from '../../../src/embed/hostBridge.ts';
import {
  MAX_FUNCTIONS_PER_MESSAGE,
  MAX_HOST_FUNCTIONS,
  MAX_HOST_SCHEMA_CHARS,
  type RefusedFunction,
  type WidgetMessage,
} from '../../../src/embed/protocol.ts';

const HOST = 'http://localhost:5000';

function setup() {
  const sent: WidgetMessage[] = [];
  const parent: ParentTarget = { postMessage: (message) => void sent.push(message) };
  const bridge = new HostBridge({ parent, allowedOrigins: [HOST], warn: () => {} });
  const register = (functions: unknown[]): { accepted: string[]; refused: RefusedFunction[] } => {
    bridge.handleMessage({ origin: HOST, source: parent, data: { type: 'callama:register', functions } });
    const reply = sent.at(-1);
    return reply?.type === 'callama:registered' ? reply : { accepted: [], refused: [] };
  };
  const unregister = (names: string[]) =>
    bridge.handleMessage({ origin: HOST, source: parent, data: { type: 'callama:unregister', names } });
  return { bridge, register, unregister };
}

const fn = (name: string, description = '') => ({ name, description, parameters: { type: 'object', properties: {} } });

describe('host function caps', () => {
  it(`accepts ${MAX_HOST_FUNCTIONS} functions over several messages, and refuses the next with the reason`, () => {
    const { bridge, register, unregister } = setup();
    for (let start = 0; start < MAX_HOST_FUNCTIONS; start += MAX_FUNCTIONS_PER_MESSAGE) {
      const batch = Array.from({ length: Math.min(MAX_FUNCTIONS_PER_MESSAGE, MAX_HOST_FUNCTIONS - start) }, (_, i) =>
        fn(`f${start + i}`),
      );
      expect(register(batch).refused).toEqual([]);
    }
    expect(bridge.specs).toHaveLength(MAX_HOST_FUNCTIONS);
    const over = register([fn('one_more'), fn('another')]);
    expect(over.accepted).toEqual([]);
    expect(over.refused.map((r) => r.name)).toEqual(['one_more', 'another']);
    expect(over.refused[0]?.reasons.join(' ')).toContain(`at most ${MAX_HOST_FUNCTIONS} host functions`);
    expect(bridge.specs).toHaveLength(MAX_HOST_FUNCTIONS);
    // Replacing one it already has still works, and unregistering makes room.
    expect(register([fn('f0', 'new text')]).accepted).toEqual(['f0']);
    expect(unregister(['f1'])).toBe(true);
    expect(register([fn('one_more')]).accepted).toEqual(['one_more']);
  });

  it('refuses a function that would bring the definitions past the total size, naming the limit', () => {
    const { bridge, register } = setup();
    const big = 'x'.repeat(3900); // under the 4,000-character description limit
    const count = Math.floor(MAX_HOST_SCHEMA_CHARS / 4000);
    for (let start = 0; start < count; start += MAX_FUNCTIONS_PER_MESSAGE) {
      const batch = Array.from({ length: Math.min(MAX_FUNCTIONS_PER_MESSAGE, count - start) }, (_, i) =>
        fn(`g${start + i}`, big),
      );
      expect(register(batch).refused).toEqual([]);
    }
    const over = register([fn('h0', big), fn('h1', big)]);
    expect(over.refused.length).toBeGreaterThan(0);
    expect(over.refused.at(-1)?.reasons.join(' ')).toContain(`at most ${MAX_HOST_SCHEMA_CHARS}`);
    const total = bridge.specs.reduce((sum, s) => sum + JSON.stringify(s).length, 0);
    expect(total).toBeLessThanOrEqual(MAX_HOST_SCHEMA_CHARS);
  });
});
