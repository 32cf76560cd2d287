/**
 * How long a user message and a function result may be, in one place, derived from the loaded
 * model's context window (its size in tokens; every catalog model has 4,096).
 *
 * Why these shares: English prose and JSON come to roughly 3–4 characters per token with the
 * tokenizers of the catalog's models. The prompt must hold the system prompt and the function list
 * (≈ 500–1,500 tokens), the newest user message, every function result of this answer (up to 4
 * rounds, some in parallel) and still keep `max tokens` free for the answer.
 * - a user message: 1.5 characters per token of the window (6,144 characters for 4,096 tokens,
 *   ≈ 1,500–2,000 tokens), so it leaves at least half the window for the rest;
 * - a function result: 1 character per token (4,096 characters for 4,096 tokens, ≈ 1,000–1,400
 *   tokens): a result larger than that is cut to it, with a marker the model can see.
 * Older turns that no longer fit are left out of the prompt by fitContext.ts, not refused.
 */

/** What a model without a known window is assumed to have: the window of every catalog model. */
export const DEFAULT_CONTEXT_WINDOW = 4096;

export interface SizeLimits {
  /** The context window the limits were derived from, in tokens. */
  contextWindow: number;
  /** Longest user message the composer sends, in characters (UTF-16 code units, as `length` counts). */
  userMessageChars: number;
  /** Longest function result (its JSON text, or its error text) the model is given, in characters. */
  functionResultChars: number;
}

export function sizeLimits(contextWindow: number = DEFAULT_CONTEXT_WINDOW): SizeLimits {
  const window =
    Number.isFinite(contextWindow) && contextWindow > 0 ? Math.floor(contextWindow) : DEFAULT_CONTEXT_WINDOW;
  return {
    contextWindow: window,
    userMessageChars: Math.floor(window * 1.5),
    functionResultChars: window,
  };
}

/** Numbers as people read them: 6,144. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Why a user message is refused, or null when it may be sent. */
export function userMessageTooLong(text: string, limits: SizeLimits): string | null {
  if (text.length <= limits.userMessageChars) return null;
  return (
    `This message is ${formatCount(text.length)} characters long; messages to this model can be at most ` +
    `${formatCount(limits.userMessageChars)} (its context holds ${formatCount(limits.contextWindow)} tokens). ` +
    'Shorten it to send it; your text stays here.'
  );
}
