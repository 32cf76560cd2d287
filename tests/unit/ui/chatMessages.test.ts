import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { previewStreamingCalls } from '../../../src/lib/parse/previewCalls.ts';
import type { AgentEvent } from '../../../src/lib/types/agent.ts';
import type { FunctionSpec } from '../../../src/lib/types/functionSpec.ts';
import type { GenerateRequest } from '../../../src/lib/types/generation.ts';
import {
  applyAgentEvent,
  failAssistant,
  historyTurns,
  keyedParts,
  newAssistantMessage,
  newUserMessage,
  reviveMessages,
  stepParts,
  titleFrom,
  type Message,
} from '../../../src/ui/state/chatMessages.ts';

const request: GenerateRequest = {
  api: 'completion',
  prompt: '<FUNCTIONS>…</FUNCTIONS>\n\n[INST] What is 23*19? [/INST]\n\n',
};
const call = { name: 'calculate', arguments: { expression: '23*19' } };
const callText = '{"function": "calculate", "arguments": {"expression": "23*19"}}';

/** The events of a full turn: a call, its result, then the final answer. */
function fullTurn(): AgentEvent[] {
  return [
    {
      type: 'generation_start',
      step: 0,
      formatId: 'trelis-v2',
      request,
      constrained: false,
      constraintNote: 'raw completion',
    },
    { type: 'delta', step: 0, delta: '{"function":', text: '{"function":' },
    { type: 'delta', step: 0, delta: ' …', text: callText },
    {
      type: 'generation_end',
      step: 0,
      result: { text: callText, finishReason: 'stop', stats: { decodeTokensPerS: 12 } },
    },
    { type: 'parsed', step: 0, parsed: { calls: [call], errors: [], text: '' } },
    { type: 'call_start', step: 0, callId: 'c1', call },
    { type: 'call_end', step: 0, callId: 'c1', call, result: { ok: true, value: 437, json: '437', ms: 1 } },
    { type: 'generation_start', step: 1, formatId: 'trelis-v2', request, constrained: false },
    { type: 'delta', step: 1, delta: '23 × 19', text: '23 × 19' },
    { type: 'delta', step: 1, delta: ' = 437.', text: '23 × 19 = 437.' },
    { type: 'generation_end', step: 1, result: { text: '23 × 19 = 437.', finishReason: 'stop' } },
    { type: 'parsed', step: 1, parsed: { calls: [], errors: [], text: '23 × 19 = 437.' } },
    {
      type: 'done',
      reason: 'answered',
      turns: [
        { role: 'assistant', content: callText, calls: [call] },
        { role: 'tool', name: 'calculate', content: '437' },
        { role: 'assistant', content: '23 × 19 = 437.' },
      ],
    },
  ];
}

describe('applyAgentEvent', () => {
  it('streams text into the step before it is parsed, a call as a draft card instead of raw JSON', () => {
    const msg = newAssistantMessage({ modelId: 'm' });
    const events = fullTurn();
    for (const ev of events.slice(0, 2)) applyAgentEvent(msg, ev);
    expect(msg.status).toBe('streaming');
    expect(msg.formatId).toBe('trelis-v2');
    expect(msg.steps).toHaveLength(1);
    const step = msg.steps[0];
    expect(step?.text).toBe('{"function":');
    expect(step && stepParts(step)).toEqual([
      { kind: 'draft', call: { arguments: {}, complete: false }, streaming: true },
    ]);
  });

  it('turns a full turn into a call card with its result, then the final answer', () => {
    const msg = newAssistantMessage({});
    for (const ev of fullTurn()) applyAgentEvent(msg, ev);
    expect(msg.status).toBe('done');
    expect(msg.stopReason).toBe('answered');
    expect(msg.steps).toHaveLength(2);
    const [first, second] = msg.steps;
    expect(first?.result?.stats?.decodeTokensPerS).toBe(12);
    expect(first?.constraintNote).toBe('raw completion');
    const parts = first ? stepParts(first) : [];
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({
      kind: 'call',
      call,
      record: { callId: 'c1', status: 'done', result: { ok: true, json: '437' } },
    });
    expect(second && stepParts(second)).toEqual([{ kind: 'text', text: '23 × 19 = 437.', streaming: false }]);
    expect(msg.turns).toHaveLength(3);
  });

  it('shows a call card as running between call_start and call_end', () => {
    const msg = newAssistantMessage({});
    for (const ev of fullTurn().slice(0, 6)) applyAgentEvent(msg, ev);
    const part = msg.steps[0] ? stepParts(msg.steps[0])[0] : undefined;
    expect(part).toMatchObject({ kind: 'call', record: { status: 'running' } });
    expect(part && 'record' in part ? part.record?.result : 'x').toBeUndefined();
  });

  it('shows parse errors as error cards and the missing-argument question instead of its error', () => {
    const msg = newAssistantMessage({});
    applyAgentEvent(msg, { type: 'generation_start', step: 0, formatId: 'hermes', request, constrained: true });
    applyAgentEvent(msg, {
      type: 'parsed',
      step: 0,
      parsed: {
        calls: [],
        errors: [
          { kind: 'malformed', message: 'Not valid JSON', raw: '{"function": "calculate", ' },
          {
            kind: 'invalid_arguments',
            message: 'missing timezone',
            raw: '…',
            name: 'get_current_time',
            missing: ['timezone'],
          },
        ],
        text: 'Let me check.',
      },
    });
    applyAgentEvent(msg, {
      type: 'ask_user',
      step: 0,
      name: 'get_current_time',
      missing: ['timezone'],
      message: 'Which time zone?',
    });
    applyAgentEvent(msg, {
      type: 'done',
      reason: 'ask_user',
      turns: [{ role: 'assistant', content: 'Which time zone?' }],
    });
    const parts = msg.steps[0] ? stepParts(msg.steps[0]) : [];
    expect(parts.map((p) => p.kind)).toEqual(['text', 'error', 'ask']);
    expect(parts[1]).toMatchObject({ error: { kind: 'malformed' } });
    expect(parts[2]).toMatchObject({ ask: { message: 'Which time zone?', missing: ['timezone'] } });
    expect(msg.status).toBe('done');
  });

  it('marks an aborted answer as stopped and keeps the partial text', () => {
    const msg = newAssistantMessage({});
    applyAgentEvent(msg, { type: 'generation_start', step: 0, formatId: 'generic', request, constrained: false });
    applyAgentEvent(msg, { type: 'delta', step: 0, delta: 'Once upon', text: 'Once upon' });
    applyAgentEvent(msg, { type: 'generation_end', step: 0, result: { text: 'Once upon', finishReason: 'abort' } });
    applyAgentEvent(msg, { type: 'done', reason: 'aborted', turns: [{ role: 'assistant', content: 'Once upon' }] });
    expect(msg.status).toBe('stopped');
    expect(msg.steps[0] && stepParts(msg.steps[0])).toEqual([{ kind: 'text', text: 'Once upon', streaming: false }]);
  });

  it('keeps the error of a failed run and finishes running calls', () => {
    const msg = newAssistantMessage({});
    for (const ev of fullTurn().slice(0, 6)) applyAgentEvent(msg, ev);
    applyAgentEvent(msg, {
      type: 'done',
      reason: 'error',
      turns: [],
      error: { name: 'DeviceLostError', message: 'GPU lost' },
    });
    expect(msg.status).toBe('error');
    expect(msg.error).toEqual({ name: 'DeviceLostError', message: 'GPU lost' });
    expect(msg.steps[0]?.calls[0]?.status).toBe('done');
  });

  it('ignores events for a step that never started', () => {
    const msg = newAssistantMessage({});
    applyAgentEvent(msg, { type: 'delta', step: 3, delta: 'x', text: 'x' });
    expect(msg.steps).toEqual([]);
  });
});

describe('applyAgentEvent — calls while they stream', () => {
  const functions: FunctionSpec[] = [
    {
      name: 'calculate',
      parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] },
    },
  ];
  const answer =
    'Let me work it out.\n<tool_call>\n{"name": "calculate", "arguments": {"expression": "23*19"}}\n</tool_call>';

  /** Streams `text` in pieces of `size` characters into a new message's first step. */
  function streamed(text: string, size: number, upTo = text.length) {
    const msg = newAssistantMessage({});
    applyAgentEvent(
      msg,
      { type: 'generation_start', step: 0, formatId: 'hermes', request, constrained: false },
      functions,
    );
    for (let end = size; end < upTo + size; end += size) {
      const so = text.slice(0, Math.min(end, upTo));
      applyAgentEvent(msg, { type: 'delta', step: 0, delta: so.slice(-size), text: so }, functions);
    }
    return msg;
  }

  it('shows the prose and a draft card filling in, never the raw call text', () => {
    for (let end = 1; end <= answer.length; end++) {
      const step = streamed(answer, 4, end).steps[0];
      expect(step?.text).toBe(answer.slice(0, end)); // the raw output stays, for the inspector
      for (const part of step ? stepParts(step) : []) {
        if (part.kind === 'text') expect(part.text).not.toMatch(/<tool|\{"name"|"arguments"/);
      }
    }
    const halfway = streamed(answer, 3, answer.indexOf('23*') + 3).steps[0];
    expect(halfway && stepParts(halfway)).toEqual([
      { kind: 'text', text: 'Let me work it out.', streaming: false },
      {
        kind: 'draft',
        call: { name: 'calculate', arguments: { expression: '23*' }, complete: false },
        streaming: true,
      },
    ]);
  });

  it('puts the parsed call where the draft was, and drops the preview', () => {
    const msg = streamed(answer, 5);
    const step = msg.steps[0];
    if (!step) throw new Error('no step');
    const before = stepParts(step);
    applyAgentEvent(
      msg,
      { type: 'generation_end', step: 0, result: { text: answer, finishReason: 'stop' } },
      functions,
    );
    applyAgentEvent(
      msg,
      { type: 'parsed', step: 0, parsed: { calls: [call], errors: [], text: 'Let me work it out.' } },
      functions,
    );
    applyAgentEvent(msg, { type: 'call_start', step: 0, callId: 'c1', call }, functions);
    const after = stepParts(step);
    expect(before.map((p) => p.kind)).toEqual(['text', 'draft']);
    expect(after.map((p) => p.kind)).toEqual(['text', 'call']);
    expect(after[1]).toMatchObject({ call, record: { status: 'running' } });
    expect(step.preview).toBeUndefined();
  });

  it('keeps an unfinished call of a stopped answer as a draft that is no longer streaming', () => {
    const cut = answer.indexOf('"arguments"');
    const msg = streamed(answer, 2, cut);
    const text = answer.slice(0, cut);
    applyAgentEvent(msg, { type: 'generation_end', step: 0, result: { text, finishReason: 'abort' } }, functions);
    applyAgentEvent(msg, { type: 'done', reason: 'aborted', turns: [] });
    expect(msg.steps[0] && stepParts(msg.steps[0])).toEqual([
      { kind: 'text', text: 'Let me work it out.', streaming: false },
      { kind: 'draft', call: { name: 'calculate', arguments: {}, complete: false }, streaming: false },
    ]);
  });

  it('stops showing a draft as streaming once the answer failed', () => {
    const msg = streamed(answer, 6, 40);
    failAssistant(msg, new Error('GPU lost'));
    const parts = msg.steps[0] ? stepParts(msg.steps[0], msg.status === 'streaming') : [];
    expect(parts.find((p) => p.kind === 'draft')).toMatchObject({ streaming: false });
  });

  it('updates the preview in place: at every delta it is the preview of the text so far', () => {
    const pieces = fc.constantFrom(
      'Sure. ',
      '<tool_call>\n',
      '{"name": "calculate", ',
      '"arguments": {"expression": "2*3"}}',
      '\n</tool_call>\n',
      '\n\n',
      '`',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 20 }), fc.integer({ min: 1, max: 9 }), (parts, size) => {
        const text = parts.join('');
        const msg = newAssistantMessage({});
        applyAgentEvent(
          msg,
          { type: 'generation_start', step: 0, formatId: 'hermes', request, constrained: false },
          functions,
        );
        for (let end = size; end < text.length + size; end += size) {
          const so = text.slice(0, Math.min(end, text.length));
          applyAgentEvent(msg, { type: 'delta', step: 0, delta: so.slice(-size), text: so }, functions);
          expect(msg.steps[0]?.preview).toEqual(previewStreamingCalls(so, functions));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the object of a settled call while later text streams (a view leaves its card alone)', () => {
    // A call is settled once enough text follows it that no later piece can change how it was read.
    const more = `${answer}\n${'And then some more prose. '.repeat(8)}\n<tool_call>\n{"name": "calculate", "arguments": {"expression": "1+1"}}\n</tool_call>`;
    const settledAt = more.indexOf('<tool_call>', answer.length);
    const msg = streamed(more, 4, settledAt);
    const step = msg.steps[0];
    const settled = step?.preview?.calls[0];
    expect(settled).toEqual({ name: 'calculate', arguments: { expression: '23*19' }, complete: true });
    for (let end = settledAt + 4; end < more.length + 4; end += 4)
      applyAgentEvent(msg, { type: 'delta', step: 0, delta: '', text: more.slice(0, end) }, functions);
    expect(step?.preview?.calls).toHaveLength(2);
    expect(step?.preview?.calls[0]).toBe(settled);
  });

  it('at the answer’s end, previews its final text, keeping the objects of the calls already settled', () => {
    const more = `${answer}\n${'And then some more prose. '.repeat(8)}\n<tool_call>\n{"name": "calculate", "arguments": {"expression": "1+1"}}\n</tool_call>`;
    const settledAt = more.indexOf('<tool_call>', answer.length);
    const msg = streamed(more, 4, settledAt + 20);
    const step = msg.steps[0];
    const settled = step?.preview?.calls[0];
    // The final text goes past the last delta: the preview is that text's, as if read from scratch.
    applyAgentEvent(msg, { type: 'generation_end', step: 0, result: { text: more, finishReason: 'stop' } }, functions);
    expect(step?.preview).toEqual(previewStreamingCalls(more, functions));
    expect(step?.preview?.calls).toHaveLength(2);
    expect(step?.preview?.calls[0]).toBe(settled);
  });

  it('streams plain prose unchanged', () => {
    const msg = streamed('Hello! 23 × 19 is 437.', 3);
    expect(msg.steps[0] && stepParts(msg.steps[0])).toEqual([
      { kind: 'text', text: 'Hello! 23 × 19 is 437.', streaming: true },
    ]);
  });
});

describe('keyedParts', () => {
  const draft = (complete: boolean) => ({ kind: 'draft' as const, call: { arguments: {}, complete }, streaming: true });

  it('keys parts by kind and rank, a draft counting as a call', () => {
    const text = { kind: 'text' as const, text: 'a', streaming: true };
    expect(keyedParts([text, draft(true), draft(false)]).map((k) => k.key)).toEqual(['text-0', 'call-0', 'call-1']);
  });

  it('gives an unchanged part its previous entry, and a changed one a new entry', () => {
    const card = draft(true);
    const before = keyedParts([{ kind: 'text', text: 'a', streaming: true }, card, draft(false)]);
    const after = keyedParts([{ kind: 'text', text: 'ab', streaming: true }, { ...card }, draft(false)], before);
    expect(after[1]).toBe(before[1]);
    expect(after[0]).not.toBe(before[0]);
    expect(after[0]?.part).toEqual({ kind: 'text', text: 'ab', streaming: true });
    // A draft whose call is another object (its arguments grew) is a change.
    expect(after[2]).not.toBe(before[2]);
  });
});

describe('failAssistant', () => {
  it('turns a thrown error into an error message', () => {
    const msg = newAssistantMessage({});
    const err = new TypeError('boom');
    failAssistant(msg, err);
    expect(msg).toMatchObject({ status: 'error', stopReason: 'error', error: { name: 'TypeError', message: 'boom' } });
  });
});

describe('historyTurns', () => {
  it('feeds back the loop turns of each answer after its user message', () => {
    const answer = newAssistantMessage({});
    for (const ev of fullTurn()) applyAgentEvent(answer, ev);
    const messages: Message[] = [newUserMessage('What is 23*19?'), answer];
    expect(historyTurns(messages)).toEqual([
      { role: 'user', content: 'What is 23*19?' },
      { role: 'assistant', content: callText, calls: [call] },
      { role: 'tool', name: 'calculate', content: '437' },
      { role: 'assistant', content: '23 × 19 = 437.' },
    ]);
  });

  it('leaves out a user message whose answer failed with nothing to show', () => {
    const failed = newAssistantMessage({});
    failAssistant(failed, new Error('engine gone'));
    const ok = newAssistantMessage({});
    ok.turns = [{ role: 'assistant', content: 'Hi!' }];
    expect(historyTurns([newUserMessage('first'), failed, newUserMessage('hello'), ok])).toEqual([
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: 'Hi!' },
    ]);
  });

  it('uses the streamed text of an answer interrupted by a reload', () => {
    const cut = newAssistantMessage({});
    applyAgentEvent(cut, { type: 'generation_start', step: 0, formatId: 'generic', request, constrained: false });
    applyAgentEvent(cut, { type: 'delta', step: 0, delta: 'Partial', text: 'Partial' });
    const revived = reviveMessages([newUserMessage('go'), cut]);
    expect(revived[1]).toMatchObject({ status: 'stopped', stopReason: 'aborted' });
    expect(historyTurns(revived)).toEqual([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: 'Partial' },
    ]);
  });
});

describe('titleFrom', () => {
  it('shortens long first messages on one line', () => {
    expect(titleFrom('  What time\nis it in Tokyo?  ')).toBe('What time is it in Tokyo?');
    const long = titleFrom('x'.repeat(100), 20);
    expect(long).toHaveLength(20);
    expect(long.endsWith('…')).toBe(true);
  });
});
