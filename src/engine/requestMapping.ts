/**
 * Our camelCase GenerateRequest → web-llm's OpenAI-style snake_case parameters, and web-llm's
 * streamed chunks / usage → our GenerationStats and FinishReason. Pure (type-only web-llm imports,
 * erased at build), so it is unit-tested in Node and keeps worker.ts thin.
 */
import type {
  ChatCompletionChunk,
  ChatCompletionRequestStreaming,
  Completion,
  CompletionCreateParamsStreaming,
  CompletionUsage,
  ResponseFormat as WebLlmResponseFormat,
} from '@mlc-ai/web-llm';
import type {
  ChatMessage,
  FinishReason,
  GenerateRequest,
  GenerationStats,
  ResponseFormat,
} from '../lib/types/generation.ts';

type CompletionRequest = Extract<GenerateRequest, { api: 'completion' }>;
type ChatRequest = Extract<GenerateRequest, { api: 'chat' }>;

/** Sampling options shared by both APIs; undefined ones are left out so the model's defaults apply. */
function samplingParams(req: GenerateRequest): { stop?: string[]; max_tokens?: number; temperature?: number } {
  const out: { stop?: string[]; max_tokens?: number; temperature?: number } = {};
  if (req.stop && req.stop.length > 0) out.stop = req.stop;
  if (req.maxTokens !== undefined) out.max_tokens = req.maxTokens;
  if (req.temperature !== undefined) out.temperature = req.temperature;
  return out;
}

export function toCompletionParams(req: CompletionRequest): CompletionCreateParamsStreaming {
  return {
    prompt: req.prompt,
    stream: true,
    stream_options: { include_usage: true },
    ...samplingParams(req),
  };
}

export function toResponseFormat(format: ResponseFormat): WebLlmResponseFormat {
  switch (format.type) {
    case 'json_object':
      return format.schema === undefined ? { type: 'json_object' } : { type: 'json_object', schema: format.schema };
    case 'grammar':
      return { type: 'grammar', grammar: format.grammar };
    case 'structural_tag': {
      // Our type leaves the tag definition opaque (`unknown`): it is xgrammar's StructuralTagLike, or
      // its JSON text. xgrammar validates it when the grammar matcher is built and throws a typed error.
      const tag = format.structuralTag as WebLlmResponseFormat['structural_tag'];
      return { type: 'structural_tag', structural_tag: tag };
    }
  }
}

/**
 * A raw prompt with a grammar, for a model loaded with the pass-through template
 * (passThroughTemplate.ts): messages whose texts join to exactly `prompt` (one user message, or the
 * previous request's history plus the new text, promptReuse.ts), plus the grammar — web-llm's
 * completion API has no response_format, its chat API does.
 */
export function toRawChatParams(
  req: CompletionRequest,
  responseFormat: ResponseFormat,
  messages: readonly ChatMessage[] = [{ role: 'user', content: req.prompt }],
): ChatCompletionRequestStreaming {
  return {
    messages: messages.map((m) => ({ role: m.role, content: m.content })),
    stream: true,
    stream_options: { include_usage: true },
    ...samplingParams(req),
    response_format: toResponseFormat(responseFormat),
  };
}

export function toChatParams(req: ChatRequest): ChatCompletionRequestStreaming {
  const params: ChatCompletionRequestStreaming = {
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
    stream: true,
    stream_options: { include_usage: true },
    ...samplingParams(req),
  };
  if (req.responseFormat) params.response_format = toResponseFormat(req.responseFormat);
  return params;
}

/** web-llm says 'tool_calls' only when its own `tools` path is used (never by us): that is a stop too. */
export function toFinishReason(reason: string | null | undefined): FinishReason | undefined {
  if (reason === 'length') return 'length';
  if (reason === 'abort') return 'abort';
  if (reason === 'stop' || reason === 'tool_calls') return 'stop';
  return undefined;
}

export function usageToStats(usage: CompletionUsage | undefined): GenerationStats | undefined {
  if (!usage) return undefined;
  const x = usage.extra;
  const stats: GenerationStats = {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    timeToFirstTokenS: x.time_to_first_token_s,
    prefillTokensPerS: x.prefill_tokens_per_s,
    decodeTokensPerS: x.decode_tokens_per_s,
    e2eLatencyS: x.e2e_latency_s,
    grammarInitS: x.grammar_init_s,
    grammarPerTokenS: x.grammar_per_token_s,
  };
  // Drop absent and non-finite values (grammar_per_token_s is 0/0 = NaN when nothing was generated).
  return Object.fromEntries(Object.entries(stats).filter(([, v]) => v !== undefined && Number.isFinite(v)));
}

export interface ChunkParts {
  delta: string;
  finishReason?: FinishReason;
  usage?: CompletionUsage;
}

/** Reads the new text, finish reason and usage from one streamed chunk of either API. */
export function readChunk(chunk: Completion | ChatCompletionChunk): ChunkParts {
  const choice = chunk.choices[0];
  let delta = '';
  let reason: string | null | undefined;
  if (choice) {
    delta = 'text' in choice ? choice.text : (choice.delta.content ?? '');
    reason = choice.finish_reason;
  }
  const parts: ChunkParts = { delta };
  const finishReason = toFinishReason(reason);
  if (finishReason) parts.finishReason = finishReason;
  if (chunk.usage) parts.usage = chunk.usage;
  return parts;
}
