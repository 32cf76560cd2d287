/**
 * Import of a conversation file made by Export (exportConversation.ts). The file is checked whole
 * before anything is stored: the wrapper (format, version), the conversation's fields and every
 * message, down to what the views read of an answer's steps. A file that fails is refused with one
 * sentence naming the first problem and where it is (`messages[3].steps[0].text`), and nothing is
 * stored. What passes is returned as a new conversation (a fresh id, so importing a file twice, or a
 * conversation still here, never overwrites one).
 */
import type { ToolChoice } from '../../lib/types/agent.ts';
import type { Message } from '../state/chatMessages.ts';
import { keepVersions } from '../../lib/chat/answerVersions.ts';
import { reviveMessages } from '../../lib/chat/messages.ts';
import type { Conversation } from './conversation.ts';
import { EXPORT_FORMAT, EXPORT_VERSION } from './exportConversation.ts';
import { fromRecord } from './storedConversation.ts';
import { errorMessage } from '../../lib/errors.ts';

/** A file that is not a Callama conversation export, or a damaged one; `path` says where. */
export class ConversationImportError extends Error {
  override readonly name = 'ConversationImportError';
  readonly path: string;
  constructor(message: string, path = '', options?: { cause?: unknown }) {
    super(message, options);
    this.path = path;
  }
}

/** The largest file read (a conversation is a few hundred KB at most; this keeps a wrong file from hanging the tab). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: string, what: string): never {
  throw new ConversationImportError(`This file is not a valid Callama conversation: ${path} ${what}.`, path);
}

function object(v: unknown, path: string): Json {
  if (!isObject(v)) fail(path, 'must be an object');
  return v;
}
function string(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(`${path}.${key}`, 'must be text');
  return v;
}
function number(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}.${key}`, 'must be a number');
  return v;
}
function array(o: Json, key: string, path: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) fail(`${path}.${key}`, 'must be a list');
  return v;
}
function optionalString(o: Json, key: string, path: string): void {
  if (o[key] !== undefined) string(o, key, path);
}

function toolChoice(v: unknown, path: string): ToolChoice {
  if (v === 'auto' || v === 'required' || v === 'none') return v;
  if (isObject(v) && typeof v.function === 'string') return { function: v.function };
  return fail(path, 'must be "auto", "required", "none" or {"function": name}');
}

const STATUSES = new Set(['streaming', 'done', 'stopped', 'error']);
const ROLES = new Set(['user', 'assistant', 'tool']);

function checkTurns(o: Json, path: string): void {
  array(o, 'turns', path).forEach((t, i) => {
    const turn = object(t, `${path}.turns[${i}]`);
    if (!ROLES.has(String(turn.role))) fail(`${path}.turns[${i}].role`, 'must be user, assistant or tool');
    string(turn, 'content', `${path}.turns[${i}]`);
  });
}

/** What the views and the inspector read of an answer's steps; the rest is shown as stored. */
function checkSteps(o: Json, path: string): void {
  array(o, 'steps', path).forEach((s, i) => {
    const at = `${path}.steps[${i}]`;
    const step = object(s, at);
    number(step, 'step', at);
    string(step, 'text', at);
    string(step, 'formatId', at);
    object(step.request, `${at}.request`);
    array(step, 'calls', at).forEach((c, j) => {
      const call = object(c, `${at}.calls[${j}]`);
      const inner = object(call.call, `${at}.calls[${j}].call`);
      string(inner, 'name', `${at}.calls[${j}].call`);
    });
    if (step.parsed !== undefined) {
      const parsed = object(step.parsed, `${at}.parsed`);
      string(parsed, 'text', `${at}.parsed`);
      array(parsed, 'calls', `${at}.parsed`);
      array(parsed, 'errors', `${at}.parsed`);
    }
  });
}

function checkAnswer(o: Json, path: string): void {
  if (!STATUSES.has(String(o.status))) fail(`${path}.status`, 'must be done, stopped, error or streaming');
  checkSteps(o, path);
  checkTurns(o, path);
  optionalString(o, 'modelId', path);
  optionalString(o, 'formatId', path);
}

function checkMessage(v: unknown, path: string): void {
  const m = object(v, path);
  string(m, 'id', path);
  number(m, 'createdAt', path);
  if (m.role === 'user') {
    string(m, 'content', path);
  } else if (m.role === 'assistant') {
    checkAnswer(m, path);
    if (m.versions !== undefined) {
      array(m, 'versions', path).forEach((v, i) =>
        checkAnswer(object(v, `${path}.versions[${i}]`), `${path}.versions[${i}]`),
      );
    }
  } else {
    fail(`${path}.role`, 'must be "user" or "assistant"');
  }
}

/**
 * Reads an exported conversation file.
 * @returns a new conversation (fresh id, imported now), ready to store
 * @throws ConversationImportError naming the first problem; nothing is stored by this function
 */
export function parseConversationExport(text: string, now = Date.now()): Conversation {
  if (text.length > MAX_IMPORT_BYTES) throw new ConversationImportError('This file is too large to be a conversation.');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new ConversationImportError('This file is not JSON, so it is not a Callama conversation export.', '', {
      cause,
    });
  }
  const file = object(data, 'the file');
  if (file.format !== EXPORT_FORMAT)
    throw new ConversationImportError(
      `This JSON file is not a Callama conversation export (its "format" is not "${EXPORT_FORMAT}").`,
      'format',
    );
  if (
    typeof file.version !== 'number' ||
    !Number.isInteger(file.version) ||
    file.version < 1 ||
    file.version > EXPORT_VERSION
  )
    throw new ConversationImportError(
      `This export has version ${JSON.stringify(file.version)}; this version of Callama reads versions 1 to ${EXPORT_VERSION}.`,
      'version',
    );
  const c = object(file.conversation, 'conversation');
  const title = string(c, 'title', 'conversation');
  const system = c.system === undefined ? '' : string(c, 'system', 'conversation');
  const choice = c.toolChoice === undefined ? 'auto' : toolChoice(c.toolChoice, 'conversation.toolChoice');
  if (c.thinking !== undefined && typeof c.thinking !== 'boolean')
    fail('conversation.thinking', 'must be true or false');
  const listed = c.functionsOff === undefined ? [] : array(c, 'functionsOff', 'conversation');
  const off = listed.filter((n) => typeof n === 'string');
  if (off.length !== listed.length) fail('conversation.functionsOff', 'must be a list of names');
  const list = array(c, 'messages', 'conversation');
  list.forEach((m, i) => checkMessage(m, `conversation.messages[${i}]`));
  const ids = new Set(list.map((m) => (m as Json).id));
  if (ids.size !== list.length) fail('conversation.messages', 'has two messages with the same id');

  // Checked above, field by field; the stored record's own reader (storedConversation.ts) turns it
  // into the view's form (version 2 files keep each request as what it adds to the one before).
  let messages: Message[];
  try {
    messages = fromRecord(file.conversation).messages;
  } catch (e) {
    throw new ConversationImportError(
      `This file is not a valid Callama conversation: ${errorMessage(e)}`,
      'conversation',
      {
        cause: e,
      },
    );
  }
  for (const m of messages) if (m.role === 'assistant') keepVersions(m);
  const conversation: Conversation = {
    id: crypto.randomUUID(),
    title: title.trim() || 'Imported conversation',
    createdAt: typeof c.createdAt === 'number' ? c.createdAt : now,
    updatedAt: now,
    system,
    toolChoice: choice,
    messages: reviveMessages(messages),
  };
  if (typeof c.thinking === 'boolean') conversation.thinking = c.thinking;
  if (off.length > 0) conversation.functionsOff = off;
  if (typeof c.modelId === 'string') conversation.modelId = c.modelId;
  if (typeof c.formatId === 'string') conversation.formatId = c.formatId;
  return conversation;
}
