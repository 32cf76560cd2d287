/**
 * The model catalog: web-llm's prebuilt records for the models that call functions well
 * (catalog.generated.json, made by scripts/genCatalog.mjs) joined with our notes (catalog.data.ts).
 * Main-thread safe: no web-llm import.
 *
 * Which variants a GPU can run:
 * - any f16 quantization (q4f16_1) compiles its kernels with WGSL `enable f16`, so it needs the
 *   `shader-f16` feature — even when web-llm's record does not list it in `required_features`
 *   (its Qwen2.5 q4f16 records don't), so we decide from the quantization, not from the record;
 * - a record's `buffer_size_required_bytes`, when present, must fit maxStorageBufferBindingSize.
 */
import generated from './catalog.generated.json';
import type { GeneratedVariant } from '../../scripts/genCatalog.mjs';
import { MODEL_NOTES, type ModelFamily, type ReasoningInfo } from './catalog.data.ts';
import type { FormatId } from '../lib/formats/index.ts';

/** One web-llm build. `reasoning` (and `thinkingDefault` for 'toggle') come from ReasoningInfo. */
export type CatalogModel = ReasoningInfo & {
  /** web-llm's model_id, e.g. "Qwen2.5-1.5B-Instruct-q4f32_1-MLC". */
  id: string;
  baseId: string;
  displayName: string;
  family: ModelFamily;
  /** Parameter count in billions. */
  paramsB: number;
  quantization: string;
  /** Download size in MB (10^6 bytes). web-llm records carry none, so this is always an estimate. */
  downloadMB: number;
  downloadIsEstimate: boolean;
  /** web-llm's vram_required_MB. */
  vramMB?: number;
  contextWindow?: number;
  formatId: FormatId;
  toolCalling: 'native' | 'prompted';
  needsF16: boolean;
  /** The f32 sibling of an f16 variant (same model, runs without shader-f16), when web-llm builds one. */
  f32SiblingId?: string;
  /** The f16 sibling of an f32 variant. */
  f16SiblingId?: string;
  lowResource: boolean;
  bufferSizeRequiredBytes?: number;
  modelUrl: string;
  modelLibUrl: string;
  notes: string;
};

export interface GpuCapabilities {
  hasF16: boolean;
  maxBufferSize?: number;
  maxStorageBufferBindingSize?: number;
}

export type CatalogItem = CatalogModel & { runnable: boolean; reason?: string };

/** web-llm's library ABI version the generated records were built for, e.g. "v0_2_86/base". */
export const CATALOG_MODEL_VERSION: string = generated.modelVersion;

/** Bits stored per weight: 4-bit values plus one scale per group of 32 (f16 scale → +0.5, f32 → +1). */
function bitsPerWeight(quantization: string): number {
  if (/^q4f16/.test(quantization)) return 4.5;
  if (/^q4f32/.test(quantization)) return 5;
  if (/^q0f16/.test(quantization)) return 16;
  if (/^q0f32/.test(quantization)) return 32;
  return 5;
}

export function estimateDownloadMB(paramsB: number, quantization: string): number {
  return Math.round((paramsB * 1e9 * bitsPerWeight(quantization)) / 8 / 1e6);
}

/** Just the reasoning fields, so a model never carries a thinkingDefault it cannot have. */
function reasoningOf(notes: ReasoningInfo): ReasoningInfo {
  return notes.reasoning === 'toggle'
    ? { reasoning: 'toggle', thinkingDefault: notes.thinkingDefault }
    : { reasoning: notes.reasoning };
}

function build(): CatalogModel[] {
  // Typed as genCatalog writes it (null where web-llm has no value), not as today's JSON happens to be.
  const variants: GeneratedVariant[] = generated.variants;
  const ids = new Set(variants.map((v) => v.modelId));
  const out: CatalogModel[] = [];
  for (const v of variants) {
    const notes = MODEL_NOTES[v.baseId];
    if (!notes) continue;
    const needsF16 = /f16/.test(v.quantization) || v.requiredFeatures.includes('shader-f16');
    const f32 = v.modelId.replace(/q4f16_1/, 'q4f32_1');
    const f16 = v.modelId.replace(/q4f32_1/, 'q4f16_1');
    const model: CatalogModel = {
      id: v.modelId,
      baseId: v.baseId,
      displayName: notes.displayName,
      family: notes.family,
      paramsB: notes.paramsB,
      quantization: v.quantization,
      downloadMB: estimateDownloadMB(notes.paramsB, v.quantization),
      downloadIsEstimate: true,
      formatId: notes.formatId,
      toolCalling: notes.toolCalling,
      needsF16,
      lowResource: v.lowResource,
      modelUrl: v.model,
      modelLibUrl: v.modelLib,
      notes: notes.notes,
      ...reasoningOf(notes),
    };
    if (v.vramMB !== null) model.vramMB = v.vramMB;
    if (v.contextWindow !== null) model.contextWindow = v.contextWindow;
    if (v.bufferSizeRequiredBytes !== null) model.bufferSizeRequiredBytes = v.bufferSizeRequiredBytes;
    if (needsF16 && f32 !== v.modelId && ids.has(f32)) model.f32SiblingId = f32;
    if (!needsF16 && f16 !== v.modelId && ids.has(f16)) model.f16SiblingId = f16;
    out.push(model);
  }
  // Smallest first: the order a first-time visitor should consider them in. Ties by id, compared by
  // code unit: the ids are ASCII, and localeCompare's first call sets up the browser's collator
  // (tens of ms on a slow machine) while the first screen is being built.
  return out.sort((a, b) => a.paramsB - b.paramsB || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export const CATALOG: readonly CatalogModel[] = build();

export function findModel(id: string): CatalogModel | undefined {
  return CATALOG.find((m) => m.id === id);
}

/** Why `model` cannot run on `gpu`, or undefined when it can. */
export function whyNotRunnable(model: CatalogModel, gpu: GpuCapabilities): string | undefined {
  if (model.needsF16 && !gpu.hasF16) {
    return model.f32SiblingId
      ? `Needs shader-f16, which this GPU lacks; use ${model.f32SiblingId}.`
      : 'Needs shader-f16, which this GPU lacks, and web-llm has no q4f32 build of it.';
  }
  const limit = gpu.maxStorageBufferBindingSize ?? gpu.maxBufferSize;
  if (model.bufferSizeRequiredBytes !== undefined && limit !== undefined && limit < model.bufferSizeRequiredBytes) {
    return `Needs GPU buffers of ${Math.round(model.bufferSizeRequiredBytes / 2 ** 20)} MiB; this GPU allows ${Math.round(limit / 2 ** 20)} MiB.`;
  }
  return undefined;
}

/** The whole catalog, each model marked runnable or not (with the reason) on this GPU. */
export function catalogFor(gpu: GpuCapabilities): CatalogItem[] {
  return CATALOG.map((m) => {
    const reason = whyNotRunnable(m, gpu);
    return reason === undefined ? { ...m, runnable: true } : { ...m, runnable: false, reason };
  });
}

/** The variant of `entry` this GPU can run: itself, else its q4f32 sibling; undefined when neither. */
export function pickVariant(entry: CatalogModel, gpu: GpuCapabilities): CatalogModel | undefined {
  if (whyNotRunnable(entry, gpu) === undefined) return entry;
  const sibling = entry.f32SiblingId ? findModel(entry.f32SiblingId) : undefined;
  if (sibling && whyNotRunnable(sibling, gpu) === undefined) return sibling;
  return undefined;
}

/**
 * First-visit default: Qwen3-1.7B (q4f16_1 with shader-f16, else its q4f32_1 sibling).
 *
 * Size first: the default must load on an ordinary laptop, also without shader-f16. web-llm marks
 * Qwen3-1.7B low-resource; it needs 2.0 GB of GPU memory (q4f16) / 2.6 GB (q4f32) and downloads about
 * 1 GB. Everything scoring clearly higher needs 3.4–4.7 GB in its q4f32 build (Qwen3-4B 4.3 GB,
 * Qwen3.5-4B 4.7 GB, Phi-4-mini 4.2 GB, Gemma 4 E2B 3.9 GB) and 2–2.5 GB of download.
 *
 * Function-calling evidence, and how sure it is:
 * - Qwen3 technical report (May 2025), BFCL v3, thinking / non-thinking, as recalled (not re-read
 *   here; trust the order more than the decimals): 0.6B ≈ 46 / 44, 1.7B ≈ 57 / 52, 4B ≈ 66 / 58,
 *   8B ≈ 68 / 60. Medium confidence.
 * - An independent BFCL v3 run (contextboxai/Qwen3-1.7B-FC model card) puts Qwen3-1.7B at 48.8 and
 *   Qwen3-8B at 51.9 overall: lower absolute numbers, and a narrow gap between the sizes. Read via
 *   a mirror of the card; medium-low confidence.
 * - Qwen3.5-2B: BFCL-V4 43.6 per an aggregator (whatmodel.sh, "December 2025 archive"). V4 adds
 *   agentic web-search and memory tasks, so it is not comparable with v3 figures. Low confidence.
 * - Phi-4-mini and Gemma 4 E2B: their cards report function calling / tau2 results, but no figure
 *   could be checked here. Not used.
 * Why not Qwen3.5-2B, the newest model of similar size: its figure above is the only one found, it
 * needs more memory (2.2 / 2.6 GB, not marked low-resource), its hybrid-attention architecture is
 * new in web-llm, and which conv template (thinking or not) its MLC build names is unconfirmed.
 * Why not Qwen2.5-1.5B (the previous default): same size, same download, same <tool_call> JSON. No
 * figure found compares the two on one benchmark; Qwen3 is the newer generation, and its card says
 * it was trained for tool use in both thinking modes. Cost: thinking is on by default, which delays
 * the answer; the qwen3 format can switch it off per request.
 */
export const DEFAULT_BASE_ID = 'Qwen3-1.7B';

export function defaultModelId(gpu: GpuCapabilities): string {
  const preferred = findModel(`${DEFAULT_BASE_ID}-${gpu.hasF16 ? 'q4f16_1' : 'q4f32_1'}-MLC`);
  const picked = preferred ? pickVariant(preferred, gpu) : undefined;
  if (picked) return picked.id;
  // Fallback if a web-llm upgrade dropped the default: the smallest runnable native tool caller.
  const any = catalogFor(gpu).find((m) => m.runnable && m.toolCalling === 'native');
  return any?.id ?? CATALOG[0]?.id ?? `${DEFAULT_BASE_ID}-q4f32_1-MLC`;
}
