/**
 * An engine that is never asked to do anything: for unit tests that build the app's objects
 * (ui/state/appContext.ts) only to read something else, such as the GPU report.
 */
import type { Engine } from '../../src/engine/engine.ts';

export function createEngine(): Engine {
  return {
    load: async () => ({ modelId: 'x', elapsedMs: 0 }),
    unload: async () => undefined,
    onDeviceLost: () => () => undefined,
    generate: async () => ({ text: '', finishReason: 'stop' }),
    interrupt: () => undefined,
  };
}
