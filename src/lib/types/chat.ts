/**
 * The chat's message model, shared by the app and the widget (lib/chat/): a user message, and an
 * assistant message that is one user request's whole answer — each generation of the agent loop a
 * `StepRecord` (prompt, streamed text, parsed calls, dispatched results, stats) and `turns`, the
 * conversation turns the loop produced, fed back as history on the next request.
 * The same plain objects are what the app stores in IndexedDB.
 */
import type { AgentEvent, AgentStopReason } from './agent.ts';
import type { DispatchResult } from './dispatch.ts';
import type { GenerateResult } from './generation.ts';
import type { ParseResult, ToolCall } from './toolCall.ts';
import type { Turn } from './turn.ts';
import type { CallPreview } from '../parse/previewTypes.ts';

/** When the reasoning started and ended streaming (ms since the epoch), for "Thought for 3 s". */
export interface ThinkingTiming {
  startedAt: number;
  endedAt?: number;
}

/** What a "Thinking" section shows: the text so far, whether it still grows, and for how long it ran. */
export interface ReasoningView {
  text: string;
  streaming: boolean;
  durationMs?: number;
}

export interface CallRecord {
  callId: string;
  call: ToolCall;
  status: 'running' | 'done';
  result?: DispatchResult;
}

export interface AskUser {
  name: string;
  missing: string[];
  message: string;
}

/**
 * One generation of the agent loop and what came of it: what its `generation_start` event said (the
 * exact request, constrained or not, how the prompt was fitted, the answer prefix), then its output.
 */
export interface StepRecord extends Omit<Extract<AgentEvent, { type: 'generation_start' }>, 'type'> {
  /** The raw output so far (the whole output once `result` is set). */
  text: string;
  /** When the model's reasoning started and ended streaming (ms since the epoch), for "Thought for 3 s". */
  thinking?: ThinkingTiming;
  result?: GenerateResult;
  /** The calls seen in the output so far, until it is parsed (kept if it never is: a stopped answer). */
  preview?: CallPreview;
  parsed?: ParseResult;
  calls: CallRecord[];
  askUser?: AskUser;
}

export type AssistantStatus = 'streaming' | 'done' | 'stopped' | 'error';

export interface ErrorInfo {
  name: string;
  message: string;
}

export interface UserMessage {
  id: string;
  role: 'user';
  content: string;
  createdAt: number;
}

export interface AssistantMessage {
  id: string;
  role: 'assistant';
  createdAt: number;
  status: AssistantStatus;
  steps: StepRecord[];
  stopReason?: AgentStopReason;
  error?: ErrorInfo;
  /** The turns this answer added to the conversation (the loop's `turns`), used as history later. */
  turns: Turn[];
  modelId?: string;
  formatId?: string;
  /** Whether the model was asked to reason first (only for formats that can switch it). */
  thinking?: boolean;
  /**
   * The answer's other versions (Regenerate keeps each earlier answer), in the order they were made,
   * without the one shown: the fields above are the shown version, the only one the next prompt reads.
   */
  versions: AnswerVersion[];
  /** Where the shown version sits among all of them (0-based): the switcher shows `version + 1 / versions.length + 1`. */
  version: number;
}

/** The fields of one generated answer: what an assistant message shows, and each version it keeps. */
export type AnswerVersion = Pick<
  AssistantMessage,
  'status' | 'steps' | 'stopReason' | 'error' | 'turns' | 'modelId' | 'formatId' | 'thinking'
>;

export type Message = UserMessage | AssistantMessage;
