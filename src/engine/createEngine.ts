import type { Engine } from './engine.ts';
import { WorkerEngine } from './workerEngine.ts';

/** The one place the app's engine is created (the e2e build swaps this file for tests/doubles/createEngine.ts). */
export function createEngine(): Engine {
  return new WorkerEngine();
}
