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
 *
 * The list comes from the stored summaries (persistence/conversationStore.ts), not from the records;
 * only a conversation that is opened is read whole. A record this version cannot read (saved by a
 * newer one, or damaged) stays in the list marked unreadable, and is never written over.
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
import { UnreadableRecordError } from '../persistence/storedConversation.ts';
import { downloadConversation } from '../persistence/exportConversation.ts';
import { applyToView, mergeConversation, type SyncInfo } from '../persistence/mergeConversation.ts';
import { storeChannel, type StoreChange, type StoreChannel } from '../persistence/storeChannel.ts';
import { answerText, reviveMessages, titleFrom, type Message } from './chatMessages.ts';
import { parseConversationExport } from '../persistence/importConversation.ts';
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

  /** The system prompt a new conversation starts with (Settings). */
  readonly #defaultSystem: () => string;

  constructor(
    store = new ConversationStore(),
    channel: StoreChannel = storeChannel(),
    options: { defaultSystem?: () => string } = {},
  ) {
    this.#store = store;
    this.#channel = channel;
    this.#defaultSystem = options.defaultSystem ?? (() => '');
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
    const first = list.find((s) => !s.unreadable);
    if (first) await this.select(first.id);
    if (!this.#current) this.#open(this.#fresh());
    this.#ready = true;
  }

  /** Opens a new, empty conversation; the empty one already open is reused instead of piling up. */
  create(): Conversation {
    const current = this.#current;
    if (current && current.messages.length === 0) {
      // Not stored yet (nothing typed): it takes up a default system prompt set since it was opened.
      if (current.system === '') current.system = this.#defaultSystem();
      return current;
    }
    return this.#open(this.#fresh());
  }

  /** A new conversation, with the default system prompt of the moment. */
  #fresh(): Conversation {
    return { ...newConversation(), system: this.#defaultSystem() };
  }

  async select(id: string): Promise<void> {
    const cached = this.#loaded.get(id);
    if (cached) {
      this.#current = cached;
      return;
    }
    const stored = await this.#try(() => this.#store.get(id), undefined, id);
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
      id,
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
      const next = this.#list.find((s) => !s.unreadable);
      if (next) await this.select(next.id);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- select() above may have opened one
      if (!this.#current) this.#open(this.#fresh());
    }
  }

  async exportOne(id: string): Promise<void> {
    const c = this.#loaded.get(id) ?? (await this.#try(() => this.#store.get(id), undefined, id));
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

  /** Switches function `name` off (or back on) for this conversation only. */
  setFunctionOff(c: Conversation, name: string, off: boolean): void {
    const now = (c.functionsOff ?? []).filter((n) => n !== name);
    if (off) now.push(name);
    if (now.length === 0) delete c.functionsOff;
    else c.functionsOff = now;
    this.scheduleSave(c);
  }

  /**
   * This tab changes or drops these messages of `c` (Regenerate, Continue, Edit and resend, a version
   * switch): the merge then writes this tab's version of them, or their removal, even when another tab
   * created them (persistence/mergeConversation.ts writes only the messages a tab owns).
   */
  claim(c: Conversation, ids: readonly string[]): void {
    const sync = this.#syncOf(c.id);
    for (const id of ids) sync.owned.add(id);
  }

  /**
   * Imports a file made by Export, as a new conversation, and opens it. The file is checked whole
   * first (persistence/importConversation.ts): on any problem nothing is stored and the error says why.
   * @throws ConversationImportError for a file that is not a valid export
   * @throws ConversationStoreError when storage fails (nothing is listed then)
   */
  async importFile(text: string): Promise<Conversation> {
    const imported = parseConversationExport(text);
    await this.#store.put(imported);
    const c = this.#open(imported, false);
    const sync = this.#syncOf(c.id);
    sync.base = structuredClone(imported);
    this.#upsertSummary(c);
    this.#channel.post({ kind: 'conversation', id: c.id });
    return c;
  }

  /**
   * The ids of the listed conversations whose title or text (what the user wrote and the answers
   * shown) contains `query`, ignoring case, in list order. Each conversation's text is read once per
   * version of it (kept by id and updatedAt), so typing in the search box reads storage once.
   */
  async search(query: string): Promise<string[]> {
    const needle = query.trim().toLocaleLowerCase();
    if (needle === '') return this.#list.map((s) => s.id);
    const hits: string[] = [];
    for (const summary of this.#list) {
      if (summary.title.toLocaleLowerCase().includes(needle)) {
        hits.push(summary.id);
        continue;
      }
      const text = await this.#searchText(summary);
      if (text.includes(needle)) hits.push(summary.id);
    }
    return hits;
  }

  // A cache the view never reads: no reactivity needed.
  readonly #texts = new Map<string, { updatedAt: number; text: string }>();

  async #searchText(summary: ConversationSummary): Promise<string> {
    const known = this.#texts.get(summary.id);
    const open = this.#loaded.get(summary.id);
    if (known && known.updatedAt === summary.updatedAt && !open) return known.text;
    const c = open ?? (await this.#try(() => this.#store.get(summary.id), undefined));
    const text = c ? searchableText(c.messages) : '';
    this.#texts.set(summary.id, { updatedAt: summary.updatedAt, text });
    return text;
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

  /**
   * A conversation nothing was sent in yet and that was never stored: it is open (its options can be
   * set) but neither listed nor stored; the first send creates it. So the list never shows an empty
   * "New conversation · 0 messages".
   */
  #unsent(c: Conversation): boolean {
    return c.messages.length === 0 && this.#sync.get(c.id)?.base === undefined;
  }

  async #write(c: Conversation): Promise<void> {
    if (this.#removed.has(c.id) || this.#unsent(c)) return;
    this.#upsertSummary(c);
    await this.#queued(c, true);
  }

  /**
   * Merges of one conversation run one after another, each from the base the one before left. Writes
   * asked for while one waits its turn are that one (see SyncInfo.waitingWrite): however often a save
   * is asked for, at most one copy waits.
   */
  #queued(c: Conversation, write: boolean): Promise<void> {
    const sync = this.#syncOf(c.id);
    if (write && sync.waitingWrite) return sync.waitingWrite;
    const run = sync.queue.then(() => {
      if (write) sync.waitingWrite = undefined;
      return this.#merge(c, sync, write);
    });
    if (write) sync.waitingWrite = run;
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
    // Set inside the update callback, which TypeScript does not see run.
    const outcome = { deleted: false };
    const next = await this.#try(
      async () => {
        if (!write) return this.#store.get(c.id);
        return this.#store.update(c.id, (stored) => {
          const merged = mergeConversation({ base: sync.base, local: snapshot, stored, owned: sync.owned });
          outcome.deleted = merged === undefined;
          return merged;
        });
      },
      null,
      c.id,
    );
    if (next === null || this.#removed.has(c.id)) return; // storage failed: keep showing this tab's copy
    if (!next) {
      if (sync.base || outcome.deleted) await this.#deletedElsewhere(c.id);
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
    // Not open here: its summary is all the list needs.
    const summary = await this.#try(() => this.#store.summary(change.id), undefined);
    if (summary && !this.#removed.has(change.id)) this.#setSummary(summary);
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
    if (this.#unsent(c)) return;
    this.#setSummary(summarize(c));
  }

  #setSummary(summary: ConversationSummary): void {
    const rest = this.#list.filter((s) => s.id !== summary.id);
    this.#list = [summary, ...rest].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  #cancelSave(id: string): void {
    const timer = this.#pending.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.#pending.delete(id);
  }

  /**
   * Runs a storage operation; a failure is shown (storageError) and `fallback` returned.
   * @param id the conversation whose record is read: when it cannot be read here, the list marks it
   *   unreadable instead (one record is not a storage failure)
   */
  async #try<T>(fn: () => Promise<T>, fallback: T, id?: string): Promise<T> {
    try {
      const value = await fn();
      this.#storageError = null;
      return value;
    } catch (e) {
      if (e instanceof UnreadableRecordError && id !== undefined) {
        this.#list = this.#list.map((s) => (s.id === id ? { ...s, unreadable: e.reason } : s));
      } else {
        this.#storageError = errorMessage(e);
      }
      return fallback;
    }
  }
}

/**
 * What search looks in: the user's messages and the answers shown (their text, and what their turns
 * gave the model), lower-cased.
 */
function searchableText(messages: readonly Message[]): string {
  return messages
    .flatMap((m) =>
      m.role === 'user'
        ? [m.content]
        : [answerText(m), ...m.turns.filter((t) => t.role === 'assistant').map((t) => t.content)],
    )
    .join('\n')
    .toLocaleLowerCase();
}
