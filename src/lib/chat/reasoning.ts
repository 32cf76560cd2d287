/**
 * The model's reasoning as the chat shows it, shared by the app and the widget through the chat core (stepParts.ts)
 * so both time it, label it and decide when it streams the same way.
 *
 * Timing: reasoning starts being timed when it first shows in the live preview and stops when the
 * answer proper begins (the preview is no longer inside a reasoning block) or the generation ends.
 * Plain TypeScript (no runes, no DOM).
 */
import type { CallPreview } from '../parse/previewTypes.ts';
import type { ReasoningView, ThinkingTiming } from '../types/chat.ts';

export type { ReasoningView, ThinkingTiming };

/**
 * Updates the timing from the preview of one delta, in place when there is one already.
 * @returns the timing (new, updated, or undefined while no reasoning has shown)
 */
export function timeThinking(
  timing: ThinkingTiming | undefined,
  preview: CallPreview,
  now: number,
): ThinkingTiming | undefined {
  if (preview.reasoning === undefined) return timing;
  const t = timing ?? { startedAt: now };
  if (!preview.thinking) t.endedAt ??= now;
  return t;
}

/** Ends the timing when the generation ends (a model stopped while thinking, or a reply with no answer after it). */
export function endThinking(timing: ThinkingTiming | undefined, now: number): void {
  if (timing) timing.endedAt ??= now;
}

/**
 * The section to show for `reasoning`, or null for none: no reasoning, or an empty block that is over
 * (Qwen3's `<think>\n\n</think>` when thinking is off).
 * @param streaming the model is still writing the reasoning
 */
export function reasoningView(
  reasoning: string | undefined,
  streaming: boolean,
  timing: ThinkingTiming | undefined,
): ReasoningView | null {
  if (reasoning === undefined || (reasoning === '' && !streaming)) return null;
  const durationMs = timing?.endedAt !== undefined && !streaming ? timing.endedAt - timing.startedAt : undefined;
  return { text: reasoning, streaming, ...(durationMs !== undefined ? { durationMs } : {}) };
}

/** The section's summary: "Thinking…" while it streams, "Thought for 3 s" once timed, else "Thoughts". */
export function thinkingLabel(view: ReasoningView): string {
  if (view.streaming) return 'Thinking…';
  if (view.durationMs === undefined) return 'Thoughts';
  if (view.durationMs < 500) return 'Thought for under 1 s';
  return `Thought for ${Math.round(view.durationMs / 1000).toLocaleString('en-US')} s`;
}
