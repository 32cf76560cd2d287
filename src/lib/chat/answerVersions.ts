/**
 * An assistant message's versions (Regenerate) and what Continue resumes, for the app and the widget.
 *
 * Design: the message's own fields are the version shown, and `versions` holds the others in the
 * order they were made, with `version` saying where the shown one sits among them. So every reader
 * of a message (the views, the inspector, `historyTurns`) sees the shown version without knowing
 * versions exist, and the next prompt is built from the selected version only. Switching swaps
 * fields in place, which is one fine-grained update of the view's `$state` proxy.
 */
import type { AnswerVersion, AssistantMessage, StepRecord } from '../types/chat.ts';
import type { Turn } from '../types/turn.ts';

/** The version the message shows now, as a plain record. */
function shownVersion(msg: AssistantMessage): AnswerVersion {
  const v: AnswerVersion = { status: msg.status, steps: msg.steps, turns: msg.turns };
  if (msg.stopReason !== undefined) v.stopReason = msg.stopReason;
  if (msg.error !== undefined) v.error = msg.error;
  if (msg.modelId !== undefined) v.modelId = msg.modelId;
  if (msg.formatId !== undefined) v.formatId = msg.formatId;
  if (msg.thinking !== undefined) v.thinking = msg.thinking;
  return v;
}

/** Makes `v` the shown version: its fields replace the message's, absent ones included. */
function show(msg: AssistantMessage, v: AnswerVersion): void {
  msg.status = v.status;
  msg.steps = v.steps;
  msg.turns = v.turns;
  if (v.stopReason !== undefined) msg.stopReason = v.stopReason;
  else delete msg.stopReason;
  if (v.error !== undefined) msg.error = v.error;
  else delete msg.error;
  if (v.modelId !== undefined) msg.modelId = v.modelId;
  else delete msg.modelId;
  if (v.formatId !== undefined) msg.formatId = v.formatId;
  else delete msg.formatId;
  if (v.thinking !== undefined) msg.thinking = v.thinking;
  else delete msg.thinking;
}

/** Every version in the order they were made, the shown one at `msg.version`. */
export function allVersions(msg: AssistantMessage): AnswerVersion[] {
  const at = Math.min(Math.max(0, msg.version), msg.versions.length);
  return [...msg.versions.slice(0, at), shownVersion(msg), ...msg.versions.slice(at)];
}

/** How many versions the message has (1 until it is regenerated). */
export function versionCount(msg: AssistantMessage): number {
  return msg.versions.length + 1;
}

/** Shows version `index` (0-based); out of range does nothing. The next prompt reads that version. */
export function selectVersion(msg: AssistantMessage, index: number): void {
  if (index === msg.version || index < 0 || index >= versionCount(msg)) return;
  const list = allVersions(msg);
  const chosen = list[index];
  if (!chosen) return;
  list.splice(index, 1);
  msg.versions = list;
  msg.version = index;
  show(msg, chosen);
}

/**
 * Keeps the shown version among the others and shows a new, empty one (last), which the loop then
 * fills in. The earlier answer stays reachable through `selectVersion`.
 */
export function startVersion(msg: AssistantMessage, meta: { modelId?: string; formatId?: string; thinking?: boolean }) {
  const list = allVersions(msg);
  msg.versions = list;
  msg.version = list.length;
  show(msg, { status: 'streaming', steps: [], turns: [], ...meta });
}

/**
 * A stored message from before versions existed (or an imported one) gets the fields, so every
 * reader can rely on them.
 */
export function keepVersions(msg: AssistantMessage): void {
  if (!Array.isArray(msg.versions)) msg.versions = [];
  if (!Number.isInteger(msg.version) || msg.version < 0 || msg.version > msg.versions.length)
    msg.version = msg.versions.length;
}

/** What Continue resumes: the cut generation's output and the turns the answer keeps before it. */
export interface Continuation {
  /** The last generation's raw output (without the prompt's answer prefix), which the model writes on from. */
  text: string;
  /** The answer's turns before that generation's own (its earlier calls and their results). */
  turnsBefore: Turn[];
  /** The step that is resumed: the continuation replaces it with one that shows all of it. */
  step: StepRecord;
}

/**
 * What Continue would resume, or null when it does not apply: only an answer that Stop or the token
 * limit cut in the middle of its text (`finishReason` 'abort' or 'length'), with some text to go on
 * from, and only for formats whose prompt is raw text (`api: 'completion'`), where the cut text can be
 * written after the answer's opening so the model continues it. Chat-API formats (hermes,
 * llama3-json, llama3.2-pythonic, generic) cannot: web-llm renders their template and requires the
 * last message to be the user's or a tool's, so an answer cannot be prefilled; there Continue is not
 * offered (Regenerate is).
 */
export function continuation(msg: AssistantMessage, api: 'completion' | 'chat' | undefined): Continuation | null {
  if (api !== 'completion') return null;
  if (msg.status !== 'stopped' && msg.status !== 'done') return null;
  const step = msg.steps.at(-1);
  if (!step || step.text.trim() === '' || step.askUser) return null;
  const reason = step.result?.finishReason;
  const cut = msg.status === 'stopped' ? reason === undefined || reason === 'abort' : reason === 'length';
  if (!cut || step.calls.length > 0) return null;
  // The loop ends a cut answer with its text as the last assistant turn (runAgent): that one is resumed.
  const last = msg.turns.at(-1);
  const turnsBefore = last?.role === 'assistant' && !last.calls?.length ? msg.turns.slice(0, -1) : msg.turns;
  return { text: step.text, turnsBefore, step };
}
