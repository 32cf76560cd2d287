/** The inspector's stats rows: web-llm's usage numbers in words, only the ones the engine reported. */
import type { GenerationStats } from '../../../lib/types/generation.ts';

export interface StatRow {
  label: string;
  value: string;
}

const rate = (v: number) => `${v >= 100 ? Math.round(v) : v.toFixed(1)} tokens/s`;
const seconds = (v: number) => (v < 1 ? `${Math.round(v * 1000)} ms` : `${v.toFixed(2)} s`);

export function formatStats(stats: GenerationStats | undefined): StatRow[] {
  if (!stats) return [];
  const rows: StatRow[] = [];
  const add = (label: string, v: number | undefined, fmt: (v: number) => string) => {
    if (v !== undefined && Number.isFinite(v)) rows.push({ label, value: fmt(v) });
  };
  add('Time to first token', stats.timeToFirstTokenS, seconds);
  add('Prefill', stats.prefillTokensPerS, rate);
  add('Decode', stats.decodeTokensPerS, rate);
  add('Grammar time per token', stats.grammarPerTokenS, seconds);
  add('Grammar setup', stats.grammarInitS, seconds);
  add('Prompt tokens', stats.promptTokens, String);
  add('Output tokens', stats.completionTokens, String);
  add('Total time', stats.e2eLatencyS, seconds);
  return rows;
}
