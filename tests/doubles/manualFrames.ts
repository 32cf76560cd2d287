/**
 * A frame scheduler for tests (lib/chat/answerUpdates.ts FrameScheduler): frames come only when the
 * test calls `frame()`, so a test can send any number of deltas "within one frame".
 */
import type { FrameScheduler } from '../../src/lib/chat/answerUpdates.ts';

export class ManualFrames {
  #waiting = new Set<() => void>();
  /** How many frames were asked for in all. */
  requested = 0;

  readonly schedule: FrameScheduler = (run) => {
    this.requested++;
    this.#waiting.add(run);
    return () => this.#waiting.delete(run);
  };

  /** How many callbacks wait for the next frame. */
  get waiting(): number {
    return this.#waiting.size;
  }

  /** Runs what waits for the next frame. */
  frame(): void {
    const runs = [...this.#waiting];
    this.#waiting.clear();
    for (const run of runs) run();
  }
}
