/**
 * What an assistant message shows, in reading order, for the app's and the widget's views alike:
 * prose, reasoning, call cards (drafts while they stream, or left unfinished by Stop), error cards,
 * the question to the user, and the notes on how the answer ended.
 */
import type { ParseError, ToolCall } from '../types/toolCall.ts';
import type { AskUser, AssistantMessage, CallRecord, ReasoningView, StepRecord } from '../types/chat.ts';
import type { PreviewCall } from '../parse/previewTypes.ts';
import { reasoningView } from './reasoning.ts';

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
    if (prose !== '' || (calls.length === 0 && streaming))
      parts.push({ kind: 'text', text: prose, streaming: streaming && !writingCall });
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
  for (const record of step.calls.slice(step.parsed.calls.length))
    parts.push({ kind: 'call', call: record.call, record });
  for (const error of step.parsed.errors) {
    // The missing-argument error the loop turned into a question is shown as that question only.
    if (step.askUser && error.kind === 'invalid_arguments' && error.name === step.askUser.name && error.missing?.length)
      continue;
    parts.push({ kind: 'error', error });
  }
  if (step.askUser) parts.push({ kind: 'ask', ask: step.askUser });
  return parts;
}

function reasoningParts(step: StepRecord, reasoning: string | undefined, streaming: boolean): StepPart[] {
  const view = reasoningView(reasoning, streaming, step.thinking);
  return view ? [{ kind: 'reasoning', ...view }] : [];
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

/** A line under an answer saying how it ended or what its prompt left out; `kind` names it for tests and styles. */
export interface AnswerNote {
  kind: 'context' | 'stopped' | 'max_calls' | 'length' | 'error';
  text: string;
  /** Shown before the answer's steps (the prompt's shortening) rather than after them. */
  before?: boolean;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The notes an answer gets, worded once for the app and the widget: earlier messages left out of its
 * prompt, Stop, the chained-call limit, a prose answer cut by the token limit (a cut call has its own
 * error card instead), and the failure that ended it.
 * @param hasSettings the view has a Settings page the notes may point to (the widget has none)
 */
export function answerNotes(msg: AssistantMessage, hasSettings = true): AnswerNote[] {
  const notes: AnswerNote[] = [];
  const omitted = omittedFromPrompt(msg);
  if (omitted) {
    const what = omitted.messages === 1 ? '1 earlier message was' : `${count(omitted.messages)} earlier messages were`;
    notes.push({
      kind: 'context',
      before: true,
      text: `${what} left out of the prompt to fit the model's ${count(omitted.windowTokens)}-token context; they are still in the conversation.`,
    });
  }
  const cut = msg.status === 'done' ? hitTokenLimit(msg) : null;
  if (msg.status === 'stopped') notes.push({ kind: 'stopped', text: '■ Stopped — the answer above is partial.' });
  else if (msg.stopReason === 'max_calls')
    notes.push({
      kind: 'max_calls',
      text: `Stopped after the chained-call limit.${hasSettings ? ' You can raise it in Settings.' : ''}`,
    });
  else if (cut && !cut.callCut) {
    const limit = cut.maxTokens !== undefined ? ` (${count(cut.maxTokens)} tokens)` : '';
    notes.push({
      kind: 'length',
      text: `The answer hit the token limit${limit} and may be unfinished.${hasSettings ? ' You can raise the maximum answer length in Settings.' : ''}`,
    });
  }
  if (msg.status === 'error' && msg.error) notes.push({ kind: 'error', text: msg.error.message });
  return notes;
}

/** A part with the key a keyed view shows it under. */
export interface KeyedPart {
  key: string;
  part: StepPart;
}

/**
 * The parts keyed by kind and rank, a draft counting as a call: when the parse arrives, the n-th draft
 * card becomes the n-th call card in place (same element, no flicker), and the prose stays put. An
 * entry of `previous` whose part did not change (the same values, compared shallowly) is given again
 * as it was, so a keyed view skips it: while an answer streams, only the parts that changed render
 * again, not every card the answer has so far.
 */
export function keyedParts(parts: readonly StepPart[], previous: readonly KeyedPart[] = []): KeyedPart[] {
  const seen: Partial<Record<string, number>> = {};
  return parts.map((part, i) => {
    const kind = part.kind === 'draft' ? 'call' : part.kind;
    const rank = seen[kind] ?? 0;
    seen[kind] = rank + 1;
    const key = `${kind}-${rank}`;
    const before = previous[i];
    return before?.key === key && shallowEqual(before.part, part) ? before : { key, part };
  });
}

function shallowEqual(a: object, b: object): boolean {
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
