/**
 * The user's custom models ("Add a custom model"), kept across visits in localStorage.
 *
 * A handful of small records read synchronously at start, so the picker and `EngineState.load()` can
 * resolve a custom id before any async storage opens. Every record is checked by the engine's
 * `validateCustomModel` before it is saved; records read back are shape-checked again, so a hand-edited
 * or older entry can never reach the engine half-formed.
 *
 * Adding and removing change the CURRENT stored list (persistence/sharedLocalValue.ts), so a model added
 * in another tab is kept; other tabs show it once the 'callama-store' broadcast arrives.
 */
import {
  validateCustomModel,
  type CustomModelField,
  type CustomModelInput,
  type ValidateOptions,
} from '../../engine/customModelForm.ts';
import type { CustomModelRecord } from '../../engine/customModelRecord.ts';
import { isFormatId } from '../../lib/formats/index.ts';
import { SharedLocalValue } from '../persistence/sharedLocalValue.ts';
import type { StoreChannel } from '../persistence/storeChannel.ts';

const STORAGE_KEY = 'callama:customModels';

export type AddCustomModelResult =
  | { ok: true; record: CustomModelRecord; warnings: string[] }
  | { ok: false; errors: Partial<Record<CustomModelField, string>> };

function isRecord(value: unknown): value is CustomModelRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Record<keyof CustomModelRecord, unknown>>;
  return (
    typeof r.id === 'string' &&
    typeof r.displayName === 'string' &&
    typeof r.modelUrl === 'string' &&
    typeof r.modelLibUrl === 'string' &&
    typeof r.formatId === 'string' &&
    isFormatId(r.formatId) &&
    Array.isArray(r.requiredFeatures)
  );
}

function parseStored(text: string | null): CustomModelRecord[] {
  try {
    const parsed: unknown = text ? JSON.parse(text) : [];
    return Array.isArray(parsed) ? parsed.filter(isRecord) : [];
  } catch {
    // Unreadable or blocked storage: start empty rather than fail the app.
    return [];
  }
}

export class CustomModelsState {
  readonly #stored: SharedLocalValue<CustomModelRecord[]>;
  #items = $state.raw<CustomModelRecord[]>([]);

  constructor(storage: Storage | undefined = globalThis.localStorage, channel?: StoreChannel) {
    this.#stored = new SharedLocalValue({
      storage,
      key: STORAGE_KEY,
      parse: parseStored,
      channel,
      onChange: (v) => (this.#items = v),
    });
    this.#items = this.#stored.read();
  }

  get all(): CustomModelRecord[] {
    return this.#items;
  }

  find(id: string): CustomModelRecord | undefined {
    return this.#items.find((m) => m.id === id);
  }

  /**
   * Validates and saves a custom model. Field errors come back keyed by form field (the first message
   * for each), ready to show next to the field.
   */
  async add(input: CustomModelInput, fetchFn?: ValidateOptions['fetch']): Promise<AddCustomModelResult> {
    // Ids taken in any tab, not only the ones this tab has heard of.
    const options: ValidateOptions = { existingIds: this.#stored.read().map((m) => m.id) };
    if (fetchFn) options.fetch = fetchFn;
    const result = await validateCustomModel(input, options);
    if (!result.ok) {
      const errors: Partial<Record<CustomModelField, string>> = {};
      for (const e of result.errors) errors[e.field] ??= e.message;
      return { ok: false, errors };
    }
    const record = result.record;
    // A record of the same id added meanwhile in another tab (during the checks above) is replaced.
    this.#items = this.#stored.update((current) => [...current.filter((m) => m.id !== record.id), record]);
    return result;
  }

  remove(id: string): void {
    this.#items = this.#stored.update((current) => current.filter((m) => m.id !== id));
  }
}
