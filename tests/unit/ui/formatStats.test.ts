import { describe, expect, it } from 'vitest';
import { formatStats, promptTokensLine } from '../../../src/ui/components/inspector/formatStats.ts';

describe('formatStats', () => {
  it('lists time to first token, prefill and decode speed, and grammar time when present', () => {
    expect(
      formatStats({
        timeToFirstTokenS: 0.4321,
        prefillTokensPerS: 812.4,
        decodeTokensPerS: 23.456,
        grammarPerTokenS: 0.0021,
        completionTokens: 12,
      }),
    ).toEqual([
      { label: 'Time to first token', value: '432 ms' },
      { label: 'Prefill', value: '812 tokens/s' },
      { label: 'Decode', value: '23.5 tokens/s' },
      { label: 'Grammar time per token', value: '2 ms' },
      { label: 'Output tokens', value: '12' },
    ]);
  });

  it('shows nothing for missing or non-finite numbers', () => {
    expect(formatStats(undefined)).toEqual([]);
    expect(formatStats({ decodeTokensPerS: Number.NaN, e2eLatencyS: 2.5 })).toEqual([
      { label: 'Total time', value: '2.50 s' },
    ]);
  });

  it('says how many prompt tokens were read and how many were reused from the cache', () => {
    expect(promptTokensLine({ promptTokens: 1234, promptTokensReused: 5678 })).toBe(
      'Prompt: 1,234 tokens read, 5,678 reused',
    );
    expect(promptTokensLine({ promptTokens: 1, promptTokensReused: 0 })).toBe('Prompt: 1 token read, 0 reused');
    expect(promptTokensLine({ promptTokens: 12 })).toBe('Prompt: 12 tokens read');
    expect(promptTokensLine({ completionTokens: 3 })).toBeNull();
    expect(promptTokensLine(undefined)).toBeNull();
  });
});
