/**
 * A conversation as the app shows it: its messages and the per-conversation options the agent loop
 * uses. What is stored is its own type (persistence/storedConversation.ts).
 */
import type { ToolChoice } from '../../lib/types/agent.ts';
import type { Message } from '../../lib/types/chat.ts';

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /** The user's own system prompt (kept alongside the function instructions). */
  system: string;
  toolChoice: ToolChoice;
  /**
   * Let the model reason first, for formats that can switch it (FormatSyntax.thinking.switchable);
   * unset: the model's default (state/thinkingChoice.ts).
   */
  thinking?: boolean;
  /**
   * Functions switched off for this conversation only, by name (on top of the global switches): left
   * out of its prompts and never run. Unset in records from before it existed: none switched off.
   */
  functionsOff?: string[];
  /** The model and prompt format of the latest answer. */
  modelId?: string;
  formatId?: string;
  messages: Message[];
}

/**
 * What the conversation list shows, without the messages (stored beside each record, so the list is
 * read without reading every conversation).
 */
export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  messageCount: number;
  /** The model of the latest answer. */
  modelId?: string;
  /**
   * Set when the record cannot be read here: saved by a newer version of the app, or damaged. It is
   * kept as it is (a newer tab may still read it), and can only be deleted.
   */
  unreadable?: UnreadableReason;
}

/** Why a stored record cannot be read here. */
export type UnreadableReason = 'newer' | 'damaged';

export const DEFAULT_TITLE = 'New conversation';

export function newConversation(now = Date.now()): Conversation {
  return {
    id: crypto.randomUUID(),
    title: DEFAULT_TITLE,
    createdAt: now,
    updatedAt: now,
    system: '',
    toolChoice: 'auto',
    messages: [],
  };
}

export function summarize(c: Conversation): ConversationSummary {
  return {
    id: c.id,
    title: c.title,
    updatedAt: c.updatedAt,
    messageCount: c.messages.length,
    ...(c.modelId !== undefined ? { modelId: c.modelId } : {}),
  };
}
