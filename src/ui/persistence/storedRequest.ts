/**
 * How a step's request is stored: the first request of a conversation whole, each later one only as
 * what its prompt adds to the request before it (the previous step of the same answer, or the last
 * step of the answer before).
 *
 * Why: the inspector shows every step's exact request (Messages sent / Prompt sent, options, grammar),
 * so it must be rebuilt exactly; but each prompt is the one before it plus what was said since (the
 * model's call and its result, the next question), so storing each whole kept the conversation so
 * far, function instructions included, once per step. Deltas chain across the whole record; that is
 * safe because a record is only ever encoded and decoded whole (storedConversation.ts, inside the
 * write's transaction): merging tabs, deleting a message or failing an answer works on the decoded
 * messages, and the next write encodes the chain anew.
 *
 * The prompt is compared as text (raw completion) or as a list of messages (chat): `keep` is how much
 * of the previous prompt this one starts with (characters or messages), `append` what follows. A
 * prompt that was fitted differently (earlier messages left out) simply keeps less.
 */
import type { ChatMessage, GenerateRequest } from '../../lib/types/generation.ts';

type CompletionRequest = Extract<GenerateRequest, { api: 'completion' }>;
type ChatRequest = Extract<GenerateRequest, { api: 'chat' }>;

/** A request's fields besides the API and its prompt: stop strings, limits, the grammar. */
export type RequestOptions = Omit<CompletionRequest, 'api' | 'prompt'> | Omit<ChatRequest, 'api' | 'messages'>;

export interface RequestDelta {
  /** Characters (raw prompt) or messages (chat) of the previous step's prompt this one starts with. */
  keep: number;
  /** What follows them: text for a raw prompt, messages for chat. */
  append: string | ChatMessage[];
  /**
   * The options, when they differ from the previous step's (a grammar can be long, and is usually the
   * same for every step); absent: the previous step's.
   */
  options?: RequestOptions;
}

export type StoredRequest = { whole: GenerateRequest } | { delta: RequestDelta };

/** The stored request is not one this app can rebuild (a damaged record). */
export class StoredRequestError extends Error {
  override readonly name = 'StoredRequestError';
}

/** @param previous the request of the step before, in the same answer (undefined: the first step) */
export function storeRequest(request: GenerateRequest, previous: GenerateRequest | undefined): StoredRequest {
  if (!previous || previous.api !== request.api) return { whole: request };
  const options = optionsOf(request);
  const sameOptions = JSON.stringify(options) === JSON.stringify(optionsOf(previous));
  const delta =
    request.api === 'completion' && previous.api === 'completion'
      ? textDelta(previous.prompt, request.prompt)
      : request.api === 'chat' && previous.api === 'chat'
        ? messagesDelta(previous.messages, request.messages)
        : undefined;
  if (!delta) return { whole: request };
  return { delta: { ...delta, ...(sameOptions ? {} : { options }) } };
}

/**
 * @param previous the rebuilt request of the step before, in the same answer
 * @throws StoredRequestError when `stored` does not fit `previous`
 */
export function rebuildRequest(stored: StoredRequest, previous: GenerateRequest | undefined): GenerateRequest {
  if ('whole' in stored) return stored.whole;
  const { keep, append, options } = stored.delta;
  if (!previous) throw new StoredRequestError('A step refers to a previous step that is not there.');
  const rest = options ?? optionsOf(previous);
  if (previous.api === 'completion' && typeof append === 'string' && keep <= previous.prompt.length) {
    return { api: 'completion', prompt: previous.prompt.slice(0, keep) + append, ...rest };
  }
  if (previous.api === 'chat' && Array.isArray(append) && keep <= previous.messages.length) {
    return { api: 'chat', messages: [...previous.messages.slice(0, keep), ...append], ...rest };
  }
  throw new StoredRequestError('A step does not fit the step before it.');
}

function optionsOf(request: GenerateRequest): RequestOptions {
  if (request.api === 'completion') {
    const { api: _api, prompt: _prompt, ...options } = request;
    return options;
  }
  const { api: _api, messages: _messages, ...options } = request;
  return options;
}

function textDelta(previous: string, next: string): { keep: number; append: string } {
  const max = Math.min(previous.length, next.length);
  let keep = 0;
  while (keep < max && previous.charCodeAt(keep) === next.charCodeAt(keep)) keep++;
  return { keep, append: next.slice(keep) };
}

function messagesDelta(previous: ChatMessage[], next: ChatMessage[]): { keep: number; append: ChatMessage[] } {
  const max = Math.min(previous.length, next.length);
  let keep = 0;
  while (keep < max && sameMessage(previous[keep], next[keep])) keep++;
  return { keep, append: next.slice(keep) };
}

const sameMessage = (a: ChatMessage | undefined, b: ChatMessage | undefined): boolean =>
  a !== undefined && b !== undefined && a.role === b.role && a.content === b.content;
