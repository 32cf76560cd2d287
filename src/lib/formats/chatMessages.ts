/**
 * Turns our conversation into messages web-llm's chat API accepts, whatever the model's template:
 *
 * - the system message (user's system prompt + the format's function instructions) comes first and
 *   only once: web-llm throws SystemMessageOrderError for a system message anywhere else;
 * - function results become USER messages wrapped in the format's result text. web-llm only takes a
 *   `tool` role with a `tool_call_id` and maps it through the model's template, where many templates
 *   have no tool role at all ("Role is not supported"); our ChatMessage type has no tool role either;
 * - consecutive messages of one role are merged (blank line between), because web-llm picks each
 *   message's separator by position (`seps[i % seps.length]`), which assumes user/assistant turns
 *   alternate — two user messages in a row would get a template's assistant separator;
 * - the last message must be from the user (web-llm's MessageOrderError), which holds when the
 *   conversation ends with a user message or a function result, as PromptContext promises;
 * - an earlier answer is sent exactly as the model wrote it, surrounding whitespace included: web-llm
 *   continues from its KV cache only when the history repeats its recorded answer verbatim
 *   (compareConversationObject), and a trimmed copy would make it read the whole prompt again.
 */
import { PromptBuildError } from '../errors.ts';
import type { ChatMessage } from '../types/generation.ts';
import type { ToolCall } from '../types/toolCall.ts';
import type { Turn } from '../types/turn.ts';

export type ToolTurn = Extract<Turn, { role: 'tool' }>;

export interface ChatRendering {
  /** The whole system message; '' leaves it out (the model's template default then applies). */
  system: string;
  /** The text of a run of consecutive function results, fed back as one user message. */
  toolResults: (results: ToolTurn[]) => string;
  /** An earlier answer's calls in the format's own syntax, used when the answer's text is empty. */
  renderCalls: (calls: ToolCall[]) => string;
}

/** An earlier answer as the model wrote it (its calls included), or its calls re-rendered. */
export function assistantText(
  turn: Extract<Turn, { role: 'assistant' }>,
  renderCalls: (calls: ToolCall[]) => string,
): string {
  const text = turn.content.trim();
  if (text !== '' || !turn.calls || turn.calls.length === 0) return text;
  return renderCalls(turn.calls);
}

/** @throws {PromptBuildError} when there are no turns or the last turn is the assistant's. */
export function buildChatMessages(turns: Turn[], rendering: ChatRendering): ChatMessage[] {
  const last = turns[turns.length - 1];
  if (!last) throw new PromptBuildError('the conversation has no turns');
  if (last.role === 'assistant')
    throw new PromptBuildError('the last turn must be a user message or a function result');
  const messages: ChatMessage[] = [];
  const push = (role: ChatMessage['role'], content: string) => {
    const prev = messages[messages.length - 1];
    if (prev && prev.role === role) prev.content = `${prev.content}\n\n${content}`;
    else messages.push({ role, content });
  };
  if (rendering.system !== '') messages.push({ role: 'system', content: rendering.system });
  let results: ToolTurn[] = [];
  const flush = () => {
    if (results.length > 0) push('user', rendering.toolResults(results));
    results = [];
  };
  for (const turn of turns) {
    if (turn.role === 'tool') {
      results.push(turn);
      continue;
    }
    flush();
    if (turn.role === 'user') push('user', turn.content.trim());
    else if (turn.content.trim() !== '') push('assistant', turn.content);
    else
      push(
        'assistant',
        assistantText(turn, (calls) => rendering.renderCalls(calls)),
      );
  }
  flush();
  return messages;
}

/** The user's system prompt and the format's instructions, kept together in one system message. */
export function joinSystem(userSystem: string | undefined, instructions: string): string {
  return [userSystem?.trim() ?? '', instructions].filter((part) => part !== '').join('\n\n');
}
