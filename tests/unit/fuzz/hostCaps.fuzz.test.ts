/**
 * Fuzzes the widget's caps on host functions (issue 14): random runs of registrations (new names,
 * replacements, big descriptions) and unregistrations. The property: the widget never holds more than
 * MAX_HOST_FUNCTIONS functions or MAX_HOST_SCHEMA_CHARS characters of definitions, and every
 * registration is answered, accepted or refused with a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HostBridge, type ParentTarget } from '../../../src/embed/hostBridge.ts';
import {
  MAX_FUNCTIONS_PER_MESSAGE,
  MAX_HOST_FUNCTIONS,
  MAX_HOST_SCHEMA_CHARS,
  type WidgetMessage,
} from '../../../src/embed/protocol.ts';
import { runFuzz } from './runFuzz.ts';

const HOST = 'http://localhost:5000';

const step = fc.oneof(
  fc.record({
    kind: fc.constant('register' as const),
    first: fc.nat({ max: 2 * MAX_HOST_FUNCTIONS }),
    count: fc.integer({ min: 1, max: MAX_FUNCTIONS_PER_MESSAGE }),
    descriptionChars: fc.constantFrom(0, 100, 3900),
  }),
  fc.record({ kind: fc.constant('unregister' as const), first: fc.nat({ max: 2 * MAX_HOST_FUNCTIONS }) }),
);

describe('host function caps', () => {
  it('never holds more functions or definition text than the caps, and answers every registration', async () => {
    await runFuzz(
      'widget host-function caps: random registrations and unregistrations',
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const sent: WidgetMessage[] = [];
        const parent: ParentTarget = { postMessage: (message) => void sent.push(message) };
        const bridge = new HostBridge({ parent, allowedOrigins: [HOST], warn: () => {} });
        for (const s of steps) {
          if (s.kind === 'unregister') {
            bridge.handleMessage({
              origin: HOST,
              source: parent,
              data: { type: 'callama:unregister', names: [`f${s.first}`] },
            });
            continue;
          }
          const functions = Array.from({ length: s.count }, (_, i) => ({
            name: `f${s.first + i}`,
            description: 'x'.repeat(s.descriptionChars),
            parameters: { type: 'object', properties: {} },
          }));
          const before = sent.length;
          bridge.handleMessage({ origin: HOST, source: parent, data: { type: 'callama:register', functions } });
          const reply = sent.slice(before).find((m) => m.type === 'callama:registered');
          expect(reply, 'a registration is answered').toBeDefined();
          if (reply?.type !== 'callama:registered') continue;
          expect(reply.accepted.length + reply.refused.length).toBe(s.count);
          for (const r of reply.refused) expect(r.reasons.join(' ').length).toBeGreaterThan(0);
          expect(bridge.specs.length).toBeLessThanOrEqual(MAX_HOST_FUNCTIONS);
          const total = bridge.specs.reduce((sum, spec) => sum + JSON.stringify(spec).length, 0);
          expect(total).toBeLessThanOrEqual(MAX_HOST_SCHEMA_CHARS);
        }
      }),
      { seed: 1415, numRuns: 200 },
    );
  }, 120_000);
});
