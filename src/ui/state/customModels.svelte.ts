/**
 * The user's custom models ("Add a custom model"), kept across visits in localStorage.
 *
 * A handful of small records read synchronously at start, so the picker and `EngineState.load()` can
 * resolve a custom id before any async storage opens. Every record is checked by the engine's
 * `validateCustomModel` before it is saved; records read back are shape-checked again, so a hand-edited
 * or older entry can never reach the engine half-formed.
 *
 * Kept as SavedRecords (savedRecords.svelte.ts), like the server models: adding and removing change the
 * current stored list, so a model added in another tab is kept.
 */
import type { CustomModelField, CustomModelInput, ValidateOptions } from '../../engine/customModelForm.ts';
import type { CustomModelRecord } from '../../engine/customModelRecord.ts';
import { isFormatId } from '../../lib/formats/index.ts';
import type { StoreChannel } from '../persistence/storeChannel.ts';
import { SavedRecords } from './savedRecords.svelte.ts';

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

export class CustomModelsState {
  readonly #records: SavedRecords<CustomModelRecord>;

  constructor(storage: Storage | undefined = globalThis.localStorage, channel?: StoreChannel) {
    this.#records = new SavedRecords({ storage, key: 'callama:customModels', isRecord, channel });
  }

  get all(): CustomModelRecord[] {
    return this.#records.all;
  }

  find(id: string): CustomModelRecord | undefined {
    return this.#records.find(id);
  }

  /**
   * Validates and saves a custom model. Field errors come back keyed by form field (the first message
   * for each), ready to show next to the field.
   */
  async add(input: CustomModelInput, fetchFn?: ValidateOptions['fetch']): Promise<AddCustomModelResult> {
    // Ids taken in any tab, not only the ones this tab has heard of.
    const options: ValidateOptions = { existingIds: this.#records.storedIds() };
    if (fetchFn) options.fetch = fetchFn;
    // The checks load with the first model added: the first screen does not need them.
    const { validateCustomModel } = await import('../../engine/customModelForm.ts');
    const result = await validateCustomModel(input, options);
    if (!result.ok) {
      const errors: Partial<Record<CustomModelField, string>> = {};
      for (const e of result.errors) errors[e.field] ??= e.message;
      return { ok: false, errors };
    }
    // A record of the same id added meanwhile in another tab (during the checks above) is replaced.
    this.#records.save(result.record);
    return result;
  }

  remove(id: string): void {
    this.#records.remove(id);
  }
}
