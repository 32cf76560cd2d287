/**
 * The smallest model that calls functions, suggested where a larger one would be painfully slow or
 * not fit: a software adapter (SwiftShader, llvmpipe: the CPU draws, so every token takes seconds), or
 * a GPU that lets a page use little memory. Pure, from the GPU check's report and the catalog.
 *
 * WebGPU does not say how much memory a GPU has. Its maxBufferSize is the one figure a page sees:
 * browsers lower it on devices with little memory, so under LOW_BUFFER_BYTES we take it as the sign.
 */
import { CATALOG, defaultModelId, findModel, pickVariant, type CatalogModel } from './catalog.ts';
import type { GpuReport } from './gpu.ts';

/** Below this maxBufferSize, the GPU is taken to have little memory for models. */
export const LOW_BUFFER_BYTES = 1024 * 2 ** 20;

export interface SmallModelAdvice {
  model: CatalogModel;
  /** Why, in one or two sentences naming what was seen. */
  reason: string;
}

/** The adapter's own name for itself, for "drawing with the CPU (SwiftShader)". */
function adapterName(gpu: GpuReport): string {
  const text = [gpu.info.description, gpu.info.architecture, gpu.info.vendor].filter(Boolean).join(' ');
  if (/swiftshader/i.test(text)) return 'SwiftShader';
  if (/llvmpipe/i.test(text)) return 'llvmpipe';
  return gpu.info.description || 'a software adapter';
}

/** The smallest catalog model with native function calling that this GPU runs. */
export function smallestCaller(gpu: GpuReport): CatalogModel | undefined {
  for (const model of CATALOG) {
    if (model.toolCalling !== 'native') continue;
    const picked = pickVariant(model, gpu);
    if (picked) return picked;
  }
  return undefined;
}

/** The small-model suggestion for this GPU, or undefined when the usual suggestion suits it. */
export function smallModelAdvice(gpu: GpuReport): SmallModelAdvice | undefined {
  if (gpu.status !== 'ok') return undefined;
  const small = smallestCaller(gpu);
  const usual = findModel(defaultModelId(gpu));
  if (!small || small.id === usual?.id) return undefined;
  const size = `${small.downloadMB} MB`;
  if (gpu.software) {
    return {
      model: small,
      reason:
        `Your browser is drawing with the CPU (${adapterName(gpu)}), not a graphics card; a small model such as ` +
        `${small.displayName} (${size}) will answer in minutes, not seconds, and larger ones take far longer.`,
    };
  }
  const buffer = gpu.maxBufferSize;
  if (buffer !== undefined && buffer < LOW_BUFFER_BYTES) {
    return {
      model: small,
      reason:
        `This GPU lets a page use at most ${Math.round(buffer / 2 ** 20)} MiB at once, a sign of little GPU memory; ` +
        `${small.displayName} (${size}) is the smallest model that calls functions and the likeliest to fit.`,
    };
  }
  return undefined;
}
