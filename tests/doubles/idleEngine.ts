/**
 * For unit tests in Node that import modules which create the app's engine at import time
 * (src/ui/state/engine.svelte.ts): there is no worker in Node, so the module's engine is an inert
 * one. Use it as the factory of `vi.mock('…/src/engine/createEngine.ts', () => import('…/idleEngine.ts'))`;
 * the tests then build their own EngineState around a scripted engine.
 */
import type { Engine } from '../../src/engine/engine.ts';
import { InertEngine } from './inertEngine.ts';

export function createEngine(): Engine {
  return new InertEngine();
}
