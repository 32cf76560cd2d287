/** Aggregates item scores into accuracy by category and overall, with speed when timings are known. */
import { EVAL_CATEGORIES, type EvalCategory } from './evalCase.ts';
import type { ItemScore } from './scoreAnswer.ts';

export interface EvalItemResult extends ItemScore {
  /** Wall time of the generation, ms. */
  ms?: number;
  /** Decode speed the engine reported, tokens/s. */
  decodeTokensPerS?: number;
  completionTokens?: number;
  /** The engine failed on this item (it counts as wrong). */
  engineError?: { name: string; message: string };
}

export interface CategoryScore {
  category: EvalCategory;
  total: number;
  correct: number;
  /** 0..1 */
  accuracy: number;
}

export interface EvalReport {
  total: number;
  correct: number;
  /** 0..1; 0 when there are no items. */
  accuracy: number;
  /** Only the categories that have items, in the fixed order simple, multiple, parallel, irrelevance. */
  byCategory: CategoryScore[];
  /** Mean wall time per item, ms, over items that have one. */
  msPerItem?: number;
  /** Mean engine-reported decode speed, over items that have one. */
  decodeTokensPerS?: number;
}

const ratio = (correct: number, total: number) => (total === 0 ? 0 : correct / total);

function mean(values: Array<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return known.length === 0 ? undefined : known.reduce((a, b) => a + b, 0) / known.length;
}

export function summarize(items: EvalItemResult[]): EvalReport {
  const byCategory: CategoryScore[] = [];
  for (const category of EVAL_CATEGORIES) {
    const inCategory = items.filter((item) => item.category === category);
    if (inCategory.length === 0) continue;
    const correct = inCategory.filter((item) => item.correct).length;
    byCategory.push({ category, total: inCategory.length, correct, accuracy: ratio(correct, inCategory.length) });
  }
  const correct = items.filter((item) => item.correct).length;
  const report: EvalReport = { total: items.length, correct, accuracy: ratio(correct, items.length), byCategory };
  const msPerItem = mean(items.map((item) => item.ms));
  const decodeTokensPerS = mean(items.map((item) => item.decodeTokensPerS));
  if (msPerItem !== undefined) report.msPerItem = msPerItem;
  if (decodeTokensPerS !== undefined) report.decodeTokensPerS = decodeTokensPerS;
  return report;
}

/** The report as a fixed-width text table (the CLI prints it). */
export function formatReportTable(report: EvalReport): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const rows = [
    ['category', 'correct', 'total', 'accuracy'],
    ...report.byCategory.map((c) => [c.category, String(c.correct), String(c.total), pct(c.accuracy)]),
    ['overall', String(report.correct), String(report.total), pct(report.accuracy)],
  ];
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  const line = (row: string[]) =>
    row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join('  ');
  return [line(rows[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
