/**
 * Export of one conversation as a JSON file the user downloads. The file is built in the page (a Blob
 * URL): nothing is uploaded anywhere.
 *
 * The file (UTF-8 JSON):
 *   { "format": "callama-conversation", "version": 2, "exportedAt": "<ISO time>",
 *     "conversation": <the stored record> }
 * `conversation` is exactly what the app stores (persistence/storedConversation.ts, with its own
 * `schemaVersion`), so reading a file back is reading a stored record: Import
 * (importConversation.ts) reads files of version 2 and of version 1 (until commit 24b7ccd:
 * `conversation` was the record of schema version 1, each step's whole request included).
 */
import type { Conversation } from './conversation.ts';
import { toRecord } from './storedConversation.ts';

export const EXPORT_FORMAT = 'callama-conversation';
export const EXPORT_VERSION = 2;

export function conversationToJson(c: Conversation): string {
  return JSON.stringify(
    { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: new Date().toISOString(), conversation: toRecord(c) },
    null,
    2,
  );
}

/** A safe file name: the title's letters and digits, dashes elsewhere. */
export function exportFileName(c: Conversation): string {
  const base = c.title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `callama-${base || 'conversation'}.json`;
}

/** Starts the download in the browser. */
export function downloadConversation(c: Conversation): void {
  const url = URL.createObjectURL(new Blob([conversationToJson(c)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = exportFileName(c);
  a.click();
  // Revoke after the click has been handled; revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
