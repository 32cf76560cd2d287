/**
 * The two kinds of ModelSource: a catalog model named by id (web-llm has its record), and a custom
 * model that carries its whole record to the worker, which turns it into web-llm's ModelRecord.
 */
import { describe, expect, it } from 'vitest';
import { modelIdOf, type ModelSource } from '../../../src/engine/engine.ts';
import { modelRecordFor, type CustomModelRecord } from '../../../src/engine/customModelRecord.ts';

const SHA = `sha256-${'A'.repeat(43)}=`;

const record: CustomModelRecord = {
  id: 'mine',
  displayName: 'Mine',
  modelUrl: 'https://h/m/resolve/main/',
  modelLibUrl: 'https://h/m-q4f16.wasm',
  formatId: 'trelis-v2',
  contextWindow: 4096,
  requiredFeatures: ['shader-f16'],
  vramMB: 900,
  integrity: { config: SHA },
};

describe('ModelSource', () => {
  it('names its model by the catalog id or the custom record id', () => {
    expect(modelIdOf({ kind: 'catalog', id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC' })).toBe(
      'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
    );
    expect(modelIdOf({ kind: 'custom', record, promptRendering: 'raw' })).toBe('mine');
  });

  it('a custom source crosses postMessage whole and becomes the ModelRecord web-llm loads', () => {
    const sent: ModelSource = structuredClone({ kind: 'custom', record, promptRendering: 'raw' });
    expect(modelRecordFor(sent)).toEqual({
      model: 'https://h/m/resolve/main/',
      model_id: 'mine',
      model_lib: 'https://h/m-q4f16.wasm',
      required_features: ['shader-f16'],
      vram_required_MB: 900,
      overrides: { context_window_size: 4096 },
      integrity: { config: SHA, onFailure: 'error' },
    });
  });

  it('a catalog source brings no record: web-llm has its own', () => {
    expect(modelRecordFor({ kind: 'catalog', id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC' })).toBeUndefined();
  });

  it('the worker keeps only string features from a record it received', () => {
    const tampered = { ...record, requiredFeatures: ['shader-f16', 7] } as unknown as CustomModelRecord;
    expect(modelRecordFor({ kind: 'custom', record: tampered })?.required_features).toEqual(['shader-f16']);
  });
});
