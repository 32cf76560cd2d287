/**
 * The contract every prompt format implements: turn a conversation plus the enabled functions into one
 * generation request for the engine, and say whether (and how) that generation is grammar-constrained.
 *
 * Two kinds of format exist (each module documents its choice at the top):
 * - raw completion (`api: 'completion'`): we render the exact template text, special tokens included.
 *   web-llm's completion API has no `response_format`, so these generations cannot be constrained.
 * - chat (`api: 'chat'`): web-llm renders the model's own conversation template; only this API accepts
 *   grammar constraints (`responseFormat`).
 */
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { Turn } from '../types/turn.ts';
import type { ToolChoice } from '../types/agent.ts';
import type { GenerateRequest } from '../types/generation.ts';
import type { ToolCall } from '../types/toolCall.ts';
import type { FormatSyntax } from './formatSyntax.ts';

export type FormatId =
  | 'trelis-v2'
  | 'trelis-v3'
  | 'hermes'
  | 'llama3-json'
  | 'llama3.2-pythonic'
  | 'mistral-v3'
  | 'mistral-v13'
  | 'phi4-mini'
  | 'smollm2'
  | 'generic';

export const FORMAT_IDS: readonly FormatId[] = [
  'trelis-v2',
  'trelis-v3',
  'hermes',
  'llama3-json',
  'llama3.2-pythonic',
  'mistral-v3',
  'mistral-v13',
  'phi4-mini',
  'smollm2',
  'generic',
];

export interface PromptContext {
  /** The enabled functions, in order. */
  functions: FunctionSpec[];
  /** The user's own system prompt: always kept together with the function instructions. */
  system?: string;
  /** The whole conversation; the last turn is a user message or a tool result to answer. */
  turns: Turn[];
  /** Default 'auto'. */
  toolChoice?: ToolChoice;
  /** The engine can constrain chat-API generations with web-llm grammars (response_format). Default true. */
  canConstrain?: boolean;
  /**
   * Let the model reason first, where its format can switch that (FormatSyntax.thinking); undefined
   * uses the format's default. Ignored by formats whose models do not reason or always do.
   */
  thinking?: boolean;
}

export interface BuiltPrompt {
  request: GenerateRequest;
  /** Whether a grammar constrains this generation. */
  constrained: boolean;
  /** Shown in the inspector: what is constrained, or why it cannot be. */
  constraintNote: string;
  /**
   * Text the prompt already wrote at the start of the answer (Qwen3.5's template opens `<think>\n`, or
   * closes an empty think block when thinking is off). The model's output continues it, so the parser
   * and the preview read `answerPrefix + output`, and the answer is stored that way in the history.
   */
  answerPrefix?: string;
}

export interface PromptFormat {
  id: FormatId;
  label: string;
  description: string;
  /** URL of the documented template this follows (model card / docs). */
  source: string;
  /** How its model writes calls and reasoning, its stop strings and BOS: read by the parser, preview and grammar. */
  syntax: FormatSyntax;
  /**
   * @throws {PromptBuildError} when the conversation has no turn to answer.
   * @throws {ToolChoiceError} when toolChoice names a function that is not enabled.
   */
  build(ctx: PromptContext): BuiltPrompt;
  /** Which web-llm API the requests use; only 'chat' can be grammar-constrained. Set by every built-in format. */
  api?: 'completion' | 'chat';
  /** Calls written the way this format asks the model to write them. Set by every built-in format. */
  renderCalls?(calls: ToolCall[]): string;
}

/** The formats in this folder: the optional members of PromptFormat are always there. */
export interface BuiltInPromptFormat extends PromptFormat {
  api: 'completion' | 'chat';
  renderCalls(calls: ToolCall[]): string;
}

export function isFormatId(s: string): s is FormatId {
  return (FORMAT_IDS as readonly string[]).includes(s);
}
