/**
 * How the agent loop's events fill in an assistant message, how it ends, and what the conversation
 * gives the next prompt: the one reducer the app and the widget both run (through ChatSession).
 *
 * Plain TypeScript (no runes, no DOM) so it runs in Node tests: the app keeps the messages in a
 * `$state` proxy and this mutates them through it, so each change is one fine-grained UI update
 * (streaming text, a call card filling in).
 *
 * While a generation streams, each delta also gets a live call preview (lib/parse/previewCalls.ts):
 * the prose without call text, and draft call cards filling in. The parse at the end replaces it.
 */
import type { AgentEvent, AgentStopReason } from '../types/agent.ts';
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { Turn } from '../types/turn.ts';
import type { AssistantMessage, ErrorInfo, Message, StepRecord, ThinkingTiming, UserMessage } from '../types/chat.ts';
import { CallPreviewer } from '../parse/callPreviewer.ts';
import type { CallPreview } from '../parse/previewTypes.ts';
import { endThinking, timeThinking } from './reasoning.ts';
import { keepVersions } from './answerVersions.ts';

export function newUserMessage(content: string, now = Date.now()): UserMessage {
  return { id: crypto.randomUUID(), role: 'user', content, createdAt: now };
}

export function newAssistantMessage(
  meta: { modelId?: string; formatId?: string; thinking?: boolean },
  now = Date.now(),
): AssistantMessage {
  return {
    id: crypto.randomUUID(),
    role: 'assistant',
    createdAt: now,
    status: 'streaming',
    steps: [],
    turns: [],
    ...meta,
    versions: [],
    version: 0,
  };
}

/**
 * Each streaming step's incremental previewer (it reads only what each delta adds), kept out of the
 * stored record so the record stays plain data. Keyed by the step object: a step that is dropped
 * takes its previewer with it.
 */
interface Previewing {
  previewer: CallPreviewer;
  functions: FunctionSpec[];
  /** The preview last put into the step, as the previewer gave it (not the view's proxy of it). */
  last?: CallPreview;
}

const previewers = new WeakMap<StepRecord, Previewing>();

function previewerOf(step: StepRecord, functions: FunctionSpec[]): Previewing {
  const known = previewers.get(step);
  if (known && known.functions === functions) return known;
  const fresh: Previewing = { previewer: new CallPreviewer(functions, step.answerPrefix), functions };
  previewers.set(step, fresh);
  return fresh;
}

/**
 * Puts a delta's preview into the step, changing only what changed. The views keep the message in a
 * `$state` proxy, which wraps an object put into it in a new proxy, and each call in it too: a new
 * preview object per delta would hand every call card a new call, and each would render again, a
 * cost per delta that grows with the answer. The previewer keeps the objects of the calls it has
 * settled, so only the call still being written (and the prose) changes here.
 */
function setPreview(step: StepRecord, previewing: Previewing, next: CallPreview): void {
  const { last } = previewing;
  previewing.last = next;
  const target = step.preview;
  if (target === undefined || last === undefined) {
    step.preview = next;
    return;
  }
  if (target.prose !== next.prose) target.prose = next.prose;
  if (next.reasoning === undefined) delete target.reasoning;
  else if (target.reasoning !== next.reasoning) target.reasoning = next.reasoning;
  if (next.thinking === undefined) delete target.thinking;
  else if (target.thinking !== next.thinking) target.thinking = next.thinking;
  next.calls.forEach((call, i) => {
    if (last.calls[i] !== call) target.calls[i] = call;
  });
  if (target.calls.length > next.calls.length) target.calls.length = next.calls.length;
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
export function applyAgentEvent(
  msg: AssistantMessage,
  ev: AgentEvent,
  functions: FunctionSpec[] = [],
  now = Date.now(),
): void {
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
    case 'delta': {
      step.text = ev.text;
      const previewing = previewerOf(step, functions);
      const preview = previewing.previewer.update(ev.text);
      setPreview(step, previewing, preview);
      setThinking(step, timeThinking(step.thinking, preview, now));
      break;
    }
    case 'generation_end':
      step.result = ev.result;
      step.text = ev.result.text;
      if (step.preview) {
        // The final text, read as the deltas were: the cards already shown keep their objects, so
        // they do not all render again (a new preview from scratch gave each card a new call).
        const previewing = previewerOf(step, functions);
        setPreview(step, previewing, previewing.previewer.update(ev.result.text));
      }
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
    error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
  finishAssistant(msg, { reason: 'error', turns: msg.turns, error: info });
}

export const INTERRUPTED_MESSAGE = 'Not run (interrupted): the page was closed or reloaded before this call finished.';

/**
 * Messages read back from storage: an answer that was still streaming when the page closed (reload,
 * lost GPU, crash) is marked stopped, so the UI does not show it as running forever. A call it left
 * running — or waiting for the user's consent — never finished, and whether a running one got as far
 * as doing anything is unknown: it gets an 'interrupted' result ("Not run (interrupted)"), never
 * "Done".
 */
export function reviveMessages(messages: Message[]): Message[] {
  for (const m of messages) {
    if (m.role === 'assistant') keepVersions(m);
    if (m.role === 'assistant' && m.status === 'streaming') {
      m.status = 'stopped';
      m.stopReason = 'aborted';
      for (const step of m.steps) {
        for (const call of step.calls) {
          if (call.status !== 'running') continue;
          call.result ??= { ok: false, error: { kind: 'interrupted', message: INTERRUPTED_MESSAGE }, ms: 0 };
          call.status = 'done';
        }
      }
    }
  }
  return messages;
}

/** The assistant's visible answer when it stopped mid-generation: what had streamed so far. */
function partialAnswer(msg: AssistantMessage): string {
  const last = msg.steps.at(-1);
  return (last?.parsed?.text ?? last?.preview?.prose ?? last?.text ?? '').trim();
}

/** What Copy copies of an answer: the prose of each of its generations (no reasoning, no call text). */
export function answerText(msg: AssistantMessage): string {
  return msg.steps
    .map((s) => (s.parsed?.text ?? s.preview?.prose ?? s.text).trim())
    .filter((t) => t !== '')
    .join('\n\n');
}

/** What a step's cards and frame cost to show, counted as characters of text (see messageSize). */
const STEP_SIZE = 400;

/**
 * Roughly how much there is to show of a message, in characters of text: what building its
 * elements costs grows with (a conversation opened is built a batch of messages per task).
 */
export function messageSize(msg: Message): number {
  if (msg.role === 'user') return msg.content.length + STEP_SIZE;
  return msg.steps.reduce((n, s) => n + s.text.length + STEP_SIZE, STEP_SIZE);
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

/** A title for a conversation from its first user message. */
export function titleFrom(text: string, max = 48): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
