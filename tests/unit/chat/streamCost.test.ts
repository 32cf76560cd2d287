/**
 * A call-dense answer streams in linear time through the chat core: per delta, the message's live
 * preview costs what the delta adds (amortized), not the answer so far. Measured as ratios in the
 * same run: a 16k-character answer against a 4k one (about 4 when linear, 16 when quadratic), next to
 * the same ratio for plain prose, the linear baseline. Every delta is applied (no frames), the worst case.
 */
import { describe, expect, it } from 'vitest';
import { applyAgentEvent, newAssistantMessage } from '../../../src/lib/chat/messages.ts';
import type { FunctionSpec } from '../../../src/lib/types/functionSpec.ts';
import { corpusFunctions } from '../../fixtures/corpus/functions.ts';
import { fastestTime } from '../fastestTime.ts';

const fns: FunctionSpec[] = corpusFunctions;

function fill(unit: string, n: number): string {
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}

/** Streams `text` into a fresh answer, 4 characters (about a token) per delta. */
function stream(text: string): void {
  const msg = newAssistantMessage({});
  const request = { api: 'chat' as const, messages: [] };
  applyAgentEvent(msg, { type: 'generation_start', step: 0, formatId: 'hermes', request, constrained: false }, fns);
  for (let end = 4; end < text.length + 4; end += 4) {
    const so = text.slice(0, Math.min(end, text.length));
    applyAgentEvent(msg, { type: 'delta', step: 0, delta: so.slice(-4), text: so }, fns);
  }
}

function ratio(unit: string): number {
  const small = fill(unit, 4_000);
  const large = fill(unit, 16_000);
  stream(small); // warm-up
  return (
    fastestTime(() => stream(large), 3) /
    Math.max(
      fastestTime(() => stream(small), 3),
      0.5,
    )
  );
}

describe('streaming cost', () => {
  // A ratio of times: a run disturbed by other work on the machine is tried again.
  it('a 16k-character call-dense answer costs about 4× a 4k one, as prose does', { timeout: 120_000, retry: 2 }, () => {
    const prose = ratio('The weather in Paris is mild today, and tomorrow it may rain. ');
    const linear = Math.max(prose, 4);
    for (const unit of [
      // calls between sentences, each a span cut out of the prose
      'Checking. {"name": "get_weather", "arguments": {"city": "Paris"}} Then ',
      '```json\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n```\nAnd ',
      'get_weather(city="Paris") and ',
      // calls back to back (one span that keeps growing)
      '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>\n',
    ]) {
      expect(ratio(unit), unit).toBeLessThan(2 * linear);
    }
  });
});
