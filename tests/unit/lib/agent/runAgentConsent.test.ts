/**
 * The agent loop with functions marked `confirm`: it waits for the user's answer (no generation runs
 * meanwhile), feeds a refusal back as a plain sentence and goes on, and a stop while it waits ends the
 * run without running the call.
 */
import { describe, expect, it, vi } from 'vitest';
import { runAgent } from '../../../../src/lib/agent/runAgent.ts';
import { FunctionRegistry } from '../../../../src/lib/dispatch/registry.ts';
import type { AgentEvent } from '../../../../src/lib/types/agent.ts';
import type { ConfirmCall, ConsentDecision, ConsentRequest } from '../../../../src/lib/types/dispatch.ts';
import { RecordingFormat, ScriptedGenerator } from './fakes.ts';

const openCall = JSON.stringify({ name: 'open_url', arguments: { url: 'https://example.com' } });

function setup(replies: string[] | ScriptedGenerator) {
  const registry = new FunctionRegistry();
  const opened: string[] = [];
  registry.register(
    {
      name: 'open_url',
      confirm: true,
      parameters: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] },
    },
    (args) => {
      opened.push(String(args.url));
      return { opened: args.url };
    },
  );
  const generator = replies instanceof ScriptedGenerator ? replies : new ScriptedGenerator(replies);
  const format = new RecordingFormat();
  const events: AgentEvent[] = [];
  const run = (confirmCall?: ConfirmCall, signal?: AbortSignal) =>
    runAgent({
      generator,
      format,
      registry,
      turns: [{ role: 'user', content: 'Open example.com' }],
      onEvent: (e) => events.push(e),
      ...(confirmCall ? { confirmCall } : {}),
      ...(signal ? { signal } : {}),
    });
  return { opened, generator, format, events, run };
}

/** A confirmCall whose answer the test gives later, like a user clicking a button. */
function askLater() {
  const asked: ConsentRequest[] = [];
  let answer: (d: ConsentDecision) => void = () => {};
  const confirm: ConfirmCall = (request) => {
    asked.push(request);
    return new Promise((resolve) => {
      answer = resolve;
    });
  };
  return { asked, confirm, answer: (d: ConsentDecision) => answer(d) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('runAgent: consent for functions marked confirm', () => {
  it('pauses until the user allows, then runs the call and answers with its result', async () => {
    const t = setup([openCall, 'Opened it.']);
    const user = askLater();
    const done = t.run(user.confirm);
    // The loop parses and dispatches in tasks of its own (runAgent.ts): wait until it asks.
    await vi.waitFor(() => expect(user.asked).toHaveLength(1));
    const start = t.events.find((e) => e.type === 'call_start');
    expect(user.asked[0]?.callId).toBe(start?.type === 'call_start' ? start.callId : undefined);
    expect(t.opened).toEqual([]);
    expect(t.generator.requests).toHaveLength(1); // no generation while the question is open
    user.answer('allow');
    const outcome = await done;
    expect(t.opened).toEqual(['https://example.com']);
    expect(outcome.reason).toBe('answered');
    expect(outcome.turns.find((turn) => turn.role === 'tool')?.content).toBe('{"opened":"https://example.com"}');
  });

  it('on "deny" does not run it, tells the model the user declined, and the conversation goes on', async () => {
    const t = setup([openCall, 'All right, I will not open it.']);
    const outcome = await t.run(() => 'deny');
    expect(t.opened).toEqual([]);
    expect(outcome.reason).toBe('answered');
    expect(outcome.turns).toEqual([
      {
        role: 'assistant',
        content: openCall,
        calls: [{ name: 'open_url', arguments: { url: 'https://example.com' } }],
      },
      { role: 'tool', name: 'open_url', content: 'The user declined to run open_url.' },
      { role: 'assistant', content: 'All right, I will not open it.' },
    ]);
    // The second prompt carries the refusal to the model.
    expect(t.format.contexts[1]?.turns.at(-1)).toEqual({
      role: 'tool',
      name: 'open_url',
      content: 'The user declined to run open_url.',
    });
    const end = t.events.find((e) => e.type === 'call_end');
    expect(end?.type === 'call_end' && end.result).toMatchObject({ ok: false, error: { kind: 'declined' } });
  });

  it('declines when the caller gave no way to ask', async () => {
    const t = setup([openCall, 'I could not open it.']);
    const outcome = await t.run();
    expect(t.opened).toEqual([]);
    expect(outcome.turns[1]).toMatchObject({
      role: 'tool',
      content: expect.stringMatching(/needs the user's consent/) as string,
    });
  });

  it('a stop while waiting ends the run as aborted, without running the call or generating again', async () => {
    const t = setup([openCall, 'never']);
    const user = askLater();
    const controller = new AbortController();
    const done = t.run(user.confirm, controller.signal);
    await vi.waitFor(() => expect(user.asked).toHaveLength(1));
    controller.abort();
    const outcome = await done;
    expect(outcome.reason).toBe('aborted');
    user.answer('allow');
    await tick();
    expect(t.opened).toEqual([]);
    expect(t.generator.requests).toHaveLength(1);
    expect(user.asked[0]?.signal.aborted).toBe(true);
  });
});
