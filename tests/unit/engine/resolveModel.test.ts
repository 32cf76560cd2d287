/**
 * Which model an id means and how it is loaded: catalog ids become catalog sources, the user's custom
 * models carry their whole record, and the prompt format in use (the user's override, else the
 * model's own) decides the prompt rendering.
 */
import { describe, expect, it } from 'vitest';
import { promptRenderingFor, resolveModel, type ModelResolutionContext } from '../../../src/engine/resolveModel.ts';
import { findModel } from '../../../src/engine/catalog.ts';
import type { CustomModelRecord } from '../../../src/engine/customModelRecord.ts';
import type { FormatId } from '../../../src/lib/formats/promptFormat.ts';

const CATALOG_ID = 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC';

const custom: CustomModelRecord = {
  id: 'my-trelis',
  displayName: 'My Trelis',
  modelUrl: 'https://h/m/resolve/main/',
  modelLibUrl: 'https://h/lib-q4f16.wasm',
  formatId: 'trelis-v2',
  contextWindow: 2048,
  requiredFeatures: ['shader-f16'],
};

function context(
  overrides: Record<string, FormatId> = {},
  models: CustomModelRecord[] = [custom],
): ModelResolutionContext {
  return { customModel: (id) => models.find((m) => m.id === id), formatOverride: (id) => overrides[id] };
}

const gpu = (hasF16: boolean) => ({ hasF16 });

describe('resolveModel', () => {
  it('resolves a catalog id to a catalog source with what the UI shows about it', () => {
    const entry = findModel(CATALOG_ID);
    const resolved = resolveModel(CATALOG_ID, context());
    expect(resolved?.source).toEqual({ kind: 'catalog', id: CATALOG_ID, promptRendering: 'template' });
    expect(resolved?.info).toMatchObject({
      id: CATALOG_ID,
      formatId: entry?.formatId,
      name: `${entry?.displayName} (${entry?.quantization})`,
    });
    expect(resolved?.info.sizeBytes).toBe(Math.round((entry?.downloadMB ?? 0) * 1e6));
  });

  it('sends a custom model as its whole record, rendered the way its format needs', () => {
    const resolved = resolveModel('my-trelis', context());
    expect(resolved?.source).toEqual({ kind: 'custom', record: custom, promptRendering: 'raw' });
    expect(resolved?.info).toEqual({ id: 'my-trelis', name: 'My Trelis', formatId: 'trelis-v2', contextWindow: 2048 });
  });

  it("follows the user's format override: a chat format loads with the template, a raw one raw", () => {
    expect(resolveModel('my-trelis', context({ 'my-trelis': 'hermes' }))?.source.promptRendering).toBe('template');
    expect(resolveModel(CATALOG_ID, context({ [CATALOG_ID]: 'trelis-v2' }))?.source.promptRendering).toBe('raw');
    // Another model's override changes nothing.
    expect(resolveModel(CATALOG_ID, context({ 'my-trelis': 'trelis-v2' }))?.source.promptRendering).toBe('template');
  });

  it('gives the catalog precedence over a custom model with the same id, and knows nothing else', () => {
    const shadow = { ...custom, id: CATALOG_ID };
    expect(resolveModel(CATALOG_ID, context({}, [shadow]))?.source.kind).toBe('catalog');
    expect(resolveModel('nobody', context())).toBeUndefined();
  });

  it("says why this GPU cannot run a model: a custom f16 library without shader-f16, the catalog's own rule", () => {
    const mine = resolveModel('my-trelis', context());
    expect(mine?.whyNotRunnable(gpu(false))).toMatch(/shader-f16/);
    expect(mine?.whyNotRunnable(gpu(true))).toBeUndefined();
    const f32 = resolveModel('my-trelis', context({}, [{ ...custom, requiredFeatures: [] }]));
    expect(f32?.whyNotRunnable(gpu(false))).toBeUndefined();
    const f16Catalog = 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC';
    expect(resolveModel(f16Catalog, context())?.whyNotRunnable(gpu(false))).toMatch(/f16/);
  });
});

describe('promptRenderingFor', () => {
  it('renders raw-prompt formats raw and chat formats with the template; an override wins', () => {
    expect(promptRenderingFor('trelis-v2')).toBe('raw');
    expect(promptRenderingFor('mistral-v3')).toBe('raw');
    expect(promptRenderingFor('hermes')).toBe('template');
    expect(promptRenderingFor('hermes', 'trelis-v2')).toBe('raw');
    expect(promptRenderingFor('trelis-v2', 'hermes')).toBe('template');
  });
});
