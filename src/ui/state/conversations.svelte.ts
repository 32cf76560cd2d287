/**
 * The conversations: which one is open, the list, and keeping them in IndexedDB.
 *
 * Each loaded conversation is one deep `$state` proxy, cached by id, so an answer still streaming into
 * a conversation the user switched away from keeps updating the same object, and switching back shows
 * it live. Saving is throttled (at most one write per conversation every SAVE_MS while events stream),
 * so a reload or a lost GPU loses a fraction of a second at most, never the conversation.
 *
 * Several tabs may show one conversation. A write never puts this tab's copy back whole: it merges it
 * with the record as stored now, in one transaction (persistence/mergeConversation.ts: this tab writes
 * the messages it created and the fields it changed; the rest is taken from the store; a conversation
 * deleted elsewhere stays deleted). Each write is announced on the 'callama-store' channel and the
 * other tabs bring what they show up to the stored record. Calls left unfinished by a closed page read
 * back as "Not run (interrupted)" (reviveMessages, lib/chat/messages.ts).
 */
/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps and Sets are bookkeeping no view reads (views read #list and #current) */
import type { ToolChoice } from '../../lib/types/agent.ts';
import {
  DEFAULT_TITLE,
  newConversation,
  summarize,
  type Conversation,
  type ConversationSummary,
} from '../persistence/conversation.ts';
import { ConversationStore } from '../persistence/conversationStore.ts';
import { downloadConversation } from '../persistence/exportConversation.ts';
import { applyToView, mergeConversation, type SyncInfo } from '../persistence/mergeConversation.ts';
import { storeChannel, type StoreChange, type StoreChannel } from '../persistence/storeChannel.ts';
import { reviveMessages, titleFrom } from './chatMessages.ts';
import { errorMessage } from '../../lib/errors.ts';

const SAVE_MS = 250;

function reactive(plain: Conversation): Conversation {
  const conversation = $state(plain);
  return conversation;
}

/**
 * A plain copy that later changes to `c` do not reach. `$state.snapshot` is one in the browser; the
 * server build (Node tests) returns the object itself.
 */
function copyOf(c: Conversation): Conversation {
  const snapshot = $state.snapshot(c);
  return snapshot === c ? structuredClone(c) : snapshot;
}

export class ConversationsState {
  #store: ConversationStore;
  readonly #channel: StoreChannel;
  readonly #sync = new Map<string, SyncInfo>();
  #list = $state.raw<ConversationSummary[]>([]);
  #current = $state<Conversation | null>(null);
  #ready = $state(false);
  #storageError = $state<string | null>(null);
  #loaded = new Map<string, Conversation>();
  #pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Deleted ids: an answer still streaming into a deleted conversation must not write it back. */
  #removed = new Set<string>();
  #removeListeners = new Set<(id: string) => void>();

  constructor(store = new ConversationStore(), channel: StoreChannel = storeChannel()) {
    this.#store = store;
    this.#channel = channel;
    channel.subscribe((change) => void this.#onRemoteChange(change));
  }

  get list(): ConversationSummary[] {
    return this.#list;
  }
  get current(): Conversation | null {
    return this.#current;
  }
  get ready(): boolean {
    return this.#ready;
  }
  /** Set when storage fails: conversations then live for this visit only. */
  get storageError(): string | null {
    return this.#storageError;
  }

  /** Loads the list and opens the most recent conversation (or a new one). */
  async init(): Promise<void> {
    const list = await this.#try(() => this.#store.list(), []);
    this.#list = list;
    const first = list[0];
    if (first) await this.select(first.id);
    if (!this.#current) this.#open(newConversation());
    this.#ready = true;
  }

  /** Opens a new, empty conversation; the empty one already open is reused instead of piling up. */
  create(): Conversation {
    const current = this.#current;
    if (current && current.messages.length === 0) return current;
    return this.#open(newConversation());
  }

  async select(id: string): Promise<void> {
    const cached = this.#loaded.get(id);
    if (cached) {
      this.#current = cached;
      return;
    }
    const stored = await this.#try(() => this.#store.get(id), undefined);
    if (!stored) return;
    // The base is the record as stored: revived messages are only shown so, never written back (the
    // answer may still be streaming in another tab).
    const base = structuredClone(stored);
    stored.messages = reviveMessages(stored.messages);
    this.#open(stored, false);
    this.#syncOf(id).base = base;
  }

  async rename(id: string, title: string): Promise<void> {
    const clean = title.trim() || DEFAULT_TITLE;
    const c = this.#loaded.get(id);
    if (c) {
      c.title = clean;
      await this.flush(c);
      return;
    }
    // Not open here: rename the CURRENT record, nothing else of it.
    const renamed = await this.#try(
      () => this.#store.update(id, (stored) => stored && { ...stored, title: clean, updatedAt: Date.now() }),
      undefined,
    );
    if (!renamed) return;
    this.#upsertSummary(renamed);
    this.#channel.post({ kind: 'conversation', id });
  }

  /**
   * Calls `listener` with the id of each conversation deleted, before it goes (the chat stops an
   * answer still streaming into it). @returns a function that removes the listener
   */
  onRemove(listener: (id: string) => void): () => void {
    this.#removeListeners.add(listener);
    return () => this.#removeListeners.delete(listener);
  }

  /** Deletes a conversation (the UI asks for confirmation first); opens the next one. */
  async remove(id: string): Promise<void> {
    this.#forget(id);
    await this.#try(() => this.#store.delete(id), undefined);
    this.#channel.post({ kind: 'conversation', id, deleted: true });
    await this.#dropFromView(id);
  }

  /** Stops everything this tab does with a deleted conversation: no answer, no write, no cache. */
  #forget(id: string): void {
    this.#cancelSave(id);
    this.#removed.add(id);
    for (const listener of this.#removeListeners) listener(id);
    this.#loaded.delete(id);
    this.#sync.delete(id);
  }

  async #dropFromView(id: string): Promise<void> {
    this.#list = this.#list.filter((s) => s.id !== id);
    if (this.#current?.id === id) {
      this.#current = null;
      const next = this.#list[0];
      if (next) await this.select(next.id);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- select() above may have opened one
      if (!this.#current) this.#open(newConversation());
    }
  }

  async exportOne(id: string): Promise<void> {
    const c = this.#loaded.get(id) ?? (await this.#try(() => this.#store.get(id), undefined));
    if (c) downloadConversation($state.snapshot(c));
  }

  setSystem(c: Conversation, system: string): void {
    c.system = system;
    this.scheduleSave(c);
  }

  setToolChoice(c: Conversation, toolChoice: ToolChoice): void {
    c.toolChoice = toolChoice;
    this.scheduleSave(c);
  }

  /** The conversation's thinking choice; undefined goes back to the model's default. */
  setThinking(c: Conversation, thinking: boolean | undefined): void {
    if (thinking === undefined) delete c.thinking;
    else c.thinking = thinking;
    this.scheduleSave(c);
  }

  /** Names a new conversation after its first message. */
  nameFromFirstMessage(c: Conversation, text: string): void {
    if (c.title === DEFAULT_TITLE) c.title = titleFrom(text) || DEFAULT_TITLE;
  }

  /** Saves soon: at most one write per SAVE_MS per conversation, whatever the event rate. */
  scheduleSave(c: Conversation): void {
    if (this.#pending.has(c.id)) return;
    this.#pending.set(
      c.id,
      setTimeout(() => void this.flush(c), SAVE_MS),
    );
  }

  /** Saves now (end of a turn, rename, page hide). */
  async flush(c: Conversation): Promise<void> {
    this.#cancelSave(c.id);
    c.updatedAt = Date.now();
    await this.#write(c);
  }

  /** Saves every conversation with a pending write (the page is being hidden or closed). */
  flushAll = (): void => {
    for (const id of [...this.#pending.keys()]) {
      const c = this.#loaded.get(id);
      if (c) void this.flush(c);
    }
  };

  #open(plain: Conversation, isNew = true): Conversation {
    const c = reactive(plain);
    this.#loaded.set(c.id, c);
    this.#current = c;
    if (isNew) this.#upsertSummary(c);
    return c;
  }

  async #write(c: Conversation): Promise<void> {
    if (this.#removed.has(c.id)) return;
    this.#upsertSummary(c);
    // An empty, untitled conversation is not worth a record: it appears in the list but is stored
    // only once it has content.
    if (c.messages.length === 0 && c.title === DEFAULT_TITLE && !c.system && c.thinking === undefined) return;
    await this.#queued(c, true);
  }

  /** Merges of one conversation run one after another, each from the base the one before left. */
  #queued(c: Conversation, write: boolean): Promise<void> {
    const sync = this.#syncOf(c.id);
    const run = sync.queue.then(() => this.#merge(c, sync, write));
    sync.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Merges what this tab shows with the stored record (writing the merge when `write`), then shows the
   * result. A conversation found deleted is dropped from this tab as if deleted here.
   */
  async #merge(c: Conversation, sync: SyncInfo, write: boolean): Promise<void> {
    const snapshot = copyOf(c);
    const baseIds = new Set(sync.base?.messages.map((m) => m.id));
    for (const m of snapshot.messages) if (!baseIds.has(m.id)) sync.owned.add(m.id);
    let deleted = false as boolean; // set inside the update callback
    const next = await this.#try(async () => {
      if (!write) return this.#store.get(c.id);
      return this.#store.update(c.id, (stored) => {
        const merged = mergeConversation({ base: sync.base, local: snapshot, stored, owned: sync.owned });
        deleted = merged === undefined;
        return merged;
      });
    }, null);
    if (next === null || this.#removed.has(c.id)) return; // storage failed: keep showing this tab's copy
    if (!next) {
      if (sync.base || deleted) await this.#deletedElsewhere(c.id);
      return;
    }
    applyToView(c, snapshot, sync.base, next, sync.owned);
    sync.base = next;
    this.#upsertSummary(c);
    if (write) this.#channel.post({ kind: 'conversation', id: c.id });
  }

  /** Another tab wrote or deleted a conversation: show the stored state. */
  async #onRemoteChange(change: StoreChange): Promise<void> {
    if (change.kind !== 'conversation') return;
    if (change.deleted) {
      await this.#deletedElsewhere(change.id);
      return;
    }
    const c = this.#loaded.get(change.id);
    if (c) return this.#queued(c, false);
    const stored = await this.#try(() => this.#store.get(change.id), undefined);
    if (stored && !this.#removed.has(change.id)) this.#upsertSummary(stored);
  }

  async #deletedElsewhere(id: string): Promise<void> {
    if (this.#removed.has(id)) return;
    this.#forget(id);
    await this.#dropFromView(id);
  }

  #syncOf(id: string): SyncInfo {
    const sync = this.#sync.get(id) ?? { base: undefined, owned: new Set<string>(), queue: Promise.resolve() };
    this.#sync.set(id, sync);
    return sync;
  }

  #upsertSummary(c: Conversation): void {
    const summary = summarize(c);
    const rest = this.#list.filter((s) => s.id !== c.id);
    this.#list = [summary, ...rest].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  #cancelSave(id: string): void {
    const timer = this.#pending.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.#pending.delete(id);
  }

  async #try<T>(fn: () => Promise<T>, fallback: T): Promise<T> {
    try {
      const value = await fn();
      this.#storageError = null;
      return value;
    } catch (e) {
      this.#storageError = errorMessage(e);
      return fallback;
    }
  }
}

export const conversationsState = new ConversationsState();
