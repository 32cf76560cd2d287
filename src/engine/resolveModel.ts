/**
 * Which model an id means, and how to load it: a catalog model (web-llm's prebuilt record) or one of
 * the user's custom models, with the prompt rendering its prompt format needs and the facts the UI
 * shows about it. A pure rule over what the caller knows (its custom models, its format overrides), so
 * the app's state and the tests ask the same question the same way.
 */
import { getPromptFormat } from '../lib/formats/index.ts';
import type { FormatId } from '../lib/formats/promptFormat.ts';
import { findModel, whyNotRunnable, type GpuCapabilities } from './catalog.ts';
import type { CustomModelRecord } from './customModelRecord.ts';
import { renderingForApi, type ModelSource, type PromptRendering } from './engine.ts';
import type { ServerModelRecord } from './server/serverModel.ts';

/** What the UI shows about a model. */
export interface ModelInfo {
  id: string;
  name: string;
  formatId: FormatId;
  sizeBytes?: number;
  /** Tokens the model sees at once (web-llm's context_window_size), when the record says. */
  contextWindow?: number;
}

export interface ResolvedModel {
  source: ModelSource;
  info: ModelInfo;
  /** Why this GPU cannot run it, or undefined when it can (unknown: assume it can). */
  whyNotRunnable(gpu: GpuCapabilities): string | undefined;
}

/** What resolution needs to know beyond the catalog. */
export interface ModelResolutionContext {
  /** The user's custom model with this id, if there is one. */
  customModel(id: string): CustomModelRecord | undefined;
  /** The prompt format the user chose for this model instead of its own, if any. */
  formatOverride(id: string): FormatId | undefined;
  /** The user's server model with this id ("Run on a server"), if there is one. */
  serverModel?(id: string): ServerModelRecord | undefined;
}

/**
 * How a model's prompts must be rendered, from the format it will be used with (the user's override,
 * else its own): a raw-prompt format (`api: 'completion'`) needs the pass-through template so its
 * prompts can be grammar-constrained; a chat format needs the model's own template.
 */
export function promptRenderingFor(ownFormat: FormatId, override?: FormatId): PromptRendering {
  return renderingForApi(getPromptFormat(override ?? ownFormat).api);
}

/** A catalog id comes first (a custom model may not reuse one); undefined when neither knows the id. */
export function resolveModel(modelId: string, context: ModelResolutionContext): ResolvedModel | undefined {
  const override = context.formatOverride(modelId);
  const entry = findModel(modelId);
  if (entry) {
    return {
      source: { kind: 'catalog', id: modelId, promptRendering: promptRenderingFor(entry.formatId, override) },
      info: {
        id: modelId,
        name: `${entry.displayName} (${entry.quantization})`,
        formatId: entry.formatId,
        sizeBytes: Math.round(entry.downloadMB * 1e6),
        ...(entry.contextWindow !== undefined ? { contextWindow: entry.contextWindow } : {}),
      },
      whyNotRunnable: (gpu) => whyNotRunnable(entry, gpu),
    };
  }
  const server = context.serverModel?.(modelId);
  if (server) {
    // A server is sent the exact prompt text: raw prompts always (its form offers only raw formats).
    return {
      source: { kind: 'server', record: server, promptRendering: 'raw' },
      info: { id: server.id, name: server.displayName, formatId: server.formatId },
      whyNotRunnable: () => undefined,
    };
  }
  const custom = context.customModel(modelId);
  if (!custom) return undefined;
  return {
    source: { kind: 'custom', record: custom, promptRendering: promptRenderingFor(custom.formatId, override) },
    info: {
      id: custom.id,
      name: custom.displayName,
      formatId: custom.formatId,
      ...(custom.contextWindow !== undefined ? { contextWindow: custom.contextWindow } : {}),
    },
    whyNotRunnable: (gpu) =>
      custom.requiredFeatures.includes('shader-f16') && !gpu.hasF16
        ? 'Its model library needs shader-f16, which this GPU lacks.'
        : undefined,
  };
}
