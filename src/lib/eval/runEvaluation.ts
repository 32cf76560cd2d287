/**
 * Runs a test set against a text generator: one generation per case (the question as the only user
 * turn, the case's functions listed by the chosen format), scored without running any function.
 * Engine errors are recorded on the item and the run goes on; an abort stops it and returns what was
 * scored so far.
 */
import type { ToolChoice } from '../types/agent.ts';
import type { TextGenerator } from '../types/generation.ts';
import type { PromptFormat } from '../formats/promptFormat.ts';
import type { EvalCase } from './evalCase.ts';
import { scoreAnswer } from './scoreAnswer.ts';
import { summarize, type EvalItemResult, type EvalReport } from './summarize.ts';

export interface EvaluationProgress {
  done: number;
  total: number;
  item: EvalItemResult;
}

export interface RunEvaluationOptions {
  cases: EvalCase[];
  generator: TextGenerator;
  format: PromptFormat;
  toolChoice?: ToolChoice;
  canConstrain?: boolean;
  /** The model was loaded for raw prompts, so raw-prompt formats can be constrained too (PromptContext). */
  canConstrainRaw?: boolean;
  generation?: { maxTokens?: number; temperature?: number };
  onProgress?: (progress: EvaluationProgress) => void;
  signal?: AbortSignal;
}

export interface EvaluationRun {
  items: EvalItemResult[];
  report: EvalReport;
  /** Whether the format constrained the generations (as it reported for the first case). */
  constrained: boolean;
  constraintNote: string;
  aborted: boolean;
}

function errorInfo(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}

export async function runEvaluation(options: RunEvaluationOptions): Promise<EvaluationRun> {
  const { cases, generator, signal } = options;
  const items: EvalItemResult[] = [];
  let constrained = false;
  let constraintNote = '';
  const interrupt = () => generator.interrupt();
  signal?.addEventListener('abort', interrupt);
  try {
    for (const [index, testCase] of cases.entries()) {
      if (signal?.aborted) break;
      const item = await runCase(testCase, options, (built) => {
        if (index === 0) ({ constrained, constraintNote } = built);
      });
      if (signal?.aborted) break;
      items.push(item);
      options.onProgress?.({ done: items.length, total: cases.length, item });
    }
  } finally {
    signal?.removeEventListener('abort', interrupt);
  }
  return { items, report: summarize(items), constrained, constraintNote, aborted: signal?.aborted ?? false };
}

async function runCase(
  testCase: EvalCase,
  options: RunEvaluationOptions,
  onBuilt: (built: { constrained: boolean; constraintNote: string }) => void,
): Promise<EvalItemResult> {
  const started = performance.now();
  try {
    const built = options.format.build({
      functions: testCase.functions,
      turns: [{ role: 'user', content: testCase.question }],
      toolChoice: options.toolChoice ?? 'auto',
      canConstrain: options.canConstrain,
      ...(options.canConstrainRaw ? { canConstrainRaw: true } : {}),
    });
    onBuilt(built);
    const request = { ...built.request };
    if (options.generation?.maxTokens !== undefined) request.maxTokens = options.generation.maxTokens;
    if (options.generation?.temperature !== undefined) request.temperature = options.generation.temperature;
    const result = await options.generator.generate(request);
    const item: EvalItemResult = {
      ...scoreAnswer(testCase, result.text, result.finishReason),
      ms: performance.now() - started,
    };
    if (result.stats?.decodeTokensPerS !== undefined) item.decodeTokensPerS = result.stats.decodeTokensPerS;
    if (result.stats?.completionTokens !== undefined) item.completionTokens = result.stats.completionTokens;
    return item;
  } catch (err) {
    const engineError = errorInfo(err);
    return {
      id: testCase.id,
      category: testCase.category,
      correct: false,
      reason: `${engineError.name}: ${engineError.message}`,
      output: '',
      calls: [],
      errors: [],
      ms: performance.now() - started,
      engineError,
    };
  }
}
