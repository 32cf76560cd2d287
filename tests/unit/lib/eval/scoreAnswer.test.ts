import { describe, expect, it } from 'vitest';
import { scoreAnswer } from '../../../../src/lib/eval/scoreAnswer.ts';
import type { EvalCase } from '../../../../src/lib/eval/evalCase.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';

const note: FunctionSpec = {
  name: 'save_note',
  description: 'Save a note.',
  parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
};
const simple: EvalCase = {
  id: 's1',
  category: 'simple',
  question: 'Save a note: buy milk',
  functions: [note],
  expected: [{ name: 'save_note', arguments: { text: ['buy milk'] } }],
};
const irrelevant: EvalCase = {
  id: 'i1',
  category: 'irrelevance',
  question: 'Tell me a joke',
  functions: [note],
  expected: [],
};

describe('scoreAnswer', () => {
  it('parses the answer as the app does, text around the call included', () => {
    const score = scoreAnswer(simple, 'Here you go: {"name": "save_note", "arguments": {"text": "Buy milk"}}');
    expect(score).toMatchObject({ id: 's1', category: 'simple', correct: true, reason: '' });
    expect(score.calls).toEqual([{ name: 'save_note', arguments: { text: 'Buy milk' } }]);
  });

  it('fails an answer with no call, or with a call the token limit cut', () => {
    expect(scoreAnswer(simple, 'Done!')).toMatchObject({ correct: false, reason: 'no function call in the answer' });
    const cut = scoreAnswer(simple, '{"name": "save_note", "arguments": {"text": "buy milk', 'length');
    expect(cut.correct).toBe(false);
    expect(cut.reason).toMatch(/token limit/);
    // The same text ended by the model itself is repaired and counts.
    expect(scoreAnswer(simple, '{"name": "save_note", "arguments": {"text": "buy milk"}').correct).toBe(true);
  });

  it('scores irrelevance as correct only when nothing is called', () => {
    expect(scoreAnswer(irrelevant, 'Why did the chicken cross the road?').correct).toBe(true);
    expect(scoreAnswer(irrelevant, '{"name": "save_note", "arguments": {"text": "joke"}}')).toMatchObject({
      correct: false,
      reason: 'called save_note although no function fits',
    });
    expect(scoreAnswer(irrelevant, '{"name": "tell_joke", "arguments": {}}').correct).toBe(false);
  });
});
