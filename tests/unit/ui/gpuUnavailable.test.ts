import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import GpuUnavailable from '../../../src/ui/components/gpu/GpuUnavailable.svelte';
import { assessGpu, type GpuInput } from '../../../src/engine/gpu.ts';
import { appContextMap, createAppContext } from '../../../src/ui/state/appContext.ts';
import { StoreChannel } from '../../../src/ui/persistence/storeChannel.ts';
import { PwaState } from '../../../src/ui/state/pwa.svelte.ts';
import { createEngine } from '../../doubles/idleEngine.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';

async function page(input: GpuInput): Promise<string> {
  const report = assessGpu(input);
  // The app's objects, built as src/main.ts builds them; only the GPU report is read.
  const channel = new StoreChannel(`gpu-unavailable-test-${process.pid}`);
  const app = createAppContext({
    engine: createEngine(),
    storage: new MemoryStorage(),
    channel,
    pwa: new PwaState(),
    detectGpu: async () => report,
  });
  await app.engine.checkGpu();
  channel.close();
  return render(GpuUnavailable, { context: appContextMap(app) }).body.replace(/<!--[^>]*-->/g, '');
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

  it('needs the app context: a component mounted without it says so', () => {
    expect(() => render(GpuUnavailable).body).toThrow(/app context is missing/);
  });
});
