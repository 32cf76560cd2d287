import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseToolCalls } from '../../../../src/lib/parse/parseToolCalls.ts';
import { corpusFunctions } from '../../../fixtures/corpus/functions.ts';
import { buildRecoveryCorpus } from '../../../fixtures/corpus/recoveryCorpus.ts';

describe('parseToolCalls — the recovery corpus (bench/recovery.bench.ts)', () => {
  const corpus = buildRecoveryCorpus();

  it('has at least 300 answers covering every shape, damage and negative case', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
  });

  it('recovers every answer exactly, and never returns a call that was not meant', () => {
    const failures = corpus
      .map((entry) => ({ entry, result: parseToolCalls(entry.output, corpusFunctions) }))
      .filter(({ entry, result }) => !isDeepStrictEqual(result.calls, entry.expected))
      .map(({ entry, result }) => ({ kind: entry.kind, output: entry.output, calls: result.calls }));
    expect(failures).toEqual([]);
  });

  it('returns an error for every negative answer that tried to call', () => {
    for (const entry of corpus.filter((e) => /unknown-function|missing-argument|mistyped-argument/.test(e.kind))) {
      expect(parseToolCalls(entry.output, corpusFunctions).errors, entry.output).toHaveLength(1);
    }
  });
});
