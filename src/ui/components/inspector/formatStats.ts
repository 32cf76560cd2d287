/** The inspector's stats rows: web-llm's usage numbers in words, only the ones the engine reported. */
import type { GenerationStats } from '../../../lib/types/generation.ts';

export interface StatRow {
  label: string;
  value: string;
}

const rate = (v: number) => `${v >= 100 ? Math.round(v) : v.toFixed(1)} tokens/s`;
const seconds = (v: number) => (v < 1 ? `${Math.round(v * 1000)} ms` : `${v.toFixed(2)} s`);

const count = (n: number) => n.toLocaleString('en-US');

/**
 * "Prompt: N tokens read, M reused": the prompt tokens the engine read for this generation, and those
 * it kept in its KV cache because the prompt extended the previous one (issue 12 §6). Null when the
 * engine did not say how many it read.
 */
export function promptTokensLine(stats: GenerationStats | undefined): string | null {
  const read = stats?.promptTokens;
  if (read === undefined || !Number.isFinite(read)) return null;
  const reused = stats?.promptTokensReused;
  const tail = reused !== undefined && Number.isFinite(reused) ? `, ${count(reused)} reused` : '';
  return `Prompt: ${count(read)} token${read === 1 ? '' : 's'} read${tail}`;
}

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
  add('Output tokens', stats.completionTokens, String);
  add('Total time', stats.e2eLatencyS, seconds);
  return rows;
}
