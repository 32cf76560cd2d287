import { describe, expect, it } from 'vitest';
import { assessGpu, MIN_LIMITS, type GpuLimits } from '../../../src/engine/gpu.ts';
import { defaultModelId } from '../../../src/engine/catalog.ts';

const GIB = 2 ** 30;
const roomy: GpuLimits = {
  maxBufferSize: 2 * GIB,
  maxStorageBufferBindingSize: GIB,
  maxComputeWorkgroupStorageSize: 32768,
  maxStorageBuffersPerShaderStage: 10,
};

describe('assessGpu', () => {
  it('no navigator.gpu → no-webgpu with browser and flag advice', () => {
    const r = assessGpu({ hasWebGpu: false, adapter: null });
    expect(r.status).toBe('no-webgpu');
    expect(r.advice).toContain('chrome://flags/#enable-unsafe-webgpu');
  });

  it('insecure page → tells to use https or localhost', () => {
    expect(assessGpu({ hasWebGpu: false, secureContext: false, adapter: null }).advice).toMatch(/https:\/\/|localhost/);
  });

  it('no adapter → no-adapter with hardware acceleration advice', () => {
    const r = assessGpu({ hasWebGpu: true, adapter: null });
    expect(r.status).toBe('no-adapter');
    expect(r.advice).toMatch(/hardware acceleration/);
  });

  it('the test browser (SwiftShader, no f16, 1 GiB) is ok, without f16, marked software, and gets the q4f32 default', () => {
    const r = assessGpu({
      hasWebGpu: true,
      adapter: {
        features: ['float32-filterable'],
        limits: { ...roomy, maxBufferSize: GIB },
        info: { vendor: 'google', architecture: 'swiftshader' },
      },
    });
    expect(r.status).toBe('ok');
    expect(r.hasF16).toBe(false);
    expect(r.software).toBe(true);
    expect(r.advice).toMatch(/q4f32/);
    expect(defaultModelId(r)).toBe('Qwen3-1.7B-q4f32_1-MLC');
  });

  it('an f16 GPU gets the q4f16 default', () => {
    const r = assessGpu({
      hasWebGpu: true,
      adapter: { features: ['shader-f16'], limits: roomy, info: { vendor: 'apple', architecture: 'metal-3' } },
    });
    expect(r.status).toBe('ok');
    expect(r.hasF16).toBe(true);
    expect(r.software).toBe(false);
    expect(defaultModelId(r)).toBe('Qwen3-1.7B-q4f16_1-MLC');
  });

  it("limits below web-llm's minimum → limits-too-small, naming each one", () => {
    const r = assessGpu({
      hasWebGpu: true,
      adapter: {
        features: [],
        limits: { ...roomy, maxStorageBufferBindingSize: 64 * 2 ** 20, maxComputeWorkgroupStorageSize: 16384 },
      },
    });
    expect(r.status).toBe('limits-too-small');
    expect(r.tooSmall.sort()).toEqual(['maxComputeWorkgroupStorageSize', 'maxStorageBufferBindingSize']);
    expect(r.reason).toContain('maxStorageBufferBindingSize 64 MiB (needs 128 MiB)');
  });

  it('exactly the minimum is enough', () => {
    expect(assessGpu({ hasWebGpu: true, adapter: { features: [], limits: { ...MIN_LIMITS } } }).status).toBe('ok');
  });
});
