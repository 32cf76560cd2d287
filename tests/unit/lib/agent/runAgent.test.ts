import { describe, expect, it } from 'vitest';
import { runAgent, type RunAgentOptions } from '../../../../src/lib/agent/runAgent.ts';
import { FunctionRegistry } from '../../../../src/lib/dispatch/registry.ts';
import type { AgentEvent } from '../../../../src/lib/types/agent.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';
import { RecordingFormat, ScriptedGenerator, type ScriptedReply } from './fakes.ts';

const weather: FunctionSpec = {
  name: 'get_weather',
  description: 'Gets the current weather in a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'The city name, e.g. Paris' } },
    required: ['city'],
  },
};
const saveNote: FunctionSpec = {
  name: 'save_note',
  description: 'Save a note.',
  parameters: {
    type: 'object',
    properties: { text: { type: 'string', description: 'The note text' } },
    required: ['text'],
  },
};

const call = (name: string, args: Record<string, unknown>) => JSON.stringify({ name, arguments: args });

function setup(replies: ScriptedReply[], extra: Partial<RunAgentOptions> = {}) {
  const registry = new FunctionRegistry();
  const calls: Array<{ name: string; args: Record<string, unknown> }> = [];
  registry.register(weather, (args) => {
    calls.push({ name: 'get_weather', args });
    return { city: args.city, tempC: 21 };
  });
  registry.register(saveNote, (args) => {
    calls.push({ name: 'save_note', args });
    return { saved: true };
  });
  const generator = new ScriptedGenerator(replies);
  const format = new RecordingFormat();
  const events: AgentEvent[] = [];
  const run = (more: Partial<RunAgentOptions> = {}) =>
    runAgent({
      generator,
      format,
      registry,
      turns: [{ role: 'user', content: 'What is the weather in Paris?' }],
      onEvent: (e) => events.push(e),
      ...extra,
      ...more,
    });
  return { registry, calls, generator, format, events, run };
}

describe('runAgent', () => {
  it('runs a call, feeds the result back and ends with the answer', async () => {
    const t = setup([call('get_weather', { city: 'Paris' }), 'It is 21 °C in Paris.']);
    const outcome = await t.run();

    expect(outcome.reason).toBe('answered');
    expect(t.calls).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);
    expect(outcome.turns).toEqual([
      {
        role: 'assistant',
        content: call('get_weather', { city: 'Paris' }),
        calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', name: 'get_weather', content: JSON.stringify({ city: 'Paris', tempC: 21 }) },
      { role: 'assistant', content: 'It is 21 °C in Paris.' },
    ]);
    // The second prompt contains the result, after the user's message.
    expect(t.format.contexts[1]?.turns.map((turn) => turn.role)).toEqual(['user', 'assistant', 'tool']);
    expect(t.format.contexts[0]?.functions.map((f) => f.name)).toEqual(['get_weather', 'save_note']);

    const types = t.events.map((e) => e.type).filter((type) => type !== 'delta');
    expect(types).toEqual([
      'generation_start',
      'generation_end',
      'parsed',
      'call_start',
      'call_end',
      'generation_start',
      'generation_end',
      'parsed',
      'done',
    ]);
    const start = t.events.find((e) => e.type === 'call_start');
    const end = t.events.find((e) => e.type === 'call_end');
    expect(start && 'callId' in start && start.callId).toMatch(/^[0-9a-f-]{36}$/);
    expect(end && 'callId' in end && end.callId).toBe(start && 'callId' in start && start.callId);
    const done = t.events.at(-1);
    expect(done).toEqual({ type: 'done', reason: 'answered', turns: outcome.turns });
  });

  it('streams deltas whose text grows to the full answer', async () => {
    const t = setup(['Hello there, no call needed.']);
    await t.run();
    const deltas = t.events.filter((e) => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.delta).join('')).toBe('Hello there, no call needed.');
    expect(deltas.at(-1)).toMatchObject({ text: 'Hello there, no call needed.' });
  });

  it('chains calls across generations', async () => {
    const t = setup([call('get_weather', { city: 'Paris' }), call('save_note', { text: 'Paris 21' }), 'Saved.']);
    const outcome = await t.run();
    expect(outcome.reason).toBe('answered');
    expect(t.calls.map((c) => c.name)).toEqual(['get_weather', 'save_note']);
    expect(outcome.turns.map((turn) => turn.role)).toEqual(['assistant', 'tool', 'assistant', 'tool', 'assistant']);
  });

  it('runs parallel calls concurrently and returns results in call order', async () => {
    let releaseB: () => void = () => {};
    const bStarted = new Promise<void>((resolve) => (releaseB = resolve));
    const registry = new FunctionRegistry();
    // A waits until B has started: run one after the other, A would time out.
    registry.register({ ...weather, name: 'a' }, async () => {
      await bStarted;
      await new Promise((r) => setTimeout(r, 20));
      return 'A';
    });
    registry.register({ ...weather, name: 'b' }, () => {
      releaseB();
      return 'B';
    });
    const answer = `[${call('a', { city: 'x' })}, ${call('b', { city: 'y' })}]`;
    const t = setup([answer, 'Both done.'], { registry, callTimeoutMs: 2000 });
    const outcome = await t.run();

    expect(outcome.reason).toBe('answered');
    expect(outcome.turns.filter((turn) => turn.role === 'tool')).toEqual([
      { role: 'tool', name: 'a', content: '"A"' },
      { role: 'tool', name: 'b', content: '"B"' },
    ]);
    // Both started before either ended; B ended first, yet A's result comes first.
    const order = t.events
      .filter((e) => e.type === 'call_start' || e.type === 'call_end')
      .map((e) => `${e.type}:${'call' in e ? e.call.name : ''}`);
    expect(order).toEqual(['call_start:a', 'call_start:b', 'call_end:b', 'call_end:a']);
  });

  it('asks the user for missing required arguments and runs nothing', async () => {
    const t = setup([call('save_note', {})]);
    const outcome = await t.run();

    expect(outcome.reason).toBe('ask_user');
    expect(t.calls).toEqual([]);
    const ask = t.events.find((e) => e.type === 'ask_user');
    expect(ask).toMatchObject({ name: 'save_note', missing: ['text'] });
    expect(ask && 'message' in ask && ask.message).toBe('To save a note I need the note text. What should it be?');
    expect(outcome.turns).toEqual([
      { role: 'assistant', content: 'To save a note I need the note text. What should it be?' },
    ]);
    expect(t.generator.requests).toHaveLength(1);
  });

  it('keeps the partial answer when aborted mid-stream', async () => {
    const controller = new AbortController();
    const t = setup([{ hangAfter: 'Let me think about' }], { signal: controller.signal });
    const pending = t.run({ onEvent: (e) => e.type === 'delta' && e.text.endsWith('about') && controller.abort() });
    const outcome = await pending;
    expect(outcome.reason).toBe('aborted');
    expect(t.generator.interrupts).toBe(1);
    expect(outcome.turns).toEqual([{ role: 'assistant', content: 'Let me think about' }]);
  });

  it('does not run a call that the token limit cut off', async () => {
    const cutOff = '{"name": "save_note", "arguments": {"text": "buy mi';
    const t = setup([{ text: cutOff, finishReason: 'length' }]);
    const outcome = await t.run();
    expect(t.calls).toEqual([]);
    expect(outcome.reason).toBe('answered');
    const parsed = t.events.find((e) => e.type === 'parsed');
    expect(parsed && 'parsed' in parsed && parsed.parsed.calls).toEqual([]);
    expect(parsed && 'parsed' in parsed && parsed.parsed.errors.map((e) => e.message).join(' ')).toMatch(/token limit/);
  });

  it('runs the calls completed before the cut, and tells the model about the cut one', async () => {
    const answer = `[${call('get_weather', { city: 'Paris' })}, {"name": "save_note", "arguments": {"text": "Par`;
    const t = setup([{ text: answer, finishReason: 'length' }, 'Done.']);
    const outcome = await t.run();
    expect(t.calls).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);
    const tools = outcome.turns.filter((turn) => turn.role === 'tool');
    expect(tools[0]).toMatchObject({ name: 'get_weather' });
    expect(tools[1]).toMatchObject({ name: 'save_note' });
    expect(tools[1]?.content).toMatch(/^Error: .*token limit/);
  });

  it('reports an engine error without throwing and keeps the partial text', async () => {
    const failure = Object.assign(new Error('GPU device was lost'), { name: 'DeviceLostError' });
    const t = setup([{ error: failure, partial: 'The weather' }]);
    const outcome = await t.run();
    expect(outcome).toEqual({
      reason: 'error',
      turns: [{ role: 'assistant', content: 'The weather' }],
      error: { name: 'DeviceLostError', message: 'GPU device was lost' },
    });
    expect(t.events.at(-1)).toMatchObject({ type: 'done', reason: 'error' });
  });

  it('stops after maxCalls rounds; the last generation may not call', async () => {
    const t = setup([call('get_weather', { city: 'Paris' })], { maxCalls: 2 });
    const outcome = await t.run();
    expect(outcome.reason).toBe('max_calls');
    expect(t.calls).toHaveLength(2);
    expect(t.generator.requests).toHaveLength(3);
    expect(t.format.contexts.map((c) => c.toolChoice)).toEqual(['auto', 'auto', 'none']);
    expect(outcome.turns.at(-1)).toEqual({ role: 'assistant', content: call('get_weather', { city: 'Paris' }) });
    // The call written anyway is an error card saying it was not run, not a call.
    const last = t.events.filter((e) => e.type === 'parsed').at(-1);
    const parsed = last && 'parsed' in last ? last.parsed : undefined;
    expect(parsed?.calls).toEqual([]);
    expect(parsed?.errors).toMatchObject([{ kind: 'not_allowed', name: 'get_weather' }]);
    expect(parsed?.errors[0]?.message).toMatch(/^Not run: the limit of 2 chained call rounds was reached/);
  });

  it('never runs a call under tool_choice none, and never turns it into a question', async () => {
    for (const [args, kind] of [
      [{ city: 'Paris' }, 'not_allowed'],
      [{}, 'invalid_arguments'],
    ] as const) {
      const t = setup([call('get_weather', args)], { toolChoice: 'none' });
      const outcome = await t.run();
      expect(outcome.reason).toBe('answered');
      expect(t.calls).toEqual([]);
      expect(t.events.some((e) => e.type === 'ask_user' || e.type === 'call_start')).toBe(false);
      const parsed = t.events.find((e) => e.type === 'parsed');
      expect(parsed && 'parsed' in parsed && parsed.parsed.errors.map((e) => e.kind)).toEqual([kind]);
    }
  });

  it('applies a forced tool choice to the first generation only', async () => {
    const t = setup([call('get_weather', { city: 'Paris' }), 'Sunny.'], { toolChoice: 'required' });
    await t.run();
    expect(t.format.contexts.map((c) => c.toolChoice)).toEqual(['required', 'auto']);
  });

  it('shows malformed output and unknown functions without looping', async () => {
    const t = setup([call('launch_rocket', { target: 'moon' })]);
    const outcome = await t.run();
    expect(outcome.reason).toBe('answered');
    expect(t.generator.requests).toHaveLength(1);
    const parsed = t.events.find((e) => e.type === 'parsed');
    expect(parsed && 'parsed' in parsed && parsed.parsed.errors[0]?.kind).toBe('unknown_function');
  });

  it('passes generation settings into the request', async () => {
    const t = setup(['Hi.'], { generation: { maxTokens: 64, temperature: 0.2 } });
    await t.run();
    expect(t.generator.requests[0]).toMatchObject({ maxTokens: 64, temperature: 0.2 });
    const start = t.events[0];
    expect(start).toMatchObject({ type: 'generation_start', step: 0, formatId: 'generic', constrained: false });
  });

  it('lets the page have a task between showing the finished answer, parsing it, and running its calls', async () => {
    const t = setup([call('get_weather', { city: 'Paris' }), 'It is 21 °C in Paris.']);
    // Microtasks all run before the next task: if the next step came within them, it was the same task.
    const sameTask: string[] = [];
    const afterMicrotasks = async (type: AgentEvent['type']) => {
      const seen = t.events.length;
      for (let i = 0; i < 200; i++) await Promise.resolve();
      if (t.events.length > seen) sameTask.push(`${type} -> ${t.events[seen]?.type}`);
    };
    const outcome = await t.run({
      onEvent: (e) => {
        t.events.push(e);
        if (e.type === 'generation_end' || e.type === 'parsed') void afterMicrotasks(e.type);
      },
    });
    expect(outcome.reason).toBe('answered');
    expect(t.calls).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);
    expect(t.events.map((e) => e.type)).toContain('call_end');
    expect(sameTask).toEqual([]);
  });
});
