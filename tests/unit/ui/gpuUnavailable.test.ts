import { describe, expect, it, vi } from 'vitest';
import { render } from 'svelte/server';

vi.mock('../../../src/engine/createEngine.ts', () => import('../../doubles/idleEngine.ts'));

const { EngineState } = await import('../../../src/ui/state/engine.svelte.ts');
const { assessGpu } = await import('../../../src/engine/gpu.ts');
const { default: GpuUnavailable } = await import('../../../src/ui/components/gpu/GpuUnavailable.svelte');
import type { GpuInput } from '../../../src/engine/gpu.ts';
import { createEngine } from '../../doubles/idleEngine.ts';

async function page(input: GpuInput): Promise<string> {
  const report = assessGpu(input);
  // Only the GPU report is read; the engine is never asked to load.
  const state = new EngineState({ engine: createEngine(), detectGpu: async () => report, autoCheck: false });
  await state.checkGpu();
  return render(GpuUnavailable, { props: { state } }).body.replace(/<!--[^>]*-->/g, '');
}

describe('GpuUnavailable', () => {
  it('explains a browser without WebGPU and what to do', async () => {
    const html = await page({ hasWebGpu: false, adapter: null });
    expect(html).toContain('This browser has no WebGPU');
    expect(html).toContain('This browser does not offer WebGPU.');
    expect(html).toContain('chrome://flags/#enable-unsafe-webgpu');
  });

  it('explains a missing adapter', async () => {
    const html = await page({ hasWebGpu: true, adapter: null });
    expect(html).toContain('No usable GPU was found');
    expect(html).toContain('hardware acceleration');
  });

  it('lists the limits that are too small', async () => {
    const html = await page({
      hasWebGpu: true,
      adapter: { features: [], limits: { maxBufferSize: 64 * 2 ** 20, maxStorageBufferBindingSize: 64 * 2 ** 20 } },
    });
    expect(html).toContain('This GPU is too limited for these models');
    expect(html).toContain('maxBufferSize');
  });
});
