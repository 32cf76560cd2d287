import { describe, expect, it } from 'vitest';
import { formatReportTable, summarize, type EvalItemResult } from '../../../../src/lib/eval/summarize.ts';

const item = (
  id: string,
  category: EvalItemResult['category'],
  correct: boolean,
  extra: Partial<EvalItemResult> = {},
): EvalItemResult => ({
  id,
  category,
  correct,
  reason: correct ? '' : 'wrong',
  output: '',
  calls: [],
  errors: [],
  ...extra,
});

describe('summarize', () => {
  it('gives accuracy by category in a fixed order, and overall', () => {
    const report = summarize([
      item('p1', 'parallel', true),
      item('s1', 'simple', true, { ms: 100, decodeTokensPerS: 10 }),
      item('s2', 'simple', false, { ms: 300, decodeTokensPerS: 20 }),
      item('p2', 'parallel', false),
    ]);
    expect(report.byCategory).toEqual([
      { category: 'simple', total: 2, correct: 1, accuracy: 0.5 },
      { category: 'parallel', total: 2, correct: 1, accuracy: 0.5 },
    ]);
    expect(report).toMatchObject({ total: 4, correct: 2, accuracy: 0.5, msPerItem: 200, decodeTokensPerS: 15 });
  });

  it('handles no items and prints a table', () => {
    expect(summarize([])).toEqual({ total: 0, correct: 0, accuracy: 0, byCategory: [] });
    const table = formatReportTable(summarize([item('i', 'irrelevance', true)]));
    expect(table.split('\n')).toEqual([
      'category     correct  total  accuracy',
      '-----------  -------  -----  --------',
      'irrelevance        1      1    100.0%',
      'overall            1      1    100.0%',
    ]);
  });
});
