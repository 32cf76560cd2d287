import { describe, expect, it } from 'vitest';
import { runEvaluation, type EvaluationProgress } from '../../../../src/lib/eval/runEvaluation.ts';
import type { EvalCase } from '../../../../src/lib/eval/evalCase.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';
import type { GenerateRequest, GenerateResult, TextGenerator } from '../../../../src/lib/types/generation.ts';
import { RecordingFormat } from '../agent/fakes.ts';

const stock: FunctionSpec = {
  name: 'get_stock_price',
  parameters: { type: 'object', properties: { symbol: { type: 'string' } }, required: ['symbol'] },
};
const cases: EvalCase[] = ['AAPL', 'MSFT', 'NVDA'].map((symbol, i) => ({
  id: `s${i}`,
  category: 'simple',
  question: `Price of ${symbol}?`,
  functions: [stock],
  expected: [{ name: 'get_stock_price', arguments: { symbol: [symbol] } }],
}));

/** Answers AAPL right, MSFT wrong, and fails on NVDA. */
class Answering implements TextGenerator {
  prompts: string[] = [];
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const prompt = request.api === 'completion' ? request.prompt : '';
    this.prompts.push(prompt);
    if (prompt.includes('NVDA')) throw Object.assign(new Error('GPU lost'), { name: 'DeviceLostError' });
    const symbol = prompt.includes('AAPL') ? 'AAPL' : 'IBM';
    return {
      text: JSON.stringify({ name: 'get_stock_price', arguments: { symbol } }),
      finishReason: 'stop',
      stats: { decodeTokensPerS: 12 },
    };
  }
  interrupt(): void {}
  finishingStopped(): boolean {
    return false;
  }
}

describe('runEvaluation', () => {
  it('generates once per case with the question as the only turn, and scores each', async () => {
    const generator = new Answering();
    const format = new RecordingFormat();
    const progress: EvaluationProgress[] = [];
    const run = await runEvaluation({
      cases,
      generator,
      format,
      toolChoice: 'required',
      onProgress: (p) => progress.push(p),
    });

    expect(format.contexts.map((c) => [c.turns, c.toolChoice])).toEqual(
      cases.map((c) => [[{ role: 'user', content: c.question }], 'required']),
    );
    expect(run.items.map((i) => [i.id, i.correct])).toEqual([
      ['s0', true],
      ['s1', false],
      ['s2', false],
    ]);
    expect(run.items[2]).toMatchObject({
      engineError: { name: 'DeviceLostError', message: 'GPU lost' },
      reason: 'DeviceLostError: GPU lost',
    });
    expect(run.report).toMatchObject({ total: 3, correct: 1, decodeTokensPerS: 12 });
    expect(run.report.msPerItem).toBeGreaterThanOrEqual(0);
    expect(progress.map((p) => `${p.done}/${p.total}`)).toEqual(['1/3', '2/3', '3/3']);
    expect(run).toMatchObject({ aborted: false, constrained: false, constraintNote: 'not constrained in tests' });
  });

  it('stops when aborted and returns what was scored', async () => {
    const controller = new AbortController();
    const run = await runEvaluation({
      cases,
      generator: new Answering(),
      format: new RecordingFormat(),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(run.aborted).toBe(true);
    expect(run.items.map((i) => i.id)).toEqual(['s0']);
    expect(run.report.total).toBe(1);
  });
});
