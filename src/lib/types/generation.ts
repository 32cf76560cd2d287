/**
 * The seam between the framework-free agent loop and whatever generates text (the web-llm worker in
 * the app, a scripted double in tests). Field names are ours (camelCase); the engine maps them to
 * web-llm's OpenAI-style snake_case at its edge.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Grammar constraints web-llm's chat API understands (see ../shared/WEBLLM-NOTES.md). */
export type ResponseFormat =
  | { type: 'json_object'; schema?: string }
  | { type: 'grammar'; grammar: string }
  | { type: 'structural_tag'; structuralTag: unknown };

interface GenerateOptions {
  /** Strings that end generation (not included in the output). */
  stop?: string[];
  maxTokens?: number;
  temperature?: number;
}

export type GenerateRequest =
  /**
   * A raw prompt, sent as-is (Trelis, Mistral v0.3…). Without `responseFormat` it goes through
   * web-llm's completion API. With one it needs a model loaded for raw prompts (ModelSource
   * `promptRendering: 'raw'`): the engine then sends the prompt through the chat API as one user
   * message rendered by a pass-through template, the only way web-llm applies a grammar; on any other
   * model the engine fails (PromptRenderingMismatchError) rather than drop the constraint.
   */
  | ({ api: 'completion'; prompt: string; responseFormat?: ResponseFormat } & GenerateOptions)
  /** Messages rendered by the model's own chat template. */
  | ({ api: 'chat'; messages: ChatMessage[]; responseFormat?: ResponseFormat } & GenerateOptions);

export interface GenerationStats {
  /** Prompt tokens the engine READ (prefilled) for this generation: the whole prompt, or only its new part. */
  promptTokens?: number;
  /**
   * Prompt tokens the engine did not read again because its KV cache still held them from the previous
   * generation (the prompt extended that one, issue 12 §6). 0 when it read the whole prompt.
   */
  promptTokensReused?: number;
  completionTokens?: number;
  timeToFirstTokenS?: number;
  prefillTokensPerS?: number;
  decodeTokensPerS?: number;
  e2eLatencyS?: number;
  grammarInitS?: number;
  grammarPerTokenS?: number;
}

export type FinishReason = 'stop' | 'length' | 'abort';

export interface GenerateResult {
  /** The whole generated text (also what was streamed). */
  text: string;
  finishReason: FinishReason;
  stats?: GenerationStats;
}

export interface TextGenerator {
  /**
   * Streams a completion. `onDelta` gets each new piece and the text so far.
   * Resolves with finishReason 'abort' after `interrupt()`; the partial text is kept.
   * @throws an engine error (typed, see src/engine/errors.ts) when generation fails.
   */
  generate(request: GenerateRequest, onDelta?: (delta: string, text: string) => void): Promise<GenerateResult>;
  /** Ends the current generation as soon as possible. */
  interrupt(): void;
  /**
   * Whether a stopped generation is still being finished by the engine: interrupt() settles the
   * caller's promise at once, but web-llm cannot interrupt a prompt while it reads it, and the next
   * request waits for that (minutes on a slow GPU). Always false for a generator that never lags
   * behind a stop (a server, a test double).
   */
  finishingStopped(): boolean;
}
