// Types for scripts/genCatalog.mjs, so tests/unit/engine/catalog.test.ts can import it under `strict`.
import type { AppConfig } from '@mlc-ai/web-llm';

export interface GeneratedVariant {
  modelId: string;
  baseId: string;
  quantization: string;
  model: string;
  modelLib: string;
  vramMB: number | null;
  lowResource: boolean;
  contextWindow: number | null;
  requiredFeatures: string[];
  bufferSizeRequiredBytes: number | null;
}
export interface GeneratedCatalog {
  generatedFrom: string;
  modelVersion: string;
  variants: GeneratedVariant[];
}
export const INCLUDE: RegExp[];
export function buildCatalogData(appConfig?: AppConfig, version?: string): GeneratedCatalog;
export function renderCatalogJson(data?: GeneratedCatalog): string;
export const OUTPUT: string;
