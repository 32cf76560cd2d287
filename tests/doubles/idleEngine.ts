/**
 * An engine that is never asked to do anything: for unit tests that build the app's objects
 * (ui/state/appContext.ts) only to read something else, such as the GPU report.
 */
import type { Engine } from '../../src/engine/engine.ts';
import { InertEngine } from './inertEngine.ts';

export function createEngine(): Engine {
  return new InertEngine();
}
