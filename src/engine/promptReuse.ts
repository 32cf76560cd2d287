/**
 * How many prompt tokens web-llm read for a generation, and how many it reused from its KV cache
 * (issue 12 §6), for the inspector's "Prompt: N tokens read, M reused".
 *
 * What web-llm 0.2.86 does (lib/index.js, read for this module):
 * - `usage.prompt_tokens` is `getCurRoundPrefillTotalTokens()`: the tokens prefilled this round,
 *   i.e. READ — only the new part when the cache was reused. No usage field says how many were reused.
 * - The completion API always starts from an empty cache (`preparePrefillInput` calls `resetChat()`;
 *   `getInputData` even throws TextCompletionExpectsKVEmptyError otherwise). So would a raw prompt
 *   sent through the pass-through template as ONE user message: the request has no history to match.
 *   Hence rawPromptMessages: a raw prompt that extends the previous one and its answer is sent as that
 *   history plus only its new text, so the same multi-round rule keeps the cache for raw prompts too.
 * - A chat request keeps the cache when its history (every message but the last) equals the pipeline's
 *   conversation — the previous request's messages plus its answer as generated
 *   (`compareConversationObject`; the answer is the decoded output, `finishReply(outputMessage)`) — and
 *   the previous generation did not end by abort or length. Then only the last message is read.
 * - After a generation the cache holds the prompt and every sampled token but the last (the stop token,
 *   or the token that completed a stop string, is sampled but never fed back): reused + read +
 *   completion_tokens − 1.
 * This mirrors that rule rather than reading web-llm's private pipeline state, so it stays a pure
 * function the host can run and the tests can check.
 */
import type { ChatMessage, FinishReason, GenerateRequest } from '../lib/types/generation.ts';

/** What web-llm's KV cache holds after a chat generation it can continue from. */
export interface KvConversation {
  /** The request's messages and the answer as an assistant message: the history the next request must repeat. */
  messages: ChatMessage[];
  /** Tokens in the cache. */
  tokens: number;
}

function sameMessages(a: readonly ChatMessage[], b: readonly ChatMessage[]): boolean {
  return a.length === b.length && a.every((m, i) => m.role === b[i]?.role && m.content === b[i].content);
}

/**
 * The messages a raw prompt is sent as through the pass-through template (which renders each message
 * as its bare text, passThroughTemplate.ts): when it starts with the previous raw request's messages
 * and answer, those as history and the rest as the last message; otherwise the prompt as one message.
 * Either way the model reads the same text.
 */
export function rawPromptMessages(previous: KvConversation | undefined, prompt: string): ChatMessage[] {
  if (previous) {
    const before = previous.messages.map((m) => m.content).join('');
    if (prompt.length > before.length && prompt.startsWith(before))
      return [...previous.messages, { role: 'user', content: prompt.slice(before.length) }];
  }
  return [{ role: 'user', content: prompt }];
}

/** Tokens of `request`'s prompt that web-llm keeps from the cache left by the previous generation. */
export function reusedPromptTokens(previous: KvConversation | undefined, request: GenerateRequest): number {
  if (!previous || request.api !== 'chat') return 0;
  return sameMessages(request.messages.slice(0, -1), previous.messages) ? previous.tokens : 0;
}

/** The cache a generation leaves behind, or undefined when web-llm will start the next request afresh. */
export function conversationAfter(
  request: GenerateRequest,
  answer: string,
  finishReason: FinishReason,
  tokens: { reused: number; read?: number; completion?: number },
): KvConversation | undefined {
  if (request.api !== 'chat' || finishReason !== 'stop') return undefined;
  if (tokens.read === undefined || tokens.completion === undefined) return undefined;
  return {
    messages: [...request.messages, { role: 'assistant', content: answer }],
    tokens: tokens.reused + tokens.read + Math.max(0, tokens.completion - 1),
  };
}
