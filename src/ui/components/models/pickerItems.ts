/**
 * The picker's rows: one per model (web-llm base id), showing the variant this GPU can run (q4f32
 * when shader-f16 is missing) and, for the variants it cannot, the reason. Custom models follow.
 */
import { catalogFor, pickVariant, type CatalogItem, type GpuCapabilities } from '../../../engine/catalog.ts';

export interface PickerRow {
  baseId: string;
  displayName: string;
  /** The variant to load on this GPU; undefined when none can run. */
  chosen?: CatalogItem;
  /** Every variant of this model, runnable or not. */
  variants: CatalogItem[];
  /** Variants this GPU cannot run, each with its reason. */
  unavailable: CatalogItem[];
}

export function pickerRows(gpu: GpuCapabilities): PickerRow[] {
  const items = catalogFor(gpu);
  const byBase = new Map<string, CatalogItem[]>();
  for (const item of items) byBase.set(item.baseId, [...(byBase.get(item.baseId) ?? []), item]);
  const rows: PickerRow[] = [];
  for (const [baseId, variants] of byBase) {
    // Prefer the variant pickVariant chooses from the f16 build (it falls back to q4f32 when needed).
    const first = variants.find((v) => v.needsF16) ?? variants[0];
    const picked = first ? pickVariant(first, gpu) : undefined;
    const chosen = picked ? variants.find((v) => v.id === picked.id) : variants.find((v) => v.runnable);
    rows.push({
      baseId,
      displayName: variants[0]?.displayName ?? baseId,
      ...(chosen ? { chosen } : {}),
      variants,
      unavailable: variants.filter((v) => !v.runnable),
    });
  }
  return rows;
}
