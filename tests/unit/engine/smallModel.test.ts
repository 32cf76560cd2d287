import { describe, expect, it } from 'vitest';
import { assessGpu, type GpuLimits } from '../../../src/engine/gpu.ts';
import { CATALOG } from '../../../src/engine/catalog.ts';
import { smallModelAdvice, smallestCaller } from '../../../src/engine/smallModel.ts';

const GIB = 2 ** 30;
const roomy: GpuLimits = {
  maxBufferSize: 2 * GIB,
  maxStorageBufferBindingSize: GIB,
  maxComputeWorkgroupStorageSize: 32768,
  maxStorageBuffersPerShaderStage: 10,
};
const gpu = (features: string[], limits: GpuLimits, info: Record<string, string> = {}) =>
  assessGpu({ hasWebGpu: true, adapter: { features, limits, info } });

describe('the small-model suggestion', () => {
  it('on SwiftShader suggests the smallest native caller this GPU runs, and says the CPU draws', () => {
    const report = gpu(
      ['float32-filterable'],
      { ...roomy, maxBufferSize: GIB },
      { vendor: 'google', architecture: 'swiftshader' },
    );
    const advice = smallModelAdvice(report);
    const smallest = CATALOG.filter((m) => m.toolCalling === 'native' && !m.needsF16).sort(
      (a, b) => a.paramsB - b.paramsB,
    )[0];
    expect(advice?.model.id).toBe(smallest?.id);
    expect(advice?.model.needsF16).toBe(false);
    expect(advice?.reason).toMatch(/^Your browser is drawing with the CPU \(SwiftShader\)/);
    expect(advice?.reason).toContain('minutes, not seconds');
  });

  it('on a GPU with a small buffer limit says so, with the figure', () => {
    const advice = smallModelAdvice(gpu(['shader-f16'], { ...roomy, maxBufferSize: 512 * 2 ** 20 }, { vendor: 'arm' }));
    expect(advice?.model.needsF16).toBe(true);
    expect(advice?.reason).toContain('at most 512 MiB');
  });

  it('says nothing on an ordinary GPU, or when WebGPU is missing', () => {
    expect(smallModelAdvice(gpu(['shader-f16'], roomy, { vendor: 'nvidia' }))).toBeUndefined();
    expect(smallModelAdvice(assessGpu({ hasWebGpu: false, adapter: null }))).toBeUndefined();
  });

  it('only ever suggests a model with native function calling', () => {
    const caller = smallestCaller(gpu([], roomy));
    expect(caller?.toolCalling).toBe('native');
  });
});
