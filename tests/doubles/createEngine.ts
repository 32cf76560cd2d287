// Test-only replacement for src/engine/createEngine.ts (swapped in by vite.config.ts in --mode e2e).
import type { Engine } from '../../src/engine/engine.ts';
import { FakeEngine } from './fakeEngine.ts';

export function createEngine(): Engine {
  return new FakeEngine(() => window.__CALLAMA_FAKE__ ?? {});
}
