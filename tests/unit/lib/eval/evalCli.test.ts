import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../scripts/eval.ts';

describe('npm run eval', () => {
  it('scores recorded answers against the shipped set and prints a per-category table', () => {
    const lines: string[] = [];
    const out = join(mkdtempSync(join(tmpdir(), 'callama-eval-')), 'report.json');
    const result = main(['--answers', 'tests/fixtures/eval/sample-answers.jsonl', '--json', out], (l) => lines.push(l));
    const printed = lines.join('\n');

    expect(result.code).toBe(0);
    expect(result.report).toMatchObject({ total: 13, correct: 7 });
    expect(printed).toContain('simple             2      5     40.0%');
    expect(printed).toContain('multiple           1      2     50.0%');
    expect(printed).toContain('parallel           2      3     66.7%');
    expect(printed).toContain('irrelevance        2      3     66.7%');
    expect(printed).toContain('overall            7     13     53.8%');
    expect(printed).toContain('parallel_03: made 2 calls, expected 3');
    expect((JSON.parse(readFileSync(out, 'utf8')) as { report: { correct: number } }).report.correct).toBe(7);
  });

  it('explains its usage when --answers is missing', () => {
    const lines: string[] = [];
    expect(main([], (l) => lines.push(l)).code).toBe(2);
    expect(lines.join('\n')).toMatch(/Missing --answers/);
  });
});
