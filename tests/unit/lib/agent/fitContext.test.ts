import { describe, expect, it } from 'vitest';
import {
  CHAT_MESSAGE_OVERHEAD,
  estimateTokens,
  fitContext,
  type FitInput,
} from '../../../../src/lib/agent/fitContext.ts';
import type { BuiltPrompt } from '../../../../src/lib/formats/promptFormat.ts';
import type { Turn } from '../../../../src/lib/types/turn.ts';

/** One token per whitespace-separated word: easy to reason about in these tests. */
const countWords = async (text: string) => text.split(/\s+/).filter(Boolean).length;

/** A prompt that is a 10-word header (system prompt + functions) and then each turn's content. */
function completionBuild(turns: Turn[]): BuiltPrompt {
  const header = 'h1 h2 h3 h4 h5 h6 h7 h8 h9 h10';
  return {
    request: { api: 'completion', prompt: [header, ...turns.map((t) => t.content)].join('\n') },
    constrained: false,
    constraintNote: '',
  };
}

const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');

/** Three earlier exchanges (one with a call and its result), then the new user message. */
const conversation: Turn[] = [
  { role: 'user', content: words(20, 'a') },
  { role: 'assistant', content: words(20, 'b') },
  { role: 'user', content: words(20, 'c') },
  { role: 'assistant', content: words(5, 'call'), calls: [{ name: 'f', arguments: {} }] },
  { role: 'tool', name: 'f', content: words(10, 'result') },
  { role: 'assistant', content: words(5, 'd') },
  { role: 'user', content: words(20, 'e') },
  { role: 'assistant', content: words(20, 'f') },
  { role: 'user', content: words(20, 'new') },
];

function input(windowTokens: number, answerTokens: number, turns = conversation): FitInput {
  return { turns, build: completionBuild, budget: { windowTokens, countTokens: countWords }, answerTokens };
}

describe('fitContext', () => {
  it('sends everything when it fits', async () => {
    const fit = await fitContext(input(1000, 100));
    expect(fit).toMatchObject({
      ok: true,
      droppedTurns: 0,
      droppedMessages: 0,
      promptTokens: 10 + 140,
      counted: 'tokenizer',
    });
  });

  it('drops the oldest whole exchanges first and keeps the header and the newest ones', async () => {
    // 150 tokens in all; 140 allowed → the first exchange (40 words) must go, the rest (110) fits.
    const fit = await fitContext(input(240, 100));
    if (!fit.ok) throw new Error('expected a fit');
    expect(fit.droppedTurns).toBe(2);
    expect(fit.droppedMessages).toBe(2);
    expect(fit.promptTokens).toBe(110);
    const prompt = fit.built.request.api === 'completion' ? fit.built.request.prompt : '';
    expect(prompt.startsWith('h1 ')).toBe(true);
    expect(prompt).not.toContain('a0');
    expect(prompt).toContain('c0');
    expect(prompt).toContain('new19');
  });

  it('never keeps a function result without the call that asked for it', async () => {
    // Room for the header, the last two exchanges and 10 more words: exactly the tool result alone
    // would fit, but its exchange (call + result + answer) is dropped whole.
    const fit = await fitContext(input(100 + 10 + 80 + 10, 100));
    if (!fit.ok) throw new Error('expected a fit');
    const prompt = fit.built.request.api === 'completion' ? fit.built.request.prompt : '';
    expect(prompt).not.toContain('result0');
    expect(prompt).not.toContain('call0');
    expect(fit.droppedTurns).toBe(6);
    expect(fit.droppedMessages).toBe(4);
  });

  it('keeps the newest exchange with its calls and results even when older ones go', async () => {
    const ongoing: Turn[] = [
      ...conversation,
      { role: 'assistant', content: words(5, 'now'), calls: [{ name: 'f', arguments: {} }] },
      { role: 'tool', name: 'f', content: words(10, 'fresh') },
    ];
    const fit = await fitContext(input(100 + 10 + 35, 100, ongoing));
    if (!fit.ok) throw new Error('expected a fit');
    const prompt = fit.built.request.api === 'completion' ? fit.built.request.prompt : '';
    expect(prompt).toContain('new0');
    expect(prompt).toContain('fresh9');
    expect(prompt).not.toContain('e0');
  });

  it('reports an overflow when even the newest message does not fit, and never shortens the turns passed in', async () => {
    const before = structuredClone(conversation);
    const fit = await fitContext(input(100 + 29, 100));
    expect(fit).toMatchObject({ ok: false, promptTokens: 30, promptBudget: 29, windowTokens: 129, answerTokens: 100 });
    expect(conversation).toEqual(before);
  });

  it('counts chat prompts per message with the template overhead', async () => {
    const fit = await fitContext({
      turns: [{ role: 'user', content: 'one two three' }],
      build: (turns) => ({
        request: {
          api: 'chat',
          messages: [
            { role: 'system', content: 'sys' },
            ...turns.map((t) => ({ role: 'user' as const, content: t.content })),
          ],
        },
        constrained: false,
        constraintNote: '',
      }),
      budget: { windowTokens: 4096, countTokens: countWords },
      answerTokens: 512,
    });
    expect(fit).toMatchObject({ ok: true, promptTokens: 4 + 2 * CHAT_MESSAGE_OVERHEAD });
  });

  it('falls back to a conservative estimate when there is no tokenizer or it fails', async () => {
    const failing = await fitContext({
      ...input(1000, 100),
      budget: { windowTokens: 1000, countTokens: () => Promise.reject(new Error('not loaded')) },
    });
    expect(failing).toMatchObject({ ok: true, counted: 'estimate' });
    const none = await fitContext({ ...input(1000, 100), budget: { windowTokens: 1000 } });
    expect(none.counted).toBe('estimate');
    const prompt = completionBuild(conversation).request;
    expect(none.promptTokens).toBe(estimateTokens(prompt.api === 'completion' ? prompt.prompt : ''));
    // Over-counts English: more than one token per 4 characters.
    expect(estimateTokens('The quick brown fox jumps over the lazy dog.')).toBeGreaterThan(44 / 4);
  });

  it('keeps the answer tokens free: the request maxTokens when no answer size is given', async () => {
    const build = (turns: Turn[]): BuiltPrompt => ({
      ...completionBuild(turns),
      request: { ...completionBuild(turns).request, maxTokens: 1000 },
    });
    const fit = await fitContext({
      turns: conversation,
      build,
      budget: { windowTokens: 1020, countTokens: countWords },
    });
    expect(fit).toMatchObject({ ok: false, answerTokens: 1000, promptBudget: 20 });
  });
});
