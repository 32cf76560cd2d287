import type { GenerateRequest, GenerateResult } from './generation.ts';
import type { ParseResult, ToolCall } from './toolCall.ts';
import type { DispatchResult } from './dispatch.ts';
import type { Turn } from './turn.ts';

/** How much freedom the model has to call functions in one reply (OpenAI's tool_choice). */
export type ToolChoice = 'auto' | 'required' | 'none' | { function: string };

/** How one prompt was fitted into the model's context window (lib/agent/fitContext.ts). */
export interface PromptFitInfo {
  windowTokens: number;
  promptTokens: number;
  /** Earlier conversation messages left out of this prompt (still in the conversation). */
  droppedMessages: number;
  counted: 'tokenizer' | 'estimate';
}

/** What the agent loop reports while it works, in order. `step` counts generations within one user message. */
export type AgentEvent =
  | {
      type: 'generation_start';
      step: number;
      formatId: string;
      request: GenerateRequest;
      /** Whether the runtime grammar engine constrains this generation, and why not when it does not. */
      constrained: boolean;
      constraintNote?: string;
      /** How the prompt was fitted into the context window, when the loop was given one. */
      context?: PromptFitInfo;
      /** Text the prompt wrote at the start of the answer (BuiltPrompt.answerPrefix); the output continues it. */
      answerPrefix?: string;
    }
  | { type: 'delta'; step: number; delta: string; text: string }
  | { type: 'generation_end'; step: number; result: GenerateResult }
  | { type: 'parsed'; step: number; parsed: ParseResult }
  | { type: 'call_start'; step: number; callId: string; call: ToolCall }
  | { type: 'call_end'; step: number; callId: string; call: ToolCall; result: DispatchResult }
  /** A call lacked required arguments: the assistant asks the user instead of calling. */
  | { type: 'ask_user'; step: number; name: string; missing: string[]; message: string }
  | { type: 'done'; reason: AgentStopReason; turns: Turn[]; error?: { name: string; message: string } };

export type AgentStopReason = 'answered' | 'ask_user' | 'max_calls' | 'aborted' | 'error';
