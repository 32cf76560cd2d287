/**
 * Import of a conversation file made by Export (exportConversation.ts). The file is checked whole
 * before anything is stored: the wrapper (format, version) here, and the conversation — a stored
 * record — by the store's own reader and shape check (storedConversation.ts, recordShape.ts), down to
 * what the views read of an answer's steps. A file that fails is refused with one
 * sentence naming the first problem and where it is (`messages[3].steps[0].text`), and nothing is
 * stored. What passes is returned as a new conversation (a fresh id, so importing a file twice, or a
 * conversation still here, never overwrites one).
 */
import type { Message } from '../state/chatMessages.ts';
import { keepVersions } from '../../lib/chat/answerVersions.ts';
import { reviveMessages } from '../../lib/chat/messages.ts';
import type { Conversation } from './conversation.ts';
import { EXPORT_FORMAT, EXPORT_VERSION } from './exportConversation.ts';
import { fromRecord } from './storedConversation.ts';
import { RecordShapeError } from './recordShape.ts';
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
  if (!isObject(data))
    throw new ConversationImportError('This JSON file is not a Callama conversation export (it is not an object).');
  const file = data;
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
  if (!isObject(file.conversation))
    throw new ConversationImportError(
      'This file is not a valid Callama conversation: it has no conversation.',
      'conversation',
    );
  // The conversation is a stored record (exportConversation.ts): the store's own reader checks its
  // shape (recordShape.ts, naming the first problem by its path) and turns it into the view's form.
  let read: Conversation;
  try {
    read = fromRecord(file.conversation);
  } catch (e) {
    const shape = e instanceof Error && e.cause instanceof RecordShapeError ? e.cause : undefined;
    const path = shape ? `conversation.${shape.path}` : 'conversation';
    const what = shape ? `${path} ${shape.problem}.` : errorMessage(e);
    throw new ConversationImportError(`This file is not a valid Callama conversation: ${what}`, path, { cause: e });
  }
  const messages: Message[] = read.messages;
  for (const m of messages) if (m.role === 'assistant') keepVersions(m);
  const conversation: Conversation = {
    id: crypto.randomUUID(),
    title: read.title.trim() || 'Imported conversation',
    createdAt: read.createdAt,
    updatedAt: now,
    system: read.system,
    toolChoice: read.toolChoice,
    messages: reviveMessages(messages),
  };
  if (read.thinking !== undefined) conversation.thinking = read.thinking;
  if (read.functionsOff !== undefined && read.functionsOff.length > 0) conversation.functionsOff = read.functionsOff;
  if (read.modelId !== undefined) conversation.modelId = read.modelId;
  if (read.formatId !== undefined) conversation.formatId = read.formatId;
  return conversation;
}
