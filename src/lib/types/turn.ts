import type { ToolCall } from './toolCall.ts';

/**
 * One earlier turn of a conversation, as the prompt formats render it.
 * `assistant.content` is the model's raw output (calls included, as the model wrote them);
 * `tool.content` is the function result as JSON text (or an error text) fed back to the model.
 */
export type Turn =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; calls?: ToolCall[] }
  | { role: 'tool'; name: string; content: string };
