import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { buildCatalogData, OUTPUT, renderCatalogJson } from '../../../scripts/genCatalog.mjs';
import { CATALOG, catalogFor, defaultModelId, findModel, pickVariant } from '../../../src/engine/catalog.ts';
import { MODEL_NOTES } from '../../../src/engine/catalog.data.ts';
import { FORMAT_IDS } from '../../../src/lib/formats/index.ts';

const noF16 = { hasF16: false };
const f16 = { hasF16: true };

describe('generated catalog', () => {
  it('is up to date with the installed web-llm (run `node scripts/genCatalog.mjs` if not)', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(renderCatalogJson(buildCatalogData()));
  });

  it('has notes for every generated model and generated records for every note', () => {
    const bases = new Set(buildCatalogData().variants.map((v) => v.baseId));
    expect([...bases].sort()).toEqual(Object.keys(MODEL_NOTES).sort());
  });
});

describe('catalog', () => {
  it('holds exactly the function-calling families, each record as web-llm has it', () => {
    for (const m of CATALOG) {
      const record = prebuiltAppConfig.model_list.find((r) => r.model_id === m.id);
      expect(record, m.id).toBeDefined();
      expect(m.modelLibUrl).toBe(record?.model_lib);
      expect(m.vramMB).toBe(record?.vram_required_MB);
      expect(FORMAT_IDS).toContain(m.formatId);
      expect(m.downloadIsEstimate).toBe(true);
      expect(m.downloadMB).toBeGreaterThan(200);
    }
    expect(new Set(CATALOG.map((m) => m.family))).toEqual(new Set(['llama2', 'llama3.1', 'llama3.2', 'mistral', 'hermes', 'qwen2.5']));
    expect(findModel('Hermes-3-Llama-3.1-8B-q4f16_1-MLC')?.formatId).toBe('hermes');
    expect(findModel('Llama-3.1-8B-Instruct-q4f32_1-MLC')?.formatId).toBe('llama3-json');
    expect(findModel('Mistral-7B-Instruct-v0.3-q4f16_1-MLC')?.formatId).toBe('mistral-v3');
    expect(findModel('Llama-3.1-8B-Instruct-q4f32_1-MLC-1k')).toBeUndefined();
  });

  it('estimates download from parameters: Qwen2.5-1.5B q4f16 ≈ 0.87 GB, its q4f32 a bit more', () => {
    const a = findModel('Qwen2.5-1.5B-Instruct-q4f16_1-MLC');
    const b = findModel('Qwen2.5-1.5B-Instruct-q4f32_1-MLC');
    expect(a?.downloadMB).toBe(866);
    expect(b?.downloadMB).toBeGreaterThan(a?.downloadMB ?? Infinity);
  });

  it('marks every f16 variant as needing shader-f16, even when web-llm\'s record omits it', () => {
    const qwen = findModel('Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
    expect(prebuiltAppConfig.model_list.find((r) => r.model_id === qwen?.id)?.required_features).toBeUndefined();
    expect(qwen?.needsF16).toBe(true);
    expect(qwen?.f32SiblingId).toBe('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
  });

  it('catalogFor a GPU without f16 marks f16 variants not runnable, f32 runnable', () => {
    const items = catalogFor(noF16);
    const f16Items = items.filter((m) => m.needsF16);
    expect(f16Items.length).toBeGreaterThan(5);
    expect(f16Items.every((m) => !m.runnable && m.reason?.includes('shader-f16'))).toBe(true);
    expect(items.filter((m) => !m.needsF16).every((m) => m.runnable)).toBe(true);
    expect(catalogFor(f16).every((m) => m.runnable)).toBe(true);
  });

  it('pickVariant swaps q4f16 for its q4f32 sibling without f16, and finds none for f16-only builds', () => {
    const f16Llama = findModel('Llama-3.2-3B-Instruct-q4f16_1-MLC');
    if (!f16Llama) throw new Error('catalog lost Llama-3.2-3B');
    expect(pickVariant(f16Llama, noF16)?.id).toBe('Llama-3.2-3B-Instruct-q4f32_1-MLC');
    expect(pickVariant(f16Llama, f16)?.id).toBe(f16Llama.id);
    const hermesMistral = findModel('Hermes-2-Pro-Mistral-7B-q4f16_1-MLC');
    if (!hermesMistral) throw new Error('catalog lost Hermes-2-Pro-Mistral');
    expect(pickVariant(hermesMistral, noF16)).toBeUndefined();
  });

  it('respects a record\'s buffer size need against the GPU limit', () => {
    const base = findModel('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    if (!base) throw new Error('catalog lost Qwen2.5-0.5B');
    const m = { ...base, bufferSizeRequiredBytes: 512 * 2 ** 20 };
    expect(pickVariant(m, { hasF16: true, maxStorageBufferBindingSize: 256 * 2 ** 20 })).toBeUndefined();
    expect(pickVariant(m, { hasF16: true, maxStorageBufferBindingSize: 2 ** 30 })?.id).toBe(base.id);
  });

  it('defaults to Qwen2.5-1.5B in the variant the GPU can run', () => {
    expect(defaultModelId(noF16)).toBe('Qwen2.5-1.5B-Instruct-q4f32_1-MLC');
    expect(defaultModelId(f16)).toBe('Qwen2.5-1.5B-Instruct-q4f16_1-MLC');
  });
});
