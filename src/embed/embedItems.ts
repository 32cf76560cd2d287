/**
 * What the widget shows, derived from the chat core's messages (lib/chat/): each answer's steps
 * through the same `stepParts` the app renders (prose, reasoning, call cards, drafts a Stop left
 * unfinished, error cards, the question to the user) and the same `answerNotes` (prompt shortened,
 * stopped, token limit, failure). The widget's list is flat and compact, so parts become items.
 * Plain TypeScript, for Node tests.
 */
import type { AssistantMessage, Message, ReasoningView, StepRecord } from '../lib/types/chat.ts';
import type { DispatchResult } from '../lib/types/dispatch.ts';
import { answerNotes, stepParts } from '../lib/chat/stepParts.ts';
import { answerText } from '../lib/chat/messages.ts';

export type EmbedCallStatus = 'writing' | 'unfinished' | 'running' | 'ok' | 'error' | 'declined';

export type EmbedItem =
  | { kind: 'user'; id: string; text: string }
  | { kind: 'assistant'; id: string; text: string; streaming: boolean; reasoning?: ReasoningView }
  | {
      kind: 'call';
      /** The loop's call id once it runs (consent questions are asked by it). */
      id: string;
      name: string;
      /** Shown as the app's arguments table (ui ArgumentsTable). */
      arguments: Record<string, unknown>;
      host: boolean;
      status: EmbedCallStatus;
      /** Shown as the app's result card (ui ResultCard). */
      result?: DispatchResult;
    }
  | { kind: 'error'; id: string; text: string }
  /** Something the visitor should know that is not a failure (earlier messages left out of the prompt). */
  | { kind: 'notice'; id: string; text: string }
  /**
   * The actions under an ended answer (Copy, versions, Regenerate, Continue: ui AnswerActions):
   * `text` is what Copy copies, `version` of `versions` the one shown, `last` whether it is the
   * conversation's last message (only that one can be regenerated or continued).
   */
  | { kind: 'actions'; id: string; messageId: string; text: string; version: number; versions: number; last: boolean };

/** A notice about the engine, shown before the message at index `at` (the end when there is none). */
export interface EngineNotice {
  id: string;
  at: number;
  text: string;
}

/** The widget's items for `messages`, with the engine notices in place; `isHost` marks host functions. */
export function embedItems(
  messages: readonly Message[],
  notices: readonly EngineNotice[],
  isHost: (name: string) => boolean,
): EmbedItem[] {
  const items: EmbedItem[] = [];
  const noticesAt = (i: number) => {
    for (const n of notices) if (n.at === i) items.push({ kind: 'notice', id: n.id, text: n.text });
  };
  messages.forEach((m, i) => {
    noticesAt(i);
    if (m.role === 'user') items.push({ kind: 'user', id: m.id, text: m.content });
    else {
      items.push(...answerItems(m, isHost));
      if (m.status !== 'streaming') {
        const last = i === messages.length - 1;
        const versions = m.versions.length + 1;
        items.push({
          kind: 'actions',
          id: `${m.id}-actions`,
          messageId: m.id,
          text: answerText(m),
          version: m.version,
          versions,
          last,
        });
      }
    }
  });
  noticesAt(messages.length);
  return items;
}

function answerItems(msg: AssistantMessage, isHost: (name: string) => boolean): EmbedItem[] {
  const notes = answerNotes(msg, false);
  const items: EmbedItem[] = notes
    .filter((n) => n.before)
    .map((n) => ({ kind: 'notice', id: `${msg.id}-${n.kind}`, text: n.text }));
  for (const step of msg.steps) items.push(...stepItems(msg, step, isHost));
  for (const note of notes) {
    if (note.before) continue;
    items.push({ kind: note.kind === 'error' ? 'error' : 'notice', id: `${msg.id}-${note.kind}`, text: note.text });
  }
  return items;
}

function stepItems(msg: AssistantMessage, step: StepRecord, isHost: (name: string) => boolean): EmbedItem[] {
  const items: EmbedItem[] = [];
  stepParts(step, msg.status === 'streaming').forEach((part, i) => {
    const id = `${msg.id}-${step.step}-${i}`;
    const last = items.at(-1);
    switch (part.kind) {
      case 'reasoning': {
        const { kind: _kind, ...view } = part;
        items.push({ kind: 'assistant', id, text: '', streaming: false, reasoning: view });
        break;
      }
      case 'text':
        // An empty bubble says nothing once the step has ended (a generation that failed at once).
        if (part.text === '' && !part.streaming) break;
        // The answer after the reasoning shares its item, as the app shows them together.
        if (last?.kind === 'assistant' && last.reasoning && last.text === '') {
          last.text = part.text;
          last.streaming = part.streaming;
        } else {
          items.push({ kind: 'assistant', id, text: part.text, streaming: part.streaming });
        }
        break;
      case 'call': {
        const record = part.record;
        const result = record?.result;
        const status: EmbedCallStatus = !result
          ? msg.status === 'streaming'
            ? 'running'
            : 'unfinished'
          : result.ok
            ? 'ok'
            : result.error.kind === 'declined'
              ? 'declined'
              : 'error';
        items.push({
          kind: 'call',
          id: record?.callId ?? id,
          name: part.call.name,
          arguments: part.call.arguments,
          host: isHost(part.call.name),
          status,
          ...(result ? { result } : {}),
        });
        break;
      }
      case 'draft':
        items.push({
          kind: 'call',
          id,
          name: part.call.name ?? '…',
          arguments: part.call.arguments,
          host: part.call.name !== undefined && isHost(part.call.name),
          status: part.streaming ? 'writing' : 'unfinished',
        });
        break;
      case 'error':
        items.push({ kind: 'error', id, text: part.error.message });
        break;
      case 'ask':
        items.push({ kind: 'assistant', id, text: part.ask.message, streaming: false });
        break;
    }
  });
  return items;
}
