/**
 * The chat's message model, and how the agent loop's events fill it in.
 *
 * Plain TypeScript (no runes, no DOM) so it runs in Node tests: chat.svelte.ts keeps the messages in
 * a `$state` proxy and calls `applyAgentEvent` on it, so each mutation here is one fine-grained UI
 * update (streaming text, a call card filling in). The same objects are what IndexedDB stores.
 *
 * An assistant message is one user request's whole answer: each generation of the agent loop is a
 * `StepRecord` (prompt, streamed text, parsed calls, dispatched results, stats), and `turns` are the
 * conversation turns the loop produced, fed back as history on the next request.
 *
 * While a generation streams, each delta also gets a live call preview (lib/parse/previewCalls.ts):
 * the prose without call text, and draft call cards filling in. The parse at the end replaces it, card
 * for card in the same places (`stepParts` lists drafts where the final calls will be).
 */
import type { AgentEvent, AgentStopReason, PromptFitInfo } from '../../lib/types/agent.ts';
import type { DispatchResult } from '../../lib/types/dispatch.ts';
import type { FunctionSpec } from '../../lib/types/functionSpec.ts';
import type { GenerateRequest, GenerateResult } from '../../lib/types/generation.ts';
import type { ParseError, ParseResult, ToolCall } from '../../lib/types/toolCall.ts';
import type { Turn } from '../../lib/types/turn.ts';
import { previewStreamingCalls, type CallPreview, type PreviewCall } from '../../lib/parse/previewCalls.ts';
import { CallPreviewer } from '../../lib/parse/callPreviewer.ts';
import { endThinking, reasoningView, timeThinking, type ReasoningView, type ThinkingTiming } from './reasoning.ts';

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

/** One generation of the agent loop and what came of it. */
export interface StepRecord {
  step: number;
  formatId: string;
  /** The exact request sent to the engine (raw prompt or messages). */
  request: GenerateRequest;
  constrained: boolean;
  constraintNote?: string;
  /** How the prompt was fitted into the context window (earlier messages left out, tokens counted). */
  context?: PromptFitInfo;
  /** Text the prompt wrote at the start of the answer (an opening `<think>`); the output continues it. */
  answerPrefix?: string;
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
}

export type Message = UserMessage | AssistantMessage;

export function newUserMessage(content: string, now = Date.now()): UserMessage {
  return { id: crypto.randomUUID(), role: 'user', content, createdAt: now };
}

export function newAssistantMessage(meta: { modelId?: string; formatId?: string; thinking?: boolean }, now = Date.now()): AssistantMessage {
  return { id: crypto.randomUUID(), role: 'assistant', createdAt: now, status: 'streaming', steps: [], turns: [], ...meta };
}

/**
 * Each streaming step's incremental previewer (it reads only what each delta adds), kept out of the
 * stored record so the record stays plain data. Keyed by the step object: a step that is dropped
 * takes its previewer with it.
 */
const previewers = new WeakMap<StepRecord, { previewer: CallPreviewer; functions: FunctionSpec[] }>();

function previewerOf(step: StepRecord, functions: FunctionSpec[]): CallPreviewer {
  const known = previewers.get(step);
  if (known && known.functions === functions) return known.previewer;
  const previewer = new CallPreviewer(functions, step.answerPrefix);
  previewers.set(step, { previewer, functions });
  return previewer;
}

function stepOf(msg: AssistantMessage, step: number): StepRecord | undefined {
  // Steps arrive in order, so the one an event is about is almost always the last.
  for (let i = msg.steps.length - 1; i >= 0; i--) {
    const s = msg.steps[i];
    if (s && s.step === step) return s;
  }
  return undefined;
}

/**
 * Applies one agent event to the message, in place. Events for an unknown step are ignored.
 * @param functions the functions offered to the model, for the live call preview of each delta
 */
export function applyAgentEvent(msg: AssistantMessage, ev: AgentEvent, functions: FunctionSpec[] = [], now = Date.now()): void {
  if (ev.type === 'generation_start') {
    msg.steps.push({
      step: ev.step,
      formatId: ev.formatId,
      request: ev.request,
      constrained: ev.constrained,
      ...(ev.constraintNote !== undefined ? { constraintNote: ev.constraintNote } : {}),
      ...(ev.context ? { context: ev.context } : {}),
      ...(ev.answerPrefix ? { answerPrefix: ev.answerPrefix } : {}),
      text: '',
      calls: [],
    });
    msg.formatId ??= ev.formatId;
    return;
  }
  if (ev.type === 'done') {
    finishAssistant(msg, { reason: ev.reason, turns: ev.turns, ...(ev.error ? { error: ev.error } : {}) });
    return;
  }
  const step = stepOf(msg, ev.step);
  if (!step) return;
  switch (ev.type) {
    case 'delta':
      step.text = ev.text;
      step.preview = previewerOf(step, functions).update(ev.text);
      setThinking(step, timeThinking(step.thinking, step.preview, now));
      break;
    case 'generation_end':
      step.result = ev.result;
      step.text = ev.result.text;
      if (step.preview) step.preview = previewStreamingCalls(ev.result.text, functions, step.answerPrefix);
      previewers.delete(step);
      endThinking(step.thinking, now);
      break;
    case 'parsed':
      step.parsed = ev.parsed;
      delete step.preview;
      break;
    case 'call_start':
      step.calls.push({ callId: ev.callId, call: ev.call, status: 'running' });
      break;
    case 'call_end': {
      const record = step.calls.find((c) => c.callId === ev.callId);
      if (record) {
        record.status = 'done';
        record.result = ev.result;
      } else {
        step.calls.push({ callId: ev.callId, call: ev.call, status: 'done', result: ev.result });
      }
      break;
    }
    case 'ask_user':
      step.askUser = { name: ev.name, missing: ev.missing, message: ev.message };
      break;
  }
}

/** Sets the timing once (later updates mutate it in place, through the `$state` proxy). */
function setThinking(step: StepRecord, timing: ThinkingTiming | undefined): void {
  if (timing && !step.thinking) step.thinking = timing;
}

/** Records how the loop ended. Safe to call twice (the `done` event and the promise both report it). */
export function finishAssistant(
  msg: AssistantMessage,
  outcome: { reason: AgentStopReason; turns: Turn[]; error?: ErrorInfo },
): void {
  msg.stopReason = outcome.reason;
  if (outcome.turns.length > 0 || msg.turns.length === 0) msg.turns = outcome.turns;
  if (outcome.error) msg.error = { name: outcome.error.name, message: outcome.error.message };
  msg.status = outcome.reason === 'aborted' ? 'stopped' : outcome.reason === 'error' ? 'error' : 'done';
  for (const step of msg.steps) for (const call of step.calls) if (call.status === 'running') call.status = 'done';
}

/** The loop itself threw (a bug or an engine failure outside a generation): keep what streamed. */
export function failAssistant(msg: AssistantMessage, error: unknown): void {
  const info: ErrorInfo =
    error instanceof Error
      ? { name: error.name, message: error.message }
      : { name: 'Error', message: String(error) };
  finishAssistant(msg, { reason: 'error', turns: msg.turns, error: info });
}

/**
 * Messages read back from storage: an answer that was still streaming when the page closed (reload,
 * lost GPU, crash) is marked stopped, so the UI does not show it as running forever.
 */
export function reviveMessages(messages: Message[]): Message[] {
  for (const m of messages) {
    if (m.role === 'assistant' && m.status === 'streaming') {
      m.status = 'stopped';
      m.stopReason = 'aborted';
      for (const step of m.steps) for (const call of step.calls) if (call.status === 'running') call.status = 'done';
    }
  }
  return messages;
}

/** The assistant's visible answer when it stopped mid-generation: what had streamed so far. */
function partialAnswer(msg: AssistantMessage): string {
  const last = msg.steps.at(-1);
  return (last?.parsed?.text ?? last?.preview?.prose ?? last?.text ?? '').trim();
}

/**
 * The conversation as turns for the next request. An answer the loop reported turns for contributes
 * them; a stopped answer without turns contributes what had streamed; a user message whose answer
 * failed with nothing to show is left out with it, so the model never sees two user turns in a row
 * from a failure it did not cause.
 */
export function historyTurns(messages: readonly Message[]): Turn[] {
  const turns: Turn[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!m) continue;
    if (m.role === 'user') {
      const next = messages[i + 1];
      if (next?.role === 'assistant' && next.turns.length === 0 && partialAnswer(next) === '') {
        i++; // skip the failed pair
        continue;
      }
      turns.push({ role: 'user', content: m.content });
    } else if (m.turns.length > 0) {
      turns.push(...m.turns);
    } else {
      const text = partialAnswer(m);
      if (text !== '') turns.push({ role: 'assistant', content: text });
    }
  }
  return turns;
}

/** What one step shows, in reading order. */
export type StepPart =
  /** The model's reasoning, shown collapsed as "Thinking"; `durationMs` once it has ended. */
  | ({ kind: 'reasoning' } & ReasoningView)
  | { kind: 'text'; text: string; streaming: boolean }
  | { kind: 'call'; call: ToolCall; record?: CallRecord }
  /** A call still being written (`streaming`), or left unfinished when the answer stopped. */
  | { kind: 'draft'; call: PreviewCall; streaming: boolean }
  | { kind: 'error'; error: ParseError }
  | { kind: 'ask'; ask: AskUser };

/**
 * Splits one step into prose, call cards (with their results), error cards and the question to the
 * user. Until the output is parsed it is shown as streaming prose and draft call cards.
 * @param live the answer is still being produced (a failed one never gets its `result`)
 */
export function stepParts(step: StepRecord, live = true): StepPart[] {
  if (!step.parsed) {
    const streaming = live && !step.result;
    if (!step.preview) return step.text === '' && step.result ? [] : [{ kind: 'text', text: step.text, streaming }];
    const { prose, calls } = step.preview;
    const parts: StepPart[] = reasoningParts(step, step.preview.reasoning, streaming && step.preview.thinking === true);
    // The caret follows the prose only while no card is being written below it.
    const writingCall = calls.some((c) => !c.complete);
    if (prose !== '' || (calls.length === 0 && streaming)) parts.push({ kind: 'text', text: prose, streaming: streaming && !writingCall });
    for (const call of calls) parts.push({ kind: 'draft', call, streaming });
    return parts;
  }
  const parts: StepPart[] = reasoningParts(step, step.parsed.reasoning, false);
  if (step.parsed.text !== '') parts.push({ kind: 'text', text: step.parsed.text, streaming: false });
  step.parsed.calls.forEach((call, i) => {
    const record = step.calls[i];
    parts.push(record ? { kind: 'call', call: record.call, record } : { kind: 'call', call });
  });
  // Calls the loop started that parsing did not list (should not happen) are still shown.
  for (const record of step.calls.slice(step.parsed.calls.length)) parts.push({ kind: 'call', call: record.call, record });
  for (const error of step.parsed.errors) {
    // The missing-argument error the loop turned into a question is shown as that question only.
    if (step.askUser && error.kind === 'invalid_arguments' && error.name === step.askUser.name && error.missing?.length) continue;
    parts.push({ kind: 'error', error });
  }
  if (step.askUser) parts.push({ kind: 'ask', ask: step.askUser });
  return parts;
}

function reasoningParts(step: StepRecord, reasoning: string | undefined, streaming: boolean): StepPart[] {
  const view = reasoningView(reasoning, streaming, step.thinking);
  return view ? [{ kind: 'reasoning', ...view }] : [];
}

/** A title for a conversation from its first user message. */
export function titleFrom(text: string, max = 48): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/**
 * How many earlier messages the answer's prompts left out to fit the context window (the most any of
 * its generations left out), with the window size, or null when every prompt held the whole conversation.
 */
export function omittedFromPrompt(msg: AssistantMessage): { messages: number; windowTokens: number } | null {
  let most: { messages: number; windowTokens: number } | null = null;
  for (const step of msg.steps) {
    const fit = step.context;
    if (fit && fit.droppedMessages > 0 && fit.droppedMessages > (most?.messages ?? 0)) {
      most = { messages: fit.droppedMessages, windowTokens: fit.windowTokens };
    }
  }
  return most;
}

/** The token limit ended the answer's last generation (a prose answer that may be unfinished). */
export function hitTokenLimit(msg: AssistantMessage): { maxTokens?: number; callCut: boolean } | null {
  const last = msg.steps.at(-1);
  if (last?.result?.finishReason !== 'length') return null;
  const callCut = last.parsed?.errors.some((e) => e.cut === true) ?? false;
  return { ...(last.request.maxTokens !== undefined ? { maxTokens: last.request.maxTokens } : {}), callCut };
}
