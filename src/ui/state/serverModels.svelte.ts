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
import type { StoreChannel } from '../persistence/storeChannel.ts';
import { SavedRecords } from './savedRecords.svelte.ts';

export class ServerModelsState {
  readonly #records: SavedRecords<ServerModelRecord>;
  readonly #allowed: (url: string) => boolean;

  constructor(
    storage: Storage | undefined = globalThis.localStorage,
    channel?: StoreChannel,
    allowed: (url: string) => boolean = (url) => connectAllowed(url),
  ) {
    this.#allowed = allowed;
    this.#records = new SavedRecords({ storage, key: 'callama:serverModels', isRecord: isServerModelRecord, channel });
  }

  get all(): ServerModelRecord[] {
    return this.#records.all;
  }

  find(id: string): ServerModelRecord | undefined {
    return this.#records.find(id);
  }

  /** Validates and saves a server model; errors come back keyed by form field. */
  add(input: ServerModelInput): ServerModelValidation {
    const result = validateServerModel(input, this.#allowed, this.#records.storedIds());
    if (result.ok) this.#records.save(result.record);
    return result;
  }

  remove(id: string): void {
    this.#records.remove(id);
  }
}
