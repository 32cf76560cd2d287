/**
 * Resolves in a task of its own, not a microtask: what runs before it, and the rendering of what that
 * changed, can finish, and input can be handled, before what comes after. For splitting main-thread
 * work into pieces (runAgent, the Markdown view's slices, the highlighter's grammar compile). A message on a channel, not `setTimeout(0)`:
 * timers nested five deep wait at least 4 ms, and test fake timers would never fire.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      // Closed, or the port would keep Node's event loop alive.
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
