/**
 * The frame scheduler the app and the widget give the chat core (lib/chat/answerUpdates.ts): streamed
 * text is applied once per animation frame. A hidden tab gets no frames, so a timer also runs it
 * (browsers slow timers in hidden tabs to about once a second): its answer is still saved as it
 * streams and other tabs still see it grow.
 */
import { immediately, type FrameScheduler } from '../../lib/chat/answerUpdates.ts';

/** How long a streamed update may wait when no frame comes (a hidden tab). */
const HIDDEN_TAB_MS = 250;

export const animationFrames: FrameScheduler = (run) => {
  // Without frames at all (the state classes in Node tests) each update is applied at once.
  if (typeof requestAnimationFrame !== 'function') return immediately(run);
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    run();
  };
  const frame = requestAnimationFrame(once);
  const timer = setTimeout(once, HIDDEN_TAB_MS);
  return () => {
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
};
