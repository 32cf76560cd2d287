import { describe, expect, it } from 'vitest';
import { splitReasoning, withoutReasoning } from '../../../../src/lib/text/splitReasoning.ts';

const THINK = { open: '<think>', close: '</think>' };
const MISTRAL = { open: '[THINK]', close: '[/THINK]' };

describe('splitReasoning', () => {
  it('takes a closed block out of the answer', () => {
    const s = splitReasoning('<think>\nI need the city.\n</think>\n\nIt is sunny.', [THINK]);
    expect(s).toEqual({
      reasoning: 'I need the city.',
      answer: '\n\nIt is sunny.',
      thinking: false,
      hasReasoning: true,
    });
  });

  it('reads everything before a closing marker with no opening as reasoning (the prompt opened it)', () => {
    const s = splitReasoning('weighing it up\n</think>\n\nDone.', [THINK]);
    expect(s.reasoning).toBe('weighing it up');
    expect(s.answer.trim()).toBe('Done.');
  });

  it('an unclosed block is reasoning still being written', () => {
    const s = splitReasoning('<think>still {"name": "x"', [THINK]);
    expect(s).toMatchObject({ reasoning: 'still {"name": "x"', answer: '', thinking: true });
  });

  it('holds back a partial opening marker only while streaming', () => {
    expect(splitReasoning('Hello <thi', [THINK], { partial: true }).answer).toBe('Hello ');
    expect(splitReasoning('Hello <thi', [THINK]).answer).toBe('Hello <thi');
  });

  it('knows several marker pairs and several blocks', () => {
    const s = splitReasoning('[THINK]a[/THINK]x<think>b</think>y', [THINK, MISTRAL]);
    expect(s.reasoning).toBe('a\n\nb');
    expect(s.answer).toBe('xy');
  });

  it('an empty block counts as reasoning seen but says nothing', () => {
    const s = splitReasoning('<think>\n\n</think>\n\nHi', [THINK]);
    expect(s).toMatchObject({ reasoning: '', hasReasoning: true, thinking: false });
    expect(withoutReasoning('<think>\n\n</think>\n\nHi', [THINK])).toBe('Hi');
  });

  it('with no markers the text is all answer', () => {
    expect(splitReasoning('<think>x</think>', [])).toMatchObject({ answer: '<think>x</think>', hasReasoning: false });
  });
});
