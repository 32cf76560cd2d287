/**
 * The median time of `runs` calls of `fn`, in ms: for tests that compare the cost of two inputs in the
 * same run (a ratio), never for an absolute bound.
 */
export function medianTime(fn: () => unknown, runs: number): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r += 1) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)] ?? 0;
}
