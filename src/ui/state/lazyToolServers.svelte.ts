/**
 * The MCP tool servers as the rest of the app reads them before any server is used: the tools they
 * add to the registry and which server a called tool belongs to.
 *
 * Design:
 * - The tool-servers state (toolServers.svelte.ts: records, connections, admission, OAuth) and the
 *   code it imports load with the first saved server: at the app's start when one is stored (its
 *   tools are then in the chat again after a reload), when another tab saves one, or when Settings
 *   shows the servers. An app without servers never loads them, so the first screen does not carry them.
 * - The state itself is built by the composition root (`create`, appContext.ts); this object only
 *   decides when, and starts it (connecting its stored servers) once it is built.
 * - Until then there are no tools and no servers: `functions` is empty and `serverFor` finds none,
 *   which is what the state would say with nothing connected yet.
 */
import { loadOnce } from '../../lib/async/loadOnce.ts';
import type { RegisteredFunction } from '../../lib/types/dispatch.ts';
import type { StoreChannel } from '../persistence/storeChannel.ts';
import type { ToolServerRecord, ToolServersState } from './toolServers.svelte.ts';

export const TOOL_SERVERS_KEY = 'callama:toolServers';

export interface LazyToolServersOptions {
  storage: Storage | undefined;
  channel: StoreChannel;
  /** Builds the tool-servers state, importing its module. */
  create: () => Promise<ToolServersState>;
}

/** Whether any server is saved (a cheap look: the records themselves are checked by the state). */
function hasStoredServers(storage: Storage | undefined): boolean {
  try {
    const stored: unknown = JSON.parse(storage?.getItem(TOOL_SERVERS_KEY) ?? '[]');
    return Array.isArray(stored) && stored.length > 0;
  } catch {
    // Unreadable or blocked storage: the state, if ever loaded, reads it the same way and finds none.
    return false;
  }
}

export class LazyToolServers {
  readonly #storage: Storage | undefined;
  #state = $state.raw<ToolServersState | null>(null);
  /**
   * The tool-servers state, loaded (once) and started. A failed load (a chunk missing after an
   * update) may be tried again.
   */
  readonly load: () => Promise<ToolServersState>;

  constructor(options: LazyToolServersOptions) {
    this.#storage = options.storage;
    this.load = loadOnce(async () => {
      const state = await options.create();
      this.#state = state;
      state.start();
      return state;
    });
    if (!options.storage) return;
    // Another tab saved a server: this tab loads the state, which connects it as it would have.
    options.channel.subscribe((change) => {
      if (change.kind === 'local' && change.key === TOOL_SERVERS_KEY) this.#loadIfStored();
    });
    if (typeof globalThis.addEventListener === 'function') {
      globalThis.addEventListener('storage', (e: StorageEvent) => {
        if (e.storageArea === this.#storage && (e.key === TOOL_SERVERS_KEY || e.key === null)) this.#loadIfStored();
      });
    }
  }

  /** The enabled tools of the connected servers, as functions for the registry (none before loading). */
  get functions(): RegisteredFunction[] {
    return this.#state?.functions ?? [];
  }

  /** The server whose tool the model calls by `functionName`, if any. */
  serverFor(functionName: string): ToolServerRecord | undefined {
    return this.#state?.serverFor(functionName);
  }

  /** The app's start: loads the state and connects the stored servers, when there are any. */
  start(): void {
    this.#loadIfStored();
  }

  #loadIfStored(): void {
    if (this.#state || !hasStoredServers(this.#storage)) return;
    this.load().catch((error: unknown) => {
      console.error('Callama: the tool servers could not be loaded:', error);
    });
  }
}
