/**
 * How the agent loop's events reach the answer the view shows: at most one streamed update per frame,
 * however fast tokens arrive. A model on a good GPU, or a batch of tokens arriving at once, can
 * deliver far more deltas than the screen shows; each applied delta is a reactive update of the
 * message (its preview, its cards, the view's work after them), so they are coalesced.
 *
 * A delta carries the whole text so far, so only the latest one of a frame needs applying: the others
 * are dropped, not queued (the live preview reads only what is new since the last one it saw). Every
 * other event (a generation ending, a call, the end) first applies the pending delta, then itself, at
 * once: a card or the end is never late, and nothing that streamed is lost. `flush` does the same for
 * Stop. The scheduler is injected: the views pass animationFrames (ui/state/frames.ts), tests a
 * manual one, and the default applies each delta at once.
 * Plain TypeScript (no runes, no DOM).
 */
import type { AgentEvent } from '../types/agent.ts';
import type { AssistantMessage } from '../types/chat.ts';
import type { FunctionSpec } from '../types/functionSpec.ts';
import { applyAgentEvent } from './messages.ts';

/** Runs `run` once, at the next frame; returns a function that cancels it. */
export type FrameScheduler = (run: () => void) => () => void;

/** Applies every delta at once (no frames to wait for: Node, tests of the reducer). */
export const immediately: FrameScheduler = (run) => {
  run();
  return () => undefined;
};

type Delta = Extract<AgentEvent, { type: 'delta' }>;

export class AnswerUpdates {
  #pending: Delta | null = null;
  #scheduled = false;
  #cancel: () => void = () => undefined;

  /**
   * @param message the answer, as the view holds it (every change here is a UI update)
   * @param functions the functions offered, for the live call preview
   * @param changed called after each change is applied (a good moment to schedule a save)
   */
  constructor(
    private readonly message: AssistantMessage,
    private readonly functions: FunctionSpec[],
    private readonly frames: FrameScheduler = immediately,
    private readonly changed: () => void = () => undefined,
  ) {}

  event(ev: AgentEvent): void {
    if (ev.type === 'delta') {
      if (this.#pending && this.#pending.step !== ev.step) this.flush();
      this.#pending = ev;
      if (!this.#scheduled) {
        this.#scheduled = true;
        this.#cancel = this.frames(() => {
          this.flush();
        });
      }
      return;
    }
    this.flush();
    applyAgentEvent(this.message, ev, this.functions);
    this.changed();
  }

  /** Applies the pending delta now (Stop, the end of the answer). */
  flush(): void {
    if (this.#scheduled) {
      this.#scheduled = false;
      this.#cancel();
    }
    const ev = this.#pending;
    if (!ev) return;
    this.#pending = null;
    applyAgentEvent(this.message, ev, this.functions);
    this.changed();
  }
}
