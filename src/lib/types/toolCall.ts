/** A call the model asked for, after repair and validation. */
export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** `not_allowed`: a valid call written when none was allowed (tool_choice none, the call limit reached): shown, not run. */
export type ParseErrorKind = 'malformed' | 'unknown_function' | 'invalid_arguments' | 'not_allowed';

/** Why a piece of model output that looked like a call could not be used. Data, not an exception. */
export interface ParseError {
  kind: ParseErrorKind;
  /** Short, plain text a user (or the model) can act on. */
  message: string;
  /** The slice of output the error is about. */
  raw: string;
  /** The function named by the call, when one could be read. */
  name?: string;
  /** Required arguments the call left out (kind 'invalid_arguments'). */
  missing?: string[];
  /** The token limit ended the answer inside this call, so it was not run (lib/agent/parseAnswer.ts). */
  cut?: true;
}

export interface ParseResult {
  /** Valid calls, in order of appearance. */
  calls: ToolCall[];
  errors: ParseError[];
  /** The prose outside the calls and the reasoning, trimmed. */
  text: string;
  /** The model's reasoning (`<think>…`, `[THINK]…`, Gemma 4's thought channel), trimmed; never read for calls. */
  reasoning?: string;
}
