import type { Message } from '../../state/chatMessages.ts';
import type { ReplyProgress } from '../../../lib/chat/chatSession.ts';

/**
 * What the polite live region announces about the latest answer: a phase, never each token, so a
 * screen reader hears "Thinking… / Generating… / Running calculate… / Answer ready" and not a stream of words.
 */
export function streamStatus(last: Message | undefined, progress: ReplyProgress | null = null): string {
  if (!last || last.role !== 'assistant') return '';
  if (last.status === 'stopped') return 'Answer stopped.';
  if (last.status === 'error') return 'The answer failed.';
  if (last.status === 'done')
    return last.stopReason === 'ask_user' ? 'The assistant needs more information.' : 'Answer ready.';
  // A silent model and a wait behind a stopped answer are said, so a long pause is never unexplained.
  const waits = progress?.messageId === last.id ? progress : null;
  if (waits?.stalledS != null) return `The model has not answered for ${waits.stalledS} s.`;
  if (waits?.waitingForStopped) return 'Waiting for the model to finish the stopped answer…';
  const step = last.steps.at(-1);
  const running = step?.calls.find((c) => c.status === 'running');
  if (running) return `Running ${running.call.name}…`;
  if (step?.preview?.thinking) return 'Thinking…';
  return 'Generating the answer…';
}
