import { describe, expect, it } from 'vitest';
import { describeBos, expectedBosCount, tokenSummary } from '../../../src/ui/components/inspector/bosCheck.ts';
import { trelisV2Format } from '../../../src/lib/formats/trelisV2Format.ts';
import { mistralV3Format } from '../../../src/lib/formats/mistralV3Format.ts';
import type { PromptContext } from '../../../src/lib/formats/promptFormat.ts';
import { fakeTokenize } from '../../doubles/fakeEngine.ts';

describe('describeBos', () => {
  it('confirms a single BOS at the start', () => {
    expect(describeBos({ ids: [1, 518, 25580, 29962], bosTokenId: 1, bosCount: 1 })).toEqual({
      ok: true,
      text: 'BOS (id 1) appears once, at the start ✓',
    });
  });

  it('flags a duplicate BOS (the tokenizer added one and the prompt wrote one)', () => {
    const verdict = describeBos({ ids: [1, 1, 518, 25580], bosTokenId: 1, bosCount: 2 });
    expect(verdict.ok).toBe(false);
    expect(verdict.text).toBe('BOS appears 2 times — the prompt has a duplicate <s>.');
  });

  it('flags a prompt whose <s> was not read as BOS', () => {
    // A sentencepiece-only tokenizer encodes "<s>" as the characters <, s, >.
    expect(describeBos({ ids: [529, 29879, 29958, 518], bosTokenId: 1, bosCount: 0 })).toEqual({
      ok: false,
      text: 'No BOS: the model will see the prompt without its start token.',
    });
  });

  it('flags a BOS that is not the first token', () => {
    const verdict = describeBos({ ids: [29871, 1, 518], bosTokenId: 1 });
    expect(verdict.ok).toBe(false);
    expect(verdict.text).toMatch(/^BOS \(id 1\) appears once, but not at the start/);
  });

  it('says so when the model names no BOS token', () => {
    expect(describeBos({ ids: [5, 6, 7] })).toEqual({
      ok: false,
      text: 'This model names no BOS token, so there is nothing to check.',
    });
  });

  it('counts from the ids, not from a bosCount that disagrees', () => {
    expect(describeBos({ ids: [1, 5, 1], bosTokenId: 1, bosCount: 1 }).ok).toBe(false);
  });

  it('accepts one BOS per turn in a Llama-2 multi-turn prompt, and only that many', () => {
    expect(describeBos({ ids: [1, 5, 2, 1, 6], bosTokenId: 1 }, 2)).toEqual({
      ok: true,
      text: 'BOS (id 1) appears 2 times: at the start and at the start of the later turn ✓',
    });
    expect(describeBos({ ids: [1, 5, 2, 1, 6, 2, 1, 7], bosTokenId: 1 }, 3).text).toContain(
      'each of the 2 later turns ✓',
    );
    expect(describeBos({ ids: [1, 5, 2, 1, 6, 1], bosTokenId: 1 }, 2)).toEqual({
      ok: false,
      text: 'BOS appears 3 times for 2 turns — the prompt has a duplicate <s>.',
    });
    expect(describeBos({ ids: [1, 5, 2, 6], bosTokenId: 1 }, 2)).toEqual({
      ok: false,
      text: 'BOS appears once for 2 turns — a later turn is missing its <s>.',
    });
  });

  it('flags two BOS in a row at the start even when the total matches the turns', () => {
    expect(describeBos({ ids: [1, 1, 5, 2, 6], bosTokenId: 1 }, 2).ok).toBe(false);
  });
});

describe('expectedBosCount', () => {
  const ctx = (turns: PromptContext['turns']): PromptContext => ({ functions: [], toolChoice: 'auto', turns });

  it('expects one BOS for a single-turn trelis-v2 prompt', () => {
    const built = trelisV2Format.build(ctx([{ role: 'user', content: 'Hi' }]));
    if (built.request.api !== 'completion') throw new Error('trelis-v2 is a completion format');
    expect(expectedBosCount(built.request.prompt)).toBe(1);
  });

  it('expects one more BOS per earlier Llama-2 turn', () => {
    const built = trelisV2Format.build(
      ctx([
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'Bye' },
      ]),
    );
    if (built.request.api !== 'completion') throw new Error('trelis-v2 is a completion format');
    expect(expectedBosCount(built.request.prompt)).toBe(2);
  });

  it('expects a single BOS for mistral-v3, whose turns do not restart with <s>', () => {
    const built = mistralV3Format.build(
      ctx([
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'Bye' },
      ]),
    );
    if (built.request.api !== 'completion') throw new Error('mistral-v3 is a completion format');
    expect(expectedBosCount(built.request.prompt)).toBe(1);
  });
});

describe('tokenSummary', () => {
  it('gives the token count and the first 12 ids', () => {
    const ids = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(tokenSummary({ ids })).toBe('20 prompt tokens · first ids: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, …');
    expect(tokenSummary({ ids: [1, 2] })).toBe('2 prompt tokens · first ids: 1, 2');
  });
});

describe("the e2e double's tokenizer (what the browser test's check runs on)", () => {
  it('reads <s> and </s> as ids 1 and 2 and gives other pieces stable ids of 3 or more', () => {
    const a = fakeTokenize('<s>[INST] Hi [/INST] Hello </s><s>[INST] Hi');
    expect(a.ids.slice(0, 5)).toEqual([1, a.ids[1], a.ids[2], a.ids[3], a.ids[4]]);
    expect(a.ids.filter((id) => id < 3)).toEqual([1, 2, 1]);
    expect(a.bosCount).toBe(2);
    expect(a.ids[2]).toBe(a.ids[8]); // "Hi" both times
    expect(Math.min(...a.ids.filter((id) => id !== 1 && id !== 2))).toBeGreaterThanOrEqual(3);
  });

  it('confirms a trelis-v2 prompt and catches a doubled <s>', () => {
    const ctx: PromptContext = {
      functions: [],
      turns: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Yo' },
        { role: 'user', content: 'Again' },
      ],
    };
    const built = trelisV2Format.build(ctx);
    if (built.request.api !== 'completion') throw new Error('trelis-v2 is a completion format');
    const prompt = built.request.prompt;
    expect(describeBos(fakeTokenize(prompt), expectedBosCount(prompt)).ok).toBe(true);
    expect(describeBos(fakeTokenize('<s>' + prompt), expectedBosCount(prompt)).text).toContain('duplicate <s>');
  });
});
