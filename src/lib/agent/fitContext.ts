/**
 * Fits a conversation into the model's context window before each generation.
 *
 * Policy (README, "Long conversations"):
 * - The prompt must fit the context window minus the tokens kept free for the answer (`max tokens`):
 *   web-llm refuses a prompt that leaves no room, and one that leaves too little ends mid-answer.
 * - Always kept: the system prompt and the function list (the format renders them on every build),
 *   and the newest exchange — the user message being answered with every call and result of this
 *   answer so far.
 * - Dropped first: the oldest whole exchanges. An exchange is a user turn and everything up to the
 *   next user turn (the assistant's calls, their results, its answer), so a call is never separated
 *   from its result and the model never sees a result without the call that asked for it.
 * - Nothing is summarised: a summary would need a generation of its own, and a small model's summary
 *   can silently change what was said. Leaving turns out is visible (a notice) and exact.
 * - Only the prompt is shortened: the stored conversation keeps every message.
 * - If the newest exchange alone does not fit, nothing is generated: the caller gets the numbers for
 *   an error the user can act on (shorten the message, switch functions off, lower max tokens).
 *
 * Counting: with the loaded model's tokenizer when the caller passes one (the engine's `tokenize`, the
 * exact count for raw-completion prompts). For chat-API prompts web-llm applies the model's chat
 * template, so each message adds a few template tokens (`<|im_start|>user\n` …): CHAT_MESSAGE_OVERHEAD
 * covers them. Without a tokenizer (or when it fails) `estimateTokens` over-counts on purpose (UTF-8
 * bytes / 3; English runs at about 4 bytes per token), so a prompt judged to fit does fit.
 *
 * Search: try everything first (the common case: one count); else check the newest exchange alone;
 * else binary search for the fewest exchanges to drop (dropping more never makes a prompt longer),
 * so a long conversation costs O(log n) tokenizer calls.
 */
import type { BuiltPrompt } from '../formats/promptFormat.ts';
import type { GenerateRequest } from '../types/generation.ts';
import type { Turn } from '../types/turn.ts';

/** The context window, and how to count tokens in it. */
export interface ContextBudget {
  /** The model's context window, in tokens (web-llm's `context_window_size`). */
  windowTokens: number;
  /** The loaded model's tokenizer: how many tokens `text` is. Without it, `estimateTokens` is used. */
  countTokens?: (text: string) => Promise<number>;
}

/** Template tokens web-llm's chat templates add around each message (role header, end marker). */
export const CHAT_MESSAGE_OVERHEAD = 8;

/** Kept free for the answer when the request does not say how long the answer may be. */
export const DEFAULT_ANSWER_TOKENS = 512;

const utf8 = new TextEncoder();

/** A deliberate over-estimate of a text's tokens: UTF-8 bytes / 3, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(utf8.encode(text).length / 3);
}

export interface FitInput {
  /** The conversation, ending with the exchange being answered (never shortened by this function). */
  turns: readonly Turn[];
  /** Builds the prompt for some of the turns (the format, with the functions and system prompt). */
  build: (turns: Turn[]) => BuiltPrompt;
  budget: ContextBudget;
  /** Tokens the answer may take; default the request's `maxTokens`, else DEFAULT_ANSWER_TOKENS. */
  answerTokens?: number;
}

export interface FitInfo {
  /** Tokens the prompt may take: the window minus the answer's tokens. */
  promptBudget: number;
  windowTokens: number;
  answerTokens: number;
  /** How the tokens were counted. */
  counted: 'tokenizer' | 'estimate';
}

export type FitResult =
  | (FitInfo & {
      ok: true;
      built: BuiltPrompt;
      /** The prompt's tokens, as counted. */
      promptTokens: number;
      /** Turns left out of the prompt (the oldest). */
      droppedTurns: number;
      /** Conversation messages those turns come from (a user message, an answer): what the notice counts. */
      droppedMessages: number;
    })
  | (FitInfo & {
      ok: false;
      /** Tokens of the smallest prompt possible: system prompt, functions and the newest exchange. */
      promptTokens: number;
    });

/** Start indexes of the exchanges: 0, then every user turn after the first turn. */
function exchangeStarts(turns: readonly Turn[]): number[] {
  const starts = [0];
  turns.forEach((turn, i) => {
    if (i > 0 && turn.role === 'user') starts.push(i);
  });
  return starts;
}

/** Messages the user sees for `turns`: each user turn, and one answer per run of non-user turns. */
function messageCount(turns: readonly Turn[]): number {
  let count = 0;
  turns.forEach((turn, i) => {
    if (turn.role === 'user' || i === 0 || turns[i - 1]?.role === 'user') count++;
  });
  return count;
}

/** The text whose tokens fill the context, and how many chat messages it has (0 for a raw prompt). */
function promptPieces(request: GenerateRequest): { text: string; messages: number } {
  if (request.api === 'completion') return { text: request.prompt, messages: 0 };
  return { text: request.messages.map((m) => m.content).join('\n'), messages: request.messages.length };
}

/**
 * Chooses which turns go into the prompt so it fits the context window.
 * @throws only what `build` throws (a format error); a failing tokenizer falls back to the estimate.
 */
export async function fitContext(input: FitInput): Promise<FitResult> {
  const { turns, build, budget } = input;
  let counted: FitInfo['counted'] = budget.countTokens ? 'tokenizer' : 'estimate';
  const count = async (request: GenerateRequest): Promise<number> => {
    const { text, messages } = promptPieces(request);
    let tokens: number | undefined;
    if (counted === 'tokenizer' && budget.countTokens) {
      try {
        tokens = await budget.countTokens(text);
      } catch {
        // The tokenizer is an optimisation: an engine that cannot tokenize still gets a safe count.
        counted = 'estimate';
      }
    }
    return (tokens ?? estimateTokens(text)) + messages * CHAT_MESSAGE_OVERHEAD;
  };

  const starts = exchangeStarts(turns);
  const newest = starts.at(-1) ?? 0;
  const attempt = async (start: number) => {
    const built = build(turns.slice(start));
    return { built, start, tokens: await count(built.request) };
  };

  let best = await attempt(0);
  const answerTokens = input.answerTokens ?? best.built.request.maxTokens ?? DEFAULT_ANSWER_TOKENS;
  const info = (): FitInfo => ({
    promptBudget: budget.windowTokens - answerTokens,
    windowTokens: budget.windowTokens,
    answerTokens,
    counted,
  });
  const fits = (tokens: number) => tokens <= budget.windowTokens - answerTokens;

  if (!fits(best.tokens)) {
    const smallest = newest === 0 ? best : await attempt(newest);
    if (!fits(smallest.tokens)) return { ok: false, promptTokens: smallest.tokens, ...info() };
    // starts[lo] does not fit, starts[hi] does: find the first exchange that can start the prompt.
    let lo = 0;
    let hi = starts.length - 1;
    best = smallest;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      const tried = await attempt(starts[mid] ?? newest);
      if (fits(tried.tokens)) {
        hi = mid;
        best = tried;
      } else {
        lo = mid;
      }
    }
  }
  const dropped = turns.slice(0, best.start);
  return {
    ok: true,
    built: best.built,
    promptTokens: best.tokens,
    droppedTurns: dropped.length,
    droppedMessages: messageCount(dropped),
    ...info(),
  };
}

/** The error for a prompt whose newest exchange alone is too long, in words the user can act on. */
export function contextOverflowMessage(
  fit: FitInfo & { promptTokens: number },
  functionCount: number,
  withResults: boolean,
): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const what = withResults ? 'Your message and the function results of this answer do' : 'Your message does';
  const functions = functionCount === 1 ? '1 function' : `${n(functionCount)} functions`;
  const about = fit.counted === 'estimate' ? 'about ' : '';
  return (
    `${what} not fit in the model's context: with the system prompt and ${functions}, the prompt needs ${about}` +
    `${n(fit.promptTokens)} tokens, but the model's ${n(fit.windowTokens)}-token context keeps ${n(fit.answerTokens)} for the answer, ` +
    `leaving ${n(Math.max(0, fit.promptBudget))}. Nothing was generated. Shorten the message, switch off functions you do not need, ` +
    'or lower the maximum answer length in Settings.'
  );
}
