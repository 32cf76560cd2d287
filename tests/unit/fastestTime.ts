/**
 * The fastest of `runs` calls of `fn`, in ms: for tests that compare the cost of two inputs in the
 * same run (a ratio), never for an absolute bound. The fastest, not the median: other work on a shared
 * machine only ever adds time, so one undisturbed call is the closest to the input's own cost, and a
 * measurement needs only one of its runs to be undisturbed (the median needs half of them).
 */
export function fastestTime(fn: () => unknown, runs: number): number {
  let fastest = Infinity;
  for (let r = 0; r < runs; r += 1) {
    const t0 = performance.now();
    fn();
    fastest = Math.min(fastest, performance.now() - t0);
  }
  return Number.isFinite(fastest) ? fastest : 0;
}
