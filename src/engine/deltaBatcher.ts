/**
 * Streamed text from the worker to the page, at most one message per frame.
 *
 * Why: every worker message is a task on the page's main thread. A fast model on a good GPU decodes
 * several hundred tokens a second, and the page shows at most one update per animation frame anyway
 * (ui/state/frames.ts), so pieces that arrive within one frame are joined and sent together. The
 * first piece after a quiet spell goes at once, so a slow model's tokens are not held back at all. A
 * piece that waits is sent when its frame is over even if the model stalls before the next one, so
 * text never sits unseen behind a slow decode step.
 */

/** One frame at 60 Hz: the longest a piece of text waits in the worker. */
export const DELTA_INTERVAL_MS = 16;

export interface DeltaBatcherDeps {
  now(): number;
  send(delta: string): void;
}

export class DeltaBatcher {
  #deps: DeltaBatcherDeps;
  #pending = '';
  #lastSent = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(deps: DeltaBatcherDeps) {
    this.#deps = deps;
  }

  /** Takes the next piece; sends it now, or with the others of its frame. */
  push(delta: string): void {
    if (!delta) return;
    this.#pending += delta;
    const wait = this.#lastSent + DELTA_INTERVAL_MS - this.#deps.now();
    if (wait <= 0) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), wait);
  }

  /** Sends what is waiting (before the generation's result, so the page sees every piece first). */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#pending) return;
    const delta = this.#pending;
    this.#pending = '';
    this.#lastSent = this.#deps.now();
    this.#deps.send(delta);
  }
}
