import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/lib/types/agent.ts';
import type { FunctionSpec } from '../../../src/lib/types/functionSpec.ts';
import type { GenerateRequest } from '../../../src/lib/types/generation.ts';
import {
  applyAgentEvent,
  newAssistantMessage,
  stepParts,
  type AssistantMessage,
  type StepRecord,
} from '../../../src/ui/state/chatMessages.ts';
import { endThinking, reasoningView, thinkingLabel, timeThinking } from '../../../src/ui/state/reasoning.ts';
import { streamStatus } from '../../../src/ui/components/chat/streamStatus.ts';

const request: GenerateRequest = { api: 'chat', messages: [{ role: 'user', content: 'What is 23*19?' }] };
const functions: FunctionSpec[] = [
  {
    name: 'calculate',
    parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] },
  },
];
const THOUGHT = 'I could call {"name": "calculate", "arguments": {}} but I need the expression.';
const CALL = '<tool_call>\n{"name": "calculate", "arguments": {"expression": "23*19"}}\n</tool_call>';
const REPLY = `<think>\n${THOUGHT}\n</think>\n\n${CALL}`;

/** Streams `text` into a fresh message in pieces, at the given clock times (ms). */
function stream(pieces: [string, number][]): AssistantMessage {
  const msg = newAssistantMessage({ formatId: 'hermes' });
  applyAgentEvent(
    msg,
    { type: 'generation_start', step: 0, formatId: 'hermes', request, constrained: false },
    functions,
    0,
  );
  let text = '';
  for (const [piece, at] of pieces) {
    text += piece;
    applyAgentEvent(msg, { type: 'delta', step: 0, delta: piece, text }, functions, at);
  }
  return msg;
}

function firstStep(msg: AssistantMessage): StepRecord {
  const step = msg.steps[0];
  if (!step) throw new Error('no step');
  return step;
}

describe('reasoning parts of a step', () => {
  it('streams the reasoning as its own open part, with no prose and no draft call from the thought', () => {
    const msg = stream([
      ['<think>\nI could call', 1000],
      [' {"name": "calculate", "arguments": {}}', 1500],
    ]);
    const parts = stepParts(firstStep(msg));
    expect(parts).toEqual([
      { kind: 'reasoning', text: 'I could call {"name": "calculate", "arguments": {}}', streaming: true },
      { kind: 'text', text: '', streaming: true },
    ]);
    expect(streamStatus(msg)).toBe('Thinking…');
  });

  it('ends the reasoning when the answer starts, with its duration, and the real call becomes a draft', () => {
    const msg = stream([
      ['<think>\n', 1000],
      [`${THOUGHT}\n</think>\n\n`, 3400],
      [CALL, 3600],
    ]);
    const step = firstStep(msg);
    expect(step.thinking).toEqual({ startedAt: 1000, endedAt: 3400 });
    const parts = stepParts(step);
    expect(parts[0]).toEqual({ kind: 'reasoning', text: THOUGHT, streaming: false, durationMs: 2400 });
    expect(parts.filter((p) => p.kind === 'draft')).toHaveLength(1);
    expect(parts.some((p) => p.kind === 'text' && p.text.includes('I could'))).toBe(false);
    expect(streamStatus(msg)).toBe('Generating the answer…');
  });

  it('keeps the reasoning and its duration once parsed: one call, no error for the thought', () => {
    const msg = stream([
      ['<think>\n', 1000],
      [`${THOUGHT}\n</think>\n\n`, 2000],
      [CALL, 2500],
    ]);
    const events: AgentEvent[] = [
      { type: 'generation_end', step: 0, result: { text: REPLY, finishReason: 'stop' } },
      {
        type: 'parsed',
        step: 0,
        parsed: {
          calls: [{ name: 'calculate', arguments: { expression: '23*19' } }],
          errors: [],
          text: '',
          reasoning: THOUGHT,
        },
      },
    ];
    for (const ev of events) applyAgentEvent(msg, ev, functions, 2600);
    const parts = stepParts(firstStep(msg), false);
    expect(parts.map((p) => p.kind)).toEqual(['reasoning', 'call']);
    expect(parts[0]).toEqual({ kind: 'reasoning', text: THOUGHT, streaming: false, durationMs: 1000 });
  });

  it('ends the timing with the generation when the model stops while still thinking', () => {
    const msg = stream([
      ['<think>\nHmm', 1000],
      [' let me see', 1800],
    ]);
    applyAgentEvent(
      msg,
      { type: 'generation_end', step: 0, result: { text: '<think>\nHmm let me see', finishReason: 'abort' } },
      functions,
      2000,
    );
    const parts = stepParts(firstStep(msg), false);
    expect(parts[0]).toEqual({ kind: 'reasoning', text: 'Hmm let me see', streaming: false, durationMs: 1000 });
  });

  it('shows no section for an empty block that is over (thinking switched off)', () => {
    const msg = stream([
      ['<think>\n\n</think>\n\n', 1000],
      ['Hi.', 1100],
    ]);
    expect(stepParts(firstStep(msg)).map((p) => p.kind)).toEqual(['text']);
  });
});

describe('reasoning.ts', () => {
  it('times from the first reasoning seen to the first preview outside it, once', () => {
    let t = timeThinking(undefined, { prose: '', calls: [] }, 5);
    expect(t).toBeUndefined();
    t = timeThinking(t, { prose: '', calls: [], reasoning: 'a', thinking: true }, 10);
    expect(t).toEqual({ startedAt: 10 });
    t = timeThinking(t, { prose: 'x', calls: [], reasoning: 'a', thinking: false }, 30);
    t = timeThinking(t, { prose: 'xy', calls: [], reasoning: 'a', thinking: false }, 50);
    expect(t).toEqual({ startedAt: 10, endedAt: 30 });
    endThinking(t, 99);
    expect(t).toEqual({ startedAt: 10, endedAt: 30 });
  });

  it('gives no duration while streaming, and none without a timing (an answer parsed whole)', () => {
    expect(reasoningView('a', true, { startedAt: 0, endedAt: 5 })).toEqual({ text: 'a', streaming: true });
    expect(reasoningView('a', false, undefined)).toEqual({ text: 'a', streaming: false });
    expect(reasoningView(undefined, false, undefined)).toBeNull();
    expect(reasoningView('', false, undefined)).toBeNull();
    expect(reasoningView('', true, undefined)).toEqual({ text: '', streaming: true });
  });

  it('labels the summary by phase and duration', () => {
    expect(thinkingLabel({ text: 'a', streaming: true })).toBe('Thinking…');
    expect(thinkingLabel({ text: 'a', streaming: false, durationMs: 200 })).toBe('Thought for under 1 s');
    expect(thinkingLabel({ text: 'a', streaming: false, durationMs: 2600 })).toBe('Thought for 3 s');
    expect(thinkingLabel({ text: 'a', streaming: false })).toBe('Thoughts');
  });
});
