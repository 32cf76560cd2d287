/**
 * The stored form of a conversation: its own versioned type, apart from the message objects the UI
 * shows and mutates (lib/types/chat.ts), with one conversion each way.
 *
 * Schema versions:
 * - 1 (no `schemaVersion` field; written up to commit 24b7ccd): the view's `Conversation` object
 *   itself, every step carrying its whole request — the conversation so far, once per step.
 * - 2: `schemaVersion: 2`; the conversation's first request is kept whole and each later one only
 *   as what its prompt adds to the one before (persistence/storedRequest.ts); a step's result leaves
 *   out its text when it is the step's `text` (it always is once the step ended).
 *
 * `fromRecord` reads every version this app knows; a record it cannot read (a newer version, or a
 * damaged one) throws UnreadableRecordError, and the caller keeps it as it is: the list shows it as
 * unreadable, nothing overwrites or deletes it unless the user does.
 *
 * The nested data of the chat core (turns, calls, results, parsed output, previews, stats) is stored
 * as the core's types, unchanged: a change to those types that old records do not satisfy needs a
 * new schema version here.
 */
import type { AgentStopReason, PromptFitInfo, ToolChoice } from '../../lib/types/agent.ts';
import type {
  AnswerVersion,
  AskUser,
  AssistantMessage,
  AssistantStatus,
  CallRecord,
  ErrorInfo,
  Message,
  StepRecord,
  ThinkingTiming,
} from '../../lib/types/chat.ts';
import type { FinishReason, GenerateRequest, GenerationStats } from '../../lib/types/generation.ts';
import type { ParseResult } from '../../lib/types/toolCall.ts';
import type { Turn } from '../../lib/types/turn.ts';
import type { CallPreview } from '../../lib/parse/previewTypes.ts';
import { DEFAULT_TITLE, type Conversation, type ConversationSummary, type UnreadableReason } from './conversation.ts';
import { checkRecordShape, RecordShapeError } from './recordShape.ts';
import { rebuildRequest, storeRequest, StoredRequestError, type StoredRequest } from './storedRequest.ts';

export const SCHEMA_VERSION = 2;

export interface ConversationRecord {
  schemaVersion: typeof SCHEMA_VERSION;
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  system: string;
  toolChoice: ToolChoice;
  thinking?: boolean;
  modelId?: string;
  formatId?: string;
  messages: StoredMessage[];
}

export type StoredMessage = StoredUserMessage | StoredAnswer;

export interface StoredUserMessage {
  id: string;
  role: 'user';
  content: string;
  createdAt: number;
}

export interface StoredAnswer {
  id: string;
  role: 'assistant';
  createdAt: number;
  status: AssistantStatus;
  steps: StoredStep[];
  stopReason?: AgentStopReason;
  error?: ErrorInfo;
  turns: Turn[];
  modelId?: string;
  formatId?: string;
  thinking?: boolean;
  /** The answer's other versions (Regenerate); absent in records written before versions existed. */
  versions?: StoredVersion[];
  /** Where the shown version sits among all of them; absent means 0. */
  version?: number;
}

/** An earlier (or later) version of an answer, its steps stored like the answer's own. */
export type StoredVersion = Omit<AnswerVersion, 'steps'> & { steps: StoredStep[] };

export interface StoredStep {
  step: number;
  formatId: string;
  /** Whole for the conversation's first step; later steps: what their prompt adds to the one before. */
  request: StoredRequest;
  constrained: boolean;
  constraintNote?: string;
  context?: PromptFitInfo;
  answerPrefix?: string;
  text: string;
  thinking?: ThinkingTiming;
  result?: StoredResult;
  preview?: CallPreview;
  parsed?: ParseResult;
  calls: CallRecord[];
  askUser?: AskUser;
}

/** GenerateResult; `text` only when it differs from the step's. */
export interface StoredResult {
  text?: string;
  finishReason: FinishReason;
  stats?: GenerationStats;
}

/** A stored record this version of the app cannot read; it is kept as it is. */
export class UnreadableRecordError extends Error {
  override readonly name = 'UnreadableRecordError';
  readonly reason: UnreadableReason;
  constructor(reason: UnreadableReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export function toRecord(c: Conversation): ConversationRecord {
  const { messages, ...fields } = c;
  // Each request is stored against the one before it in the conversation (storedRequest.ts).
  const chain: RequestChain = {};
  return { schemaVersion: SCHEMA_VERSION, ...fields, messages: messages.map((m) => storeMessage(m, chain)) };
}

type RequestChain = { previous?: GenerateRequest };

function storeMessage(m: Message, chain: RequestChain): StoredMessage {
  if (m.role === 'user') return m;
  // The chain runs through the shown version's steps, then the other versions' in order; reading
  // walks them in the same order (readMessage).
  const { steps, versions, ...fields } = m;
  return {
    ...fields,
    steps: storeSteps(steps, chain),
    versions: versions.map((v) => ({ ...v, steps: storeSteps(v.steps, chain) })),
  };
}

function storeSteps(steps: StepRecord[], chain: RequestChain): StoredStep[] {
  return steps.map((s) => {
    const { request, result, ...rest } = s;
    const stored: StoredStep = { ...rest, request: storeRequest(request, chain.previous) };
    chain.previous = request;
    if (result) {
      const { text, ...outcome } = result;
      stored.result = text === s.text ? outcome : result;
    }
    return stored;
  });
}

/**
 * Reads a stored record of any schema version this app knows into the view's form.
 * @throws UnreadableRecordError for a newer or damaged record
 */
export function fromRecord(raw: unknown): Conversation {
  const o = asObject(raw, 'The record is not an object.');
  const version = o.schemaVersion ?? 1;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw damaged(`Unknown schema version ${JSON.stringify(version)}.`);
  if (version > SCHEMA_VERSION)
    throw new UnreadableRecordError('newer', `Saved by a newer version of the app (schema ${version.toString()}).`);
  try {
    checkRecordShape(o, version);
    // Version 1 is the view's form already; version 2 is this module's.
    return version === 1
      ? readVersion1(o as unknown as Version1Conversation)
      : readRecord(o as unknown as ConversationRecord);
  } catch (e) {
    if (e instanceof UnreadableRecordError) throw e;
    if (e instanceof RecordShapeError || e instanceof StoredRequestError) throw damaged(e.message, e);
    // Whatever else goes wrong reading it comes from the record (the shape check is not exhaustive).
    throw damaged('The record could not be read.', e);
  }
}

/** Version 1 is the view's form of its day: answers had no versions (Regenerate came later). */
type Version1Conversation = Omit<Conversation, 'messages'> & {
  messages: (Message | Omit<AssistantMessage, 'versions' | 'version'>)[];
};

function readVersion1(c: Version1Conversation): Conversation {
  return {
    ...c,
    messages: c.messages.map((m): Message => (m.role === 'user' ? m : { versions: [], version: 0, ...m })),
  };
}

function readRecord(r: ConversationRecord): Conversation {
  const { schemaVersion: _version, messages, ...fields } = r;
  const chain: RequestChain = {};
  return { ...fields, messages: messages.map((m) => readMessage(m, chain)) };
}

function readMessage(m: StoredMessage, chain: RequestChain): Message {
  if (m.role === 'user') return m;
  const { steps, versions, version, ...fields } = m;
  const answer: AssistantMessage = {
    ...fields,
    steps: readSteps(steps, chain),
    versions: (versions ?? []).map((v) => ({ ...v, steps: readSteps(v.steps, chain) })),
    version: version ?? 0,
  };
  return answer;
}

function readSteps(steps: StoredStep[], chain: RequestChain): StepRecord[] {
  return steps.map((s): StepRecord => {
    const { request: stored, result, ...rest } = s;
    const request = rebuildRequest(stored, chain.previous);
    chain.previous = request;
    const step: StepRecord = { ...rest, request };
    if (result) step.result = { ...result, text: result.text ?? s.text };
    return step;
  });
}

/** What the list shows for a record that cannot be read: what can be told of it, and why. */
export function unreadableSummary(raw: unknown, id: string, reason: UnreadableReason): ConversationSummary {
  const o = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    id,
    title: typeof o.title === 'string' && o.title !== '' ? o.title : DEFAULT_TITLE,
    updatedAt: typeof o.updatedAt === 'number' ? o.updatedAt : 0,
    messageCount: Array.isArray(o.messages) ? o.messages.length : 0,
    unreadable: reason,
  };
}

const damaged = (message: string, cause?: unknown): UnreadableRecordError =>
  new UnreadableRecordError('damaged', message, cause === undefined ? undefined : { cause });

function asObject(x: unknown, message: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw damaged(message);
  return x as Record<string, unknown>;
}
