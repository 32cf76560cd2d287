import { describe, expect, it } from 'vitest';
import { pickerRows } from '../../../src/ui/components/models/pickerItems.ts';
import {
  NO_FILTER,
  cardWarnings,
  f16Note,
  goodFor,
  summaryLine,
  visibleRows,
  type PickerFilter,
} from '../../../src/ui/components/models/pickerFilter.ts';
import { defaultModelId, findModel, type GpuCapabilities } from '../../../src/engine/catalog.ts';

// The test browser's SwiftShader adapter: no shader-f16, 1 GiB buffers.
const swiftShader: GpuCapabilities = { hasF16: false, maxStorageBufferBindingSize: 2 ** 30 };
const withF16: GpuCapabilities = { hasF16: true, maxStorageBufferBindingSize: 2 ** 31 };

const filter = (f: Partial<PickerFilter>): PickerFilter => ({ ...NO_FILTER, ...f });
const names = (gpu: GpuCapabilities, f: Partial<PickerFilter>) =>
  visibleRows(pickerRows(gpu), filter(f), defaultModelId(gpu)).map((r) => r.displayName);

describe('picker order', () => {
  it('puts the suggested model first, then runnable models before those this GPU cannot run', () => {
    const rows = visibleRows(pickerRows(swiftShader), NO_FILTER, defaultModelId(swiftShader));
    expect(rows[0]?.chosen?.id).toBe('Qwen3-1.7B-q4f32_1-MLC');
    const firstUnrunnable = rows.findIndex((r) => !r.chosen);
    expect(firstUnrunnable).toBeGreaterThan(0);
    expect(rows.slice(firstUnrunnable).every((r) => !r.chosen)).toBe(true);
    // Without filters nothing is hidden.
    expect(rows).toHaveLength(pickerRows(swiftShader).length);
  });

  it('keeps smallest first after the suggested one', () => {
    const rows = visibleRows(pickerRows(withF16), NO_FILTER, defaultModelId(withF16)).slice(1);
    const params = rows.filter((r) => r.chosen).map((r) => r.chosen?.paramsB ?? 0);
    expect(params).toEqual([...params].sort((a, b) => a - b));
  });
});

describe('picker search', () => {
  it('matches the display name, every word, in any case', () => {
    expect(names(swiftShader, { query: 'qwen3 1.7' })).toEqual(['Qwen3 1.7B']);
    expect(names(swiftShader, { query: 'HERMES llama 3.1' })).toEqual(['Hermes 3 (Llama 3.1 8B)']);
  });

  it('matches the family id too', () => {
    // "phi4" is the family; the display name says "Phi-4 mini".
    expect(names(swiftShader, { query: 'phi4' })).toEqual(['Phi-4 mini Instruct']);
    expect(names(swiftShader, { query: 'ministral3' })).toHaveLength(2);
  });

  it('matches the start of a word, so "8b" finds 8B models and not 0.8B', () => {
    const found = names(swiftShader, { query: 'qwen3 8b' });
    expect(found).toEqual(['Qwen3 8B']);
    expect(names(swiftShader, { query: 'qwen3' })).toContain('Qwen3.5 0.8B');
  });

  it('finds nothing for a word no model has', () => {
    expect(names(swiftShader, { query: 'qwen zebra' })).toEqual([]);
  });
});

describe('picker filters', () => {
  it('"fits my GPU" hides models with no variant this GPU can run', () => {
    const all = names(swiftShader, {});
    const fitting = names(swiftShader, { fitsGpu: true });
    expect(all).toContain('Hermes 2 Pro (Mistral 7B)'); // built only with f16 shaders
    expect(fitting).not.toContain('Hermes 2 Pro (Mistral 7B)');
    expect(fitting).toContain('Qwen3 1.7B');
    expect(fitting.length).toBeLessThan(all.length);
    // With shader-f16 it runs.
    expect(names(withF16, { fitsGpu: true })).toContain('Hermes 2 Pro (Mistral 7B)');
  });

  it('"fits my GPU" also uses the buffer limit the GPU reports', () => {
    const tinyBuffers: GpuCapabilities = { hasF16: true, maxStorageBufferBindingSize: 64 * 2 ** 20 };
    const hidden = pickerRows(tinyBuffers).filter((r) => !r.chosen);
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.every((r) => r.unavailable.some((v) => /GPU buffers/.test(v.reason ?? '')))).toBe(true);
    const fitting = names(tinyBuffers, { fitsGpu: true });
    for (const row of hidden) expect(fitting).not.toContain(row.displayName);
  });

  it('reasoning: thinking models only, or direct answers only', () => {
    const reasons = names(swiftShader, { reasoning: 'reasons' });
    const direct = names(swiftShader, { reasoning: 'direct' });
    expect(reasons).toContain('Qwen3 1.7B');
    expect(reasons).toContain('Ministral 3 3B Reasoning');
    expect(reasons).not.toContain('Qwen2.5 1.5B Instruct');
    expect(direct).toContain('Qwen2.5 1.5B Instruct');
    expect(direct).not.toContain('Qwen3 1.7B');
    expect(reasons.length + direct.length).toBe(names(swiftShader, {}).length);
  });

  it('size bands by download of the variant that would load', () => {
    const rows = pickerRows(swiftShader);
    const small = visibleRows(rows, filter({ size: 'small' }));
    const large = visibleRows(rows, filter({ size: 'large' }));
    expect(small.length).toBeGreaterThan(0);
    expect(large.length).toBeGreaterThan(0);
    for (const r of small) expect(r.chosen?.downloadMB ?? r.variants[0]?.downloadMB).toBeLessThan(1500);
    for (const r of large) expect(r.chosen?.downloadMB ?? r.variants[0]?.downloadMB).toBeGreaterThan(3000);
  });

  it('filters combine with the search', () => {
    expect(names(swiftShader, { query: 'qwen', reasoning: 'direct', size: 'small' })).toEqual([
      'Qwen2.5 0.5B Instruct',
      'Qwen2.5 1.5B Instruct',
    ]);
  });
});

describe('the plain line and the f16 note', () => {
  it('says what a model is good for, its download and its GPU memory', () => {
    const model = findModel('Qwen2.5-1.5B-Instruct-q4f32_1-MLC');
    expect(model).toBeDefined();
    if (!model) return;
    expect(goodFor(model)).toBe('everyday functions');
    expect(summaryLine(model)).toMatch(/^Good for: everyday functions · ≈ [\d.]+ (MB|GB) · [\d.]+ GB GPU memory$/);
    const llama2 = findModel('Llama-2-7b-chat-hf-q4f32_1-MLC');
    if (llama2) expect(goodFor(llama2)).toMatch(/only when told how/);
  });

  it('says once that q4f32 builds replace q4f16 ones, and no card repeats it', () => {
    const rows = pickerRows(swiftShader);
    expect(f16Note(rows, false)).toMatch(/no shader-f16.*q4f32_1 build instead/);
    expect(f16Note(rows, false)).toMatch(/built only for shader-f16 and cannot run here/);
    for (const row of rows.filter((r) => r.chosen)) expect(cardWarnings(row)).toEqual([]);
    // A model with no runnable build still explains itself on its card.
    const hermesMistral = rows.find((r) => r.displayName === 'Hermes 2 Pro (Mistral 7B)');
    expect(hermesMistral && cardWarnings(hermesMistral)[0]?.reason).toMatch(/shader-f16/);
    expect(f16Note(pickerRows(withF16), true)).toBeUndefined();
  });
});
