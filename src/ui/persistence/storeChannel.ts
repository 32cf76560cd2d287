/**
 * Tells the app's other open tabs that something stored changed, so they re-read it and show it.
 *
 * Every tab writes changes to the CURRENT stored value (never a stale copy of its own), so a missed
 * message only delays what another tab shows; it never loses data. The message says which thing
 * changed (a localStorage key, a conversation id, the user functions), never the value: the receiver
 * reads the store, which is the one source of truth.
 *
 * BroadcastChannel does not deliver to the sender itself, and is missing in very old browsers and some
 * test environments: then nothing is sent, and tabs catch up on their next read.
 */
export const STORE_CHANNEL_NAME = 'callama-store';

export type StoreChange =
  /** A localStorage key was rewritten (consent, settings, toggles, custom models). */
  | { kind: 'local'; key: string }
  /** A conversation was written (`deleted`: removed). */
  | { kind: 'conversation'; id: string; deleted?: boolean }
  /** The user functions changed (added, toggled, deleted). */
  | { kind: 'userFunctions' };

export type StoreListener = (change: StoreChange) => void;

export class StoreChannel {
  readonly #channel: BroadcastChannel | undefined;
  readonly #listeners = new Set<StoreListener>();

  constructor(name = STORE_CHANNEL_NAME) {
    this.#channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined;
    this.#channel?.addEventListener('message', (e: MessageEvent<unknown>) => {
      const change = asChange(e.data);
      if (change) for (const listener of this.#listeners) listener(change);
    });
    // Node's BroadcastChannel keeps the process alive while open; a page's does not matter.
    (this.#channel as { unref?: () => void } | undefined)?.unref?.();
  }

  /** Tells the other tabs. */
  post(change: StoreChange): void {
    try {
      this.#channel?.postMessage(change);
    } catch {
      // A closed channel (page unloading): the other tabs catch up on their next read.
    }
  }

  /** @returns a function that removes the listener */
  subscribe(listener: StoreListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#listeners.clear();
    this.#channel?.close();
  }
}

/** Messages come from other tabs of this origin, possibly another version of the app: checked. */
function asChange(data: unknown): StoreChange | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const o = data as Record<string, unknown>;
  if (o.kind === 'local' && typeof o.key === 'string') return { kind: 'local', key: o.key };
  if (o.kind === 'conversation' && typeof o.id === 'string')
    return { kind: 'conversation', id: o.id, deleted: o.deleted === true };
  if (o.kind === 'userFunctions') return { kind: 'userFunctions' };
  return undefined;
}

let shared: StoreChannel | undefined;

/** The app's one channel (each state class subscribes to it). */
export function storeChannel(): StoreChannel {
  shared ??= new StoreChannel();
  return shared;
}
