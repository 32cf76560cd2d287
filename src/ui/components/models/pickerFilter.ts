/**
 * What the picker shows, decided without the DOM: the search and filters over the rows, their order
 * (the suggested model first), the plain one-line summary of each model, and the one note about f16
 * builds said once at the top instead of on every card.
 */
import { formatBytes } from '../../../engine/cache.ts';
import type { CatalogModel } from '../../../engine/catalog.ts';
import type { PickerRow } from './pickerItems.ts';

export type ReasoningFilter = 'any' | 'reasons' | 'direct';
export type SizeFilter = 'any' | 'small' | 'medium' | 'large';

export interface PickerFilter {
  query: string;
  /** Only models with a variant this GPU can run (shader-f16, buffer limits). */
  fitsGpu: boolean;
  reasoning: ReasoningFilter;
  size: SizeFilter;
}

export const NO_FILTER: PickerFilter = { query: '', fitsGpu: false, reasoning: 'any', size: 'any' };

/** Download-size bands (MB, 10^6 bytes): a phone or slow line, an ordinary laptop, a strong GPU. */
const SMALL_MAX_MB = 1500;
const MEDIUM_MAX_MB = 3000;

export const SIZE_LABELS: Record<SizeFilter, string> = {
  any: 'Any size',
  small: 'Small (under 1.5 GB)',
  medium: 'Medium (1.5–3 GB)',
  large: 'Large (over 3 GB)',
};

export const REASONING_LABELS: Record<ReasoningFilter, string> = {
  any: 'Reasoning or not',
  reasons: 'Thinks before answering',
  direct: 'Answers directly',
};

/** The variant a row stands for: the one this GPU would load, else (when none can run) its first. */
export function shownVariant(row: PickerRow): CatalogModel | undefined {
  return row.chosen ?? row.variants[0];
}

export function sizeOf(model: CatalogModel): Exclude<SizeFilter, 'any'> {
  if (model.downloadMB < SMALL_MAX_MB) return 'small';
  if (model.downloadMB <= MEDIUM_MAX_MB) return 'medium';
  return 'large';
}

/**
 * Every word of the query must begin a word of the model's name, family or web-llm id (any case):
 * "qwen3" finds Qwen3 and Qwen3.5, but "8b" finds the 8B models and not "0.8B".
 */
export function matchesQuery(row: PickerRow, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const model = shownVariant(row);
  const tokens = [row.displayName, row.baseId, model?.family ?? '']
    .join(' ')
    .toLowerCase()
    .split(/[\s()_-]+/);
  return words.every((w) => tokens.some((t) => t.startsWith(w)));
}

export function matchesFilter(row: PickerRow, filter: PickerFilter): boolean {
  const model = shownVariant(row);
  if (!model) return false;
  if (filter.fitsGpu && !row.chosen) return false;
  if (filter.reasoning === 'reasons' && model.reasoning === 'none') return false;
  if (filter.reasoning === 'direct' && model.reasoning !== 'none') return false;
  if (filter.size !== 'any' && sizeOf(model) !== filter.size) return false;
  return matchesQuery(row, filter.query);
}

/**
 * The rows to show, in order: the suggested model first, then the ones this GPU can run, then the
 * rest; each group keeps the catalog's smallest-first order (the sort is stable).
 */
export function visibleRows(rows: readonly PickerRow[], filter: PickerFilter, suggestedId?: string): PickerRow[] {
  const rank = (row: PickerRow) => (row.chosen && row.chosen.id === suggestedId ? 0 : row.chosen ? 1 : 2);
  return rows.filter((row) => matchesFilter(row, filter)).sort((a, b) => rank(a) - rank(b));
}

export function isFiltered(filter: PickerFilter): boolean {
  return (
    filter.query.trim() !== '' || filter.fitsGpu || filter.reasoning !== NO_FILTER.reasoning || filter.size !== 'any'
  );
}

/**
 * What a model is good for, in a few plain words, from what the catalog knows: how it learned to call
 * functions, whether it reasons first, and its size (the notes in catalog.data.ts say the same per
 * model: the smallest miss arguments, 3–4B pick well between several functions, 7B+ are strongest).
 */
export function goodFor(model: CatalogModel): string {
  if (model.toolCalling === 'prompted') return 'chat; calls functions only when told how in the prompt';
  if (model.reasoning === 'always') return 'multi-step requests (reasons first, so slower)';
  if (model.paramsB < 1) return 'one simple function at a time';
  if (model.paramsB < 2.5) return 'everyday functions';
  if (model.paramsB < 6) return 'choosing between several functions';
  return 'harder requests with many functions';
}

/** "Good for: everyday functions · 963 MB · 1.9 GB GPU memory". */
export function summaryLine(model: CatalogModel): string {
  const parts = [
    `Good for: ${goodFor(model)}`,
    `${model.downloadIsEstimate ? '≈ ' : ''}${formatBytes(model.downloadMB * 1e6)}`,
  ];
  if (model.vramMB !== undefined) parts.push(`${formatBytes(model.vramMB * 1e6)} GPU memory`);
  return parts.join(' · ');
}

/**
 * Variants the card itself must explain. An f16 build replaced by its q4f32 sibling is said once at
 * the top (f16Note), so only other reasons remain — and every reason when nothing of the model runs.
 */
export function cardWarnings(row: PickerRow): PickerRow['unavailable'] {
  const chosen = row.chosen;
  if (!chosen) return row.unavailable;
  return row.unavailable.filter((v) => v.f32SiblingId !== chosen.id);
}

/** The once-at-the-top note when this GPU lacks shader-f16 and the picker chose q4f32 builds. */
export function f16Note(rows: readonly PickerRow[], hasF16: boolean): string | undefined {
  if (hasF16) return undefined;
  const replaced = rows.filter((r) => r.chosen && r.unavailable.some((v) => v.f32SiblingId === r.chosen?.id));
  if (replaced.length === 0) return undefined;
  const f16Only = rows.filter((r) => !r.chosen && r.unavailable.some((v) => v.needsF16)).length;
  const lost =
    f16Only === 0
      ? ''
      : ` ${f16Only === 1 ? 'One model is' : `${f16Only} models are`} built only for shader-f16 and cannot run here.`;
  return (
    'This GPU has no shader-f16, so the q4f16_1 builds cannot run; each model here uses its q4f32_1 build ' +
    `instead: the same model, a slightly larger download and more GPU memory.${lost}`
  );
}

/** Plain words for the technical fields behind a card's Details. */
export function variantExplained(model: CatalogModel): string {
  const q = model.quantization;
  const weights = /^q4/.test(q) ? '4-bit weights' : /^q0/.test(q) ? 'unquantized weights' : 'compressed weights';
  const math = /f16/.test(q)
    ? '16-bit math on the GPU (needs shader-f16)'
    : '32-bit math on the GPU (runs on any WebGPU)';
  return `${weights}, ${math}.`;
}

export function formatExplained(model: CatalogModel): string {
  return model.toolCalling === 'native'
    ? 'How functions and calls are written in the prompt: the syntax this model was trained on.'
    : 'How functions and calls are written in the prompt: plain instructions, as this model was not trained on calls.';
}

export function contextExplained(tokens: number): string {
  return `The most the model reads at once (≈ ${Math.round((tokens * 0.75) / 100) * 100} words): conversation, function definitions and answer together.`;
}
