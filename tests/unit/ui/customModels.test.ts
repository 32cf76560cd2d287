import { describe, expect, it } from 'vitest';
import { CustomModelsState } from '../../../src/ui/state/customModels.svelte.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';

const valid = {
  id: 'Trelis-Llama-2-7b-fc-v2',
  displayName: 'Trelis Llama 2',
  modelUrl: 'http://127.0.0.1:8123/Trelis-Llama-2-7b-fc-v2-q4f32_1-MLC/resolve/main/',
  modelLib: { kind: 'url' as const, url: 'http://127.0.0.1:8123/libs/Llama-2-7b-chat-hf-q4f32_1-v0_2_86-webgpu.wasm' },
  formatId: 'trelis-v2',
};

describe('CustomModelsState', () => {
  it('returns field errors for a bad entry and saves nothing', async () => {
    const storage = new MemoryStorage();
    const state = new CustomModelsState(storage);
    const result = await state.add({ ...valid, modelUrl: 'http://example.com/model', formatId: 'nope' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.modelUrl).toMatch(/https/);
    expect(result.errors.formatId).toMatch(/prompt format/);
    expect(state.all).toEqual([]);
    expect(new CustomModelsState(storage).all).toEqual([]);
  });

  it('saves a valid 127.0.0.1 model, which the next visit reads back, and removes it', async () => {
    const storage = new MemoryStorage();
    const state = new CustomModelsState(storage);
    const result = await state.add(valid);
    expect(result.ok).toBe(true);
    const again = new CustomModelsState(storage);
    expect(again.find(valid.id)).toMatchObject({
      displayName: 'Trelis Llama 2',
      formatId: 'trelis-v2',
      modelUrl: valid.modelUrl,
    });
    const duplicate = await again.add(valid);
    expect(duplicate.ok).toBe(false);
    again.remove(valid.id);
    expect(new CustomModelsState(storage).all).toEqual([]);
  });

  it('skips stored records of the wrong shape', () => {
    const storage = new MemoryStorage();
    storage.setItem('callama:customModels', JSON.stringify([{ id: 'x' }, 'junk']));
    expect(new CustomModelsState(storage).all).toEqual([]);
  });
});
