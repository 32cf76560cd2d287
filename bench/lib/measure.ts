/** Timing helpers for the benchmarks: warm up, then time batches and report per-call µs. */

export interface Timing {
  medianUs: number;
  p95Us: number;
  meanUs: number;
  samples: number;
  callsPerSample: number;
}

/**
 * Times `fn`. Each sample times `batch` calls and divides, because one call (tens of µs) is close
 * to the timer's resolution. Warm-up lets V8 optimise the code first.
 */
export function measure(
  fn: () => unknown,
  options: { warmupMs?: number; samples?: number; batch?: number } = {},
): Timing {
  const { warmupMs = 500, samples = 2000, batch = 10 } = options;
  const warmEnd = performance.now() + warmupMs;
  let sink = 0;
  while (performance.now() < warmEnd) if (fn()) sink += 1;
  const perCall: number[] = [];
  for (let s = 0; s < samples; s += 1) {
    const t0 = performance.now();
    for (let b = 0; b < batch; b += 1) if (fn()) sink += 1;
    perCall.push(((performance.now() - t0) * 1000) / batch);
  }
  perCall.sort((a, b) => a - b);
  const at = (q: number) => perCall[Math.min(perCall.length - 1, Math.floor(q * perCall.length))] ?? NaN;
  // `sink` keeps the calls from being optimised away.
  if (sink < 0) console.log(sink);
  return {
    medianUs: round(at(0.5)),
    p95Us: round(at(0.95)),
    meanUs: round(perCall.reduce((a, b) => a + b, 0) / perCall.length),
    samples,
    callsPerSample: batch,
  };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** A plain-text table with aligned columns. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
