// The shipped test set must be well formed and consistent with the scorer: every case is answerable.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCases } from '../../../../src/lib/eval/parseCases.ts';
import { scoreAnswer } from '../../../../src/lib/eval/scoreAnswer.ts';
import { EVAL_CATEGORIES } from '../../../../src/lib/eval/evalCase.ts';

const { cases, errors } = parseCases(readFileSync('public/eval/callama-eval.jsonl', 'utf8'));

describe('public/eval/callama-eval.jsonl', () => {
  it('has at least 60 valid cases, 15 or more per category, with unique ids', () => {
    expect(errors).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(60);
    for (const category of EVAL_CATEGORIES) {
      expect(cases.filter((c) => c.category === category).length, category).toBeGreaterThanOrEqual(15);
    }
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('expects only offered functions and their declared arguments, required ones never optional', () => {
    for (const c of cases) {
      expect(c.expected.length === 0, c.id).toBe(c.category === 'irrelevance');
      for (const call of c.expected) {
        const spec = c.functions.find((f) => f.name === call.name);
        expect(spec, `${c.id}: ${call.name}`).toBeDefined();
        const declared = Object.keys(spec?.parameters.properties ?? {});
        for (const arg of Object.keys(call.arguments)) expect(declared, `${c.id}: ${arg}`).toContain(arg);
        for (const arg of spec?.parameters.required ?? []) {
          expect(
            call.arguments[arg]?.filter((v) => v !== ''),
            `${c.id}: ${arg}`,
          ).not.toHaveLength(0);
        }
      }
      if (c.category === 'multiple') expect(c.functions.length, c.id).toBeGreaterThan(1);
      if (c.category === 'parallel') expect(c.expected.length, c.id).toBeGreaterThan(1);
    }
  });

  it('scores a perfect answer to every case as correct', () => {
    for (const c of cases) {
      const calls = c.expected.map((e) => ({
        name: e.name,
        arguments: Object.fromEntries(
          Object.entries(e.arguments).flatMap(([k, options]) => {
            const value = options.find((o) => o !== '');
            return value === undefined ? [] : [[k, value]];
          }),
        ),
      }));
      const output =
        c.expected.length === 0 ? 'I can answer that without any function.' : JSON.stringify(calls.reverse());
      const score = scoreAnswer(c, output);
      expect(score.reason, c.id).toBe('');
      expect(score.correct, c.id).toBe(true);
    }
  });
});
