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
    expect(new Set(CATALOG.map((m) => m.family))).toEqual(
      new Set([
        'llama2',
        'llama3.1',
        'llama3.2',
        'mistral',
        'hermes',
        'qwen2.5',
        'qwen3',
        'qwen3.5',
        'gemma4',
        'ministral3',
        'phi4',
        'smollm2',
      ]),
    );
    expect(findModel('Hermes-3-Llama-3.1-8B-q4f16_1-MLC')?.formatId).toBe('hermes');
    expect(findModel('Llama-3.1-8B-Instruct-q4f32_1-MLC')?.formatId).toBe('llama3-json');
    expect(findModel('Mistral-7B-Instruct-v0.3-q4f16_1-MLC')?.formatId).toBe('mistral-v3');
    expect(findModel('Llama-3.1-8B-Instruct-q4f32_1-MLC-1k')).toBeUndefined();
  });

  it('offers the 2025–26 families, each with its own prompt format, in q4f16 and q4f32', () => {
    const formats: Record<string, string> = {
      'Qwen3-0.6B': 'qwen3',
      'Qwen3-1.7B': 'qwen3',
      'Qwen3-4B': 'qwen3',
      'Qwen3-8B': 'qwen3',
      'Qwen3.5-0.8B': 'qwen3.5',
      'Qwen3.5-2B': 'qwen3.5',
      'Qwen3.5-4B': 'qwen3.5',
      'Qwen3.5-9B': 'qwen3.5',
      'gemma-4-E2B-it': 'gemma4',
      'Ministral-3-3B-Instruct-2512-BF16': 'mistral-v13',
      'Ministral-3-3B-Reasoning-2512': 'mistral-v13',
      'Phi-4-mini-instruct': 'phi4-mini',
      'SmolLM2-1.7B-Instruct': 'smollm2',
    };
    for (const [base, formatId] of Object.entries(formats)) {
      for (const quant of ['q4f16_1', 'q4f32_1']) {
        const m = findModel(`${base}-${quant}-MLC`);
        expect(m?.formatId, `${base}-${quant}`).toBe(formatId);
        expect(m?.toolCalling).toBe('native');
      }
    }
    // Not instruction-tuned, or too small to have tool training worth offering.
    for (const left of ['Ministral-3-3B-Base-2512', 'SmolLM2-360M-Instruct', 'SmolLM2-135M-Instruct']) {
      expect(
        CATALOG.some((m) => m.baseId === left),
        left,
      ).toBe(false);
    }
    // q0 (unquantized) builds are bigger and slower than the 4-bit ones.
    expect(findModel('Qwen3-0.6B-q0f16-MLC')).toBeUndefined();
  });

  it('says which models reason: switchable for Qwen3, Qwen3.5, Gemma 4; always for Ministral 3 Reasoning', () => {
    const reasoning = (base: string) => {
      const m = CATALOG.find((c) => c.baseId === base);
      if (!m) throw new Error(`catalog lost ${base}`);
      return m.reasoning === 'toggle'
        ? { reasoning: m.reasoning, thinkingDefault: m.thinkingDefault }
        : { reasoning: m.reasoning };
    };
    for (const base of ['Qwen3-0.6B', 'Qwen3-1.7B', 'Qwen3-4B', 'Qwen3-8B', 'Qwen3.5-4B', 'Qwen3.5-9B']) {
      expect(reasoning(base), base).toEqual({ reasoning: 'toggle', thinkingDefault: true });
    }
    for (const base of ['Qwen3.5-0.8B', 'Qwen3.5-2B', 'gemma-4-E2B-it']) {
      expect(reasoning(base), base).toEqual({ reasoning: 'toggle', thinkingDefault: false });
    }
    expect(reasoning('Ministral-3-3B-Reasoning-2512')).toEqual({ reasoning: 'always' });
    for (const base of [
      'Ministral-3-3B-Instruct-2512-BF16',
      'Phi-4-mini-instruct',
      'SmolLM2-1.7B-Instruct',
      'Qwen2.5-1.5B-Instruct',
      'Hermes-3-Llama-3.1-8B',
    ]) {
      expect(reasoning(base), base).toEqual({ reasoning: 'none' });
    }
    // thinkingDefault only where thinking can be switched.
    for (const m of CATALOG) expect('thinkingDefault' in m, m.id).toBe(m.reasoning === 'toggle');
  });

  it('estimates download from parameters: Qwen2.5-1.5B q4f16 ≈ 0.87 GB, its q4f32 a bit more', () => {
    const a = findModel('Qwen2.5-1.5B-Instruct-q4f16_1-MLC');
    const b = findModel('Qwen2.5-1.5B-Instruct-q4f32_1-MLC');
    expect(a?.downloadMB).toBe(866);
    expect(b?.downloadMB).toBeGreaterThan(a?.downloadMB ?? Infinity);
  });

  it("marks every f16 variant as needing shader-f16, even when web-llm's record omits it", () => {
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

  it("respects a record's buffer size need against the GPU limit", () => {
    const base = findModel('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    if (!base) throw new Error('catalog lost Qwen2.5-0.5B');
    const m = { ...base, bufferSizeRequiredBytes: 512 * 2 ** 20 };
    expect(pickVariant(m, { hasF16: true, maxStorageBufferBindingSize: 256 * 2 ** 20 })).toBeUndefined();
    expect(pickVariant(m, { hasF16: true, maxStorageBufferBindingSize: 2 ** 30 })?.id).toBe(base.id);
  });

  it('defaults to Qwen3-1.7B in the variant the GPU can run', () => {
    expect(defaultModelId(noF16)).toBe('Qwen3-1.7B-q4f32_1-MLC');
    expect(defaultModelId(f16)).toBe('Qwen3-1.7B-q4f16_1-MLC');
  });

  it('keeps the default small: low-resource in web-llm, under 3 GB of GPU memory even as q4f32', () => {
    for (const gpu of [noF16, f16]) {
      const m = findModel(defaultModelId(gpu));
      expect(m?.lowResource).toBe(true);
      expect(m?.vramMB).toBeLessThan(3000);
      expect(m?.downloadMB).toBeLessThan(1200);
      expect(m?.toolCalling).toBe('native');
    }
  });
});
