/**
 * Loads Berkeley Function-Calling Leaderboard files: a question JSONL (`id`, `question`, `function`)
 * and its possible_answer JSONL (`id`, `ground_truth`). Both BFCL versions are read:
 * - question: a string (v1) or a list of turns of {role, content} messages (v3: the first turn's
 *   user messages are used; multi-turn categories are out of scope);
 * - function: one object or a list; ground_truth: one {name: {arg: [values]}} object or a list of them.
 * The category comes from the id prefix (simple_, multiple_, parallel_, parallel_multiple_,
 * irrelevance_, live_…), else from the shape of the answer.
 */
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { EvalCase, EvalCategory, ExpectedCall } from './evalCase.ts';
import { convertBfclSchema } from './convertBfclSchema.ts';
import { JsonlError, parseJsonl } from './parseJsonl.ts';
import { validateFunctionSpec } from '../validate/validateFunctionSpec.ts';

export interface BfclLoad {
  cases: EvalCase[];
  /** Lines or questions that could not be used, with the reason. */
  skipped: JsonlError[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function questionText(question: unknown): string | undefined {
  if (typeof question === 'string') return question;
  if (!Array.isArray(question)) return undefined;
  const firstTurn: unknown = question[0];
  const messages: unknown[] = Array.isArray(firstTurn) ? firstTurn : question;
  const user = messages.filter(isRecord).filter((m) => m.role === 'user' && typeof m.content === 'string');
  return user.length > 0 ? user.map((m) => String(m.content)).join('\n') : undefined;
}

/**
 * The question's functions, each checked by validateFunctionSpec as the function editor checks
 * them (schema, sizes, patterns that could freeze the page). BFCL names are dotted (`math.factorial`),
 * which our identifier rule refuses, so the name is checked with its dots read as `_`.
 * @returns the specs, undefined when `function` is not a function or a list of them, or every refusal
 */
function toFunctions(fn: unknown): FunctionSpec[] | { refused: string[] } | undefined {
  const list = Array.isArray(fn) ? fn : [fn];
  const specs: FunctionSpec[] = [];
  const refused: string[] = [];
  const taken: string[] = [];
  for (const f of list) {
    if (!isRecord(f) || typeof f.name !== 'string') return undefined;
    const spec: FunctionSpec = {
      name: f.name,
      parameters: convertBfclSchema(f.parameters ?? { type: 'dict', properties: {} }),
    };
    if (typeof f.description === 'string') spec.description = f.description;
    const checkedName = f.name.replaceAll('.', '_');
    const check = validateFunctionSpec({ ...spec, name: checkedName }, taken);
    taken.push(checkedName);
    if (check.ok) specs.push(spec);
    else refused.push(`function ${JSON.stringify(f.name)} refused: ${check.reasons.join(' ')}`);
  }
  return refused.length > 0 ? { refused } : specs;
}

function toExpected(groundTruth: unknown): ExpectedCall[] | undefined {
  const list = Array.isArray(groundTruth) ? groundTruth : [groundTruth];
  const calls: ExpectedCall[] = [];
  for (const entry of list) {
    if (!isRecord(entry)) return undefined;
    for (const [name, args] of Object.entries(entry)) {
      if (!isRecord(args)) return undefined;
      // A bare value (not a list) is the single acceptable value.
      const options = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
      calls.push({ name, arguments: options });
    }
  }
  return calls;
}

/** The category from BFCL's id, e.g. "live_parallel_multiple_3-1-0" → parallel. */
export function bfclCategory(id: string, expected: ExpectedCall[] | undefined, functionCount: number): EvalCategory {
  const name = id.replace(/^live_/, '').replace(/_?\d.*$/, '');
  if (name.startsWith('irrelevance') || name.startsWith('relevance_irrelevance')) return 'irrelevance';
  if (name.startsWith('parallel')) return 'parallel';
  if (name.startsWith('multiple')) return 'multiple';
  if (name.startsWith('simple')) return 'simple';
  if (!expected || expected.length === 0) return 'irrelevance';
  if (expected.length > 1) return 'parallel';
  return functionCount > 1 ? 'multiple' : 'simple';
}

export function loadBfcl(questionsJsonl: string, answersJsonl = ''): BfclLoad {
  const questions = parseJsonl(questionsJsonl);
  const answers = parseJsonl(answersJsonl);
  const skipped = [...questions.errors, ...answers.errors];
  const truth = new Map<string, unknown>();
  for (const { value } of answers.lines) {
    if (isRecord(value) && typeof value.id === 'string') truth.set(value.id, value.ground_truth);
  }

  const cases: EvalCase[] = [];
  for (const { line, value } of questions.lines) {
    if (!isRecord(value) || typeof value.id !== 'string') {
      skipped.push(new JsonlError(line, 'no "id"'));
      continue;
    }
    const id = value.id;
    const question = questionText(value.question);
    const functions = toFunctions(value.function);
    if (question === undefined) skipped.push(new JsonlError(line, `${id}: no user question`));
    else if (!functions) skipped.push(new JsonlError(line, `${id}: "function" is not a function or a list of them`));
    else if ('refused' in functions)
      for (const reason of functions.refused) skipped.push(new JsonlError(line, `${id}: ${reason}`));
    else {
      const expected = truth.has(id) ? toExpected(truth.get(id)) : undefined;
      const category = bfclCategory(id, expected, functions.length);
      if (category === 'irrelevance') cases.push({ id, category, question, functions, expected: [] });
      else if (!expected) skipped.push(new JsonlError(line, `${id}: no possible answer for this question`));
      else cases.push({ id, category, question, functions, expected });
    }
  }
  return { cases, skipped };
}
