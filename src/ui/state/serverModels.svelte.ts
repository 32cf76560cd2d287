/**
 * The user's server models ("Run on a server"), kept across visits in localStorage like the custom
 * models (customModels.svelte.ts): a few small records read synchronously at start, so a saved
 * server model resolves before anything async opens. Every record passes the engine's
 * `validateServerModel` before it is saved (with this build's connect-src check), and records read
 * back are shape-checked again. An API key, when given, is stored with its record in this browser.
 */
import {
  isServerModelRecord,
  validateServerModel,
  type ServerModelInput,
  type ServerModelRecord,
  type ServerModelValidation,
} from '../../engine/server/serverModel.ts';
import { connectAllowed } from '../../security/connectPolicy.ts';
import { SharedLocalValue } from '../persistence/sharedLocalValue.ts';
import type { StoreChannel } from '../persistence/storeChannel.ts';

const STORAGE_KEY = 'callama:serverModels';

function parseStored(text: string | null): ServerModelRecord[] {
  try {
    const parsed: unknown = text ? JSON.parse(text) : [];
    return Array.isArray(parsed) ? parsed.filter(isServerModelRecord) : [];
  } catch {
    // Unreadable or blocked storage: start empty rather than fail the app.
    return [];
  }
}

export class ServerModelsState {
  readonly #stored: SharedLocalValue<ServerModelRecord[]>;
  readonly #allowed: (url: string) => boolean;
  #items = $state.raw<ServerModelRecord[]>([]);

  constructor(
    storage: Storage | undefined = globalThis.localStorage,
    channel?: StoreChannel,
    allowed: (url: string) => boolean = (url) => connectAllowed(url),
  ) {
    this.#allowed = allowed;
    this.#stored = new SharedLocalValue({
      storage,
      key: STORAGE_KEY,
      parse: parseStored,
      channel,
      onChange: (v) => (this.#items = v),
    });
    this.#items = this.#stored.read();
  }

  get all(): ServerModelRecord[] {
    return this.#items;
  }

  find(id: string): ServerModelRecord | undefined {
    return this.#items.find((m) => m.id === id);
  }

  /** Validates and saves a server model; errors come back keyed by form field. */
  add(input: ServerModelInput): ServerModelValidation {
    const result = validateServerModel(
      input,
      this.#allowed,
      this.#stored.read().map((m) => m.id),
    );
    if (!result.ok) return result;
    const record = result.record;
    this.#items = this.#stored.update((current) => [...current.filter((m) => m.id !== record.id), record]);
    return result;
  }

  remove(id: string): void {
    this.#items = this.#stored.update((current) => current.filter((m) => m.id !== id));
  }
}
