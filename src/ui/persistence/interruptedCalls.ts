/**
 * Calls found unfinished in a stored conversation: the page was closed or reloaded while the call ran
 * or while its consent question waited. Nothing is left to finish them, and whether a running one got
 * as far as doing anything is unknown, so each gets an 'interrupted' result ("Not run (interrupted)")
 * before the messages are revived: `reviveMessages` then closes the record without it reading as a
 * success.
 */
import type { DispatchResult } from '../../lib/types/dispatch.ts';
import type { Message } from '../state/chatMessages.ts';

export const INTERRUPTED_MESSAGE = 'Not run (interrupted): the page was closed or reloaded before this call finished.';

const interrupted = (): DispatchResult => ({ ok: false, error: { kind: 'interrupted', message: INTERRUPTED_MESSAGE }, ms: 0 });

/** Marks, in place, every call still running in an answer that was still streaming. @returns messages */
export function markInterruptedCalls(messages: Message[]): Message[] {
  for (const m of messages) {
    if (m.role !== 'assistant' || m.status !== 'streaming') continue;
    for (const step of m.steps) for (const call of step.calls) if (call.status === 'running' && !call.result) call.result = interrupted();
  }
  return messages;
}
