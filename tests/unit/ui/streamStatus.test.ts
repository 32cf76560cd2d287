import { describe, expect, it } from 'vitest';
import { streamStatus } from '../../../src/ui/components/chat/streamStatus.ts';
import { applyAgentEvent, newAssistantMessage, newUserMessage } from '../../../src/ui/state/chatMessages.ts';

describe('streamStatus (the polite live region)', () => {
  it('announces phases, not tokens', () => {
    const msg = newAssistantMessage({});
    expect(streamStatus(msg)).toBe('Generating the answer…');
    applyAgentEvent(msg, {
      type: 'generation_start',
      step: 0,
      formatId: 'hermes',
      request: { api: 'chat', messages: [] },
      constrained: false,
    });
    applyAgentEvent(msg, { type: 'delta', step: 0, delta: 'a', text: 'a' });
    const first = streamStatus(msg);
    applyAgentEvent(msg, { type: 'delta', step: 0, delta: ' b', text: 'a b' });
    expect(streamStatus(msg)).toBe(first);
    const call = { name: 'calculate', arguments: { expression: '1+1' } };
    applyAgentEvent(msg, { type: 'call_start', step: 0, callId: 'c', call });
    expect(streamStatus(msg)).toBe('Running calculate…');
    applyAgentEvent(msg, { type: 'done', reason: 'answered', turns: [] });
    expect(streamStatus(msg)).toBe('Answer ready.');
  });

  it('says when the answer stopped, failed or asks a question, and nothing for a user message', () => {
    expect(streamStatus(undefined)).toBe('');
    expect(streamStatus(newUserMessage('hi'))).toBe('');
    const stopped = newAssistantMessage({});
    applyAgentEvent(stopped, { type: 'done', reason: 'aborted', turns: [] });
    expect(streamStatus(stopped)).toBe('Answer stopped.');
    const asked = newAssistantMessage({});
    applyAgentEvent(asked, { type: 'done', reason: 'ask_user', turns: [] });
    expect(streamStatus(asked)).toBe('The assistant needs more information.');
    const failed = newAssistantMessage({});
    applyAgentEvent(failed, { type: 'done', reason: 'error', turns: [], error: { name: 'E', message: 'x' } });
    expect(streamStatus(failed)).toBe('The answer failed.');
  });

  it('says what the running answer waits on: the stopped answer, then a silent model; not for another message', () => {
    const msg = newAssistantMessage({});
    expect(streamStatus(msg, { messageId: msg.id, waitingForStopped: true, stalledS: null })).toBe(
      'Waiting for the model to finish the stopped answer…',
    );
    expect(streamStatus(msg, { messageId: msg.id, waitingForStopped: true, stalledS: 60 })).toBe(
      'The model has not answered for 60 s.',
    );
    expect(streamStatus(msg, { messageId: 'other', waitingForStopped: true, stalledS: 60 })).toBe(
      'Generating the answer…',
    );
  });
});
