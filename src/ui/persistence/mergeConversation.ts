/**
 * Merging a tab's copy of a conversation with the one stored, when several tabs have it open.
 *
 * Each tab knows three versions: `base` (what it last read from or wrote to the store), `local` (what
 * it shows, maybe changed since) and `stored` (the current record, read inside the write's own
 * transaction). The rules, so no tab ever writes back a stale copy:
 * - A message belongs to the tab that created it (`owned`): only that tab writes it (an answer streams
 *   in one tab). Every other message is taken from the store as it is now; one that was stored before
 *   (`base`) and no longer is was deleted elsewhere and is dropped.
 * - A field (title, system prompt, tool choice...) changed in this tab since `base` is written; one left
 *   alone takes the stored value, which another tab may have changed.
 * - A conversation stored before and now gone was deleted in another tab: it is not written back.
 * Messages are ordered by creation time (the order both tabs asked in), ties kept in place.
 */
import type { Message } from '../../lib/types/chat.ts';
import type { Conversation } from './conversation.ts';

/** The fields a tab may change, compared with `base` to see whether it did. */
const FIELDS = ['title', 'system', 'toolChoice', 'thinking', 'functionsOff', 'modelId', 'formatId'] as const;
type Field = (typeof FIELDS)[number];

/** What a tab knows of one conversation's stored record. */
export interface SyncInfo {
  /** The record as this tab last read or wrote it; undefined: not stored yet. */
  base: Conversation | undefined;
  /** Ids of the messages created in this tab: the only ones it writes. */
  owned: Set<string>;
  /** This tab's merges of the conversation, one after the other (each from the base the last left). */
  queue: Promise<void>;
  /** A write queued and not started yet: it copies the conversation when it starts, so it also carries
   * whatever changes before then, and a second request waits for it instead of queueing another copy. */
  waitingWrite?: Promise<void> | undefined;
}

export interface MergeInput {
  /** What this tab last read or wrote; undefined: never stored as far as this tab knows. */
  base: Conversation | undefined;
  /** This tab's copy (a plain snapshot). */
  local: Conversation;
  /** The record in the store now. */
  stored: Conversation | undefined;
  /** Ids of the messages this tab created. */
  owned: ReadonlySet<string>;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** @returns the record to store, or undefined when the conversation was deleted in another tab */
export function mergeConversation({ base, local, stored, owned }: MergeInput): Conversation | undefined {
  if (!stored) return base ? undefined : local;
  const merged: Conversation = { ...stored, updatedAt: Math.max(stored.updatedAt, local.updatedAt) };
  for (const field of FIELDS) {
    const changedHere = !base || !same(local[field], base[field]);
    setField(merged, field, changedHere ? local[field] : stored[field]);
  }
  const theirs = stored.messages.filter((m) => !owned.has(m.id));
  const mine = local.messages.filter((m) => owned.has(m.id));
  merged.messages = byCreation([...theirs, ...mine]);
  return merged;
}

function setField<K extends Field>(c: Conversation, field: K, value: Conversation[K]): void {
  if (value === undefined) Reflect.deleteProperty(c, field);
  else c[field] = value;
}

/** Stable: messages created in the same millisecond keep their order (a question before its answer). */
function byCreation(messages: Message[]): Message[] {
  return messages
    .map((m, i) => ({ m, i }))
    .sort((x, y) => x.m.createdAt - y.m.createdAt || x.i - y.i)
    .map(({ m }) => m);
}

/**
 * Brings what a tab shows (`view`, its `$state` proxy) up to `next`, the record just written or read,
 * in place: the objects of the messages this tab owns are kept (an answer may still be streaming into
 * them), and so is anything changed in the view since `snapshot` was taken from it — fields, and
 * messages added or removed.
 * @param previous the tab's `base` before `next`: a message it does not own is replaced only when the
 *   store's version changed since (a message revived for display at load stays as shown)
 */
export function applyToView(
  view: Conversation,
  snapshot: Conversation,
  previous: Conversation | undefined,
  next: Conversation,
  owned: ReadonlySet<string>,
): void {
  for (const field of FIELDS) {
    if (same(view[field], snapshot[field]) && !same(view[field], next[field])) setField(view, field, next[field]);
  }
  view.updatedAt = Math.max(view.updatedAt, next.updatedAt);
  const before = new Map((previous?.messages ?? []).map((m) => [m.id, m]));
  const nextById = new Map(next.messages.map((m) => [m.id, m]));
  // Gone from the store (deleted in another tab): only what the store had before, and this tab does
  // not own. A message the view gained after the snapshot is in neither, and stays: the merge that
  // comes back while the user sends the next message must not take that message away.
  for (let i = view.messages.length - 1; i >= 0; i--) {
    const m = view.messages[i];
    if (m && !owned.has(m.id) && before.has(m.id) && !nextById.has(m.id)) view.messages.splice(i, 1);
  }
  const shown = new Set(view.messages.map((m) => m.id));
  const inSnapshot = new Set(snapshot.messages.map((m) => m.id));
  for (const m of next.messages) {
    if (owned.has(m.id)) continue;
    if (!shown.has(m.id)) {
      // Removed from the view since the snapshot (an edit resent meanwhile drops what followed): the
      // next write removes it from the store too; putting it back would undo the user's edit.
      if (inSnapshot.has(m.id)) continue;
      insertByCreation(view.messages, structuredClone(m));
    } else if (!same(before.get(m.id), m)) {
      const i = view.messages.findIndex((v) => v.id === m.id);
      view.messages[i] = structuredClone(m);
    }
  }
}

function insertByCreation(messages: Message[], m: Message): void {
  const at = messages.findIndex((v) => v.createdAt > m.createdAt);
  if (at === -1) messages.push(m);
  else messages.splice(at, 0, m);
}
