/**
 * The model of a user-written function (the function editor's data, not its UI): a definition the
 * model sees, and a JavaScript body that runs only in the sandbox (./sandbox/FunctionSandbox.ts).
 *
 * Checking never runs the code in the app: syntax is checked by compiling it INSIDE the sandbox, so
 * the app's origin needs neither `new Function` nor a CSP that allows it.
 */
import type { FunctionSpec } from '../lib/types/functionSpec.ts';
import { fromTrelisV2, type TrelisV2Argument } from '../lib/prompt/trelisV2.ts';
import { validateFunctionSpec } from '../lib/validate/validateFunctionSpec.ts';
import type { CompileResult } from './sandbox/FunctionSandbox.ts';
import { offsetOf, type CodePosition } from './sandbox/syntaxPosition.ts';
import { locateJsonPath } from '../lib/text/locateJsonPath.ts';
import { errorMessage } from '../lib/errors.ts';

export interface UserFunctionDef {
  spec: FunctionSpec;
  /** The body of `async function (args) { … }`: may `return` a value or a Promise, may `await`. */
  code: string;
  enabled: boolean;
  /** ISO 8601. */
  createdAt: string;
}

export interface UserFunctionInput {
  /**
   * JSON text: a FunctionSpec / OpenAI function ({name, description, parameters}), an OpenAI tool
   * ({type: 'function', function: {…}}), or Trelis v2 metadata ({function, description, arguments: […]}).
   */
  definition: string;
  code: string;
  /**
   * The editor's "Ask before running" box: saves `confirm: true`, so each call waits for the user's
   * OK. A definition that says `"confirm": true` itself asks too; unticking the box does not undo that.
   */
  confirm?: boolean;
}

/**
 * One reason a function was refused, with where it is when that is known, so the editor can mark the
 * place in the text as well as list the sentence (which also names the line and column).
 */
export interface FunctionProblem {
  /** The text it is about: the definition JSON or the JavaScript body. */
  field: 'definition' | 'code';
  message: string;
  /** 0-based offsets in that text. */
  from?: number;
  to?: number;
  /** 1-based. */
  line?: number;
  column?: number;
}

export type UserFunctionCheck =
  { ok: true; def: UserFunctionDef } | { ok: false; errors: string[]; problems: FunctionProblem[] };

/**
 * The longest function body the editor saves. It is kept in IndexedDB and sent to the sandbox on every
 * call; 100,000 characters is far more than a function the model calls needs, and far less than what
 * would slow the editor or storage down.
 */
export const MAX_CODE_LENGTH = 100_000;

export interface UserFunctionCheckOptions {
  /** Compiles the code without running it; normally `FunctionSandbox#compile`. */
  compile: (code: string) => Promise<CompileResult>;
  now?: () => Date;
}

/**
 * Checks a function typed into the editor and builds its definition.
 * @param existingNames names already in use (built-ins and other user functions; leave out the
 *   function's own old name when editing it).
 * @returns the definition (enabled) or every problem found, as sentences the editor can show.
 */
export async function checkUserFunction(
  input: UserFunctionInput,
  existingNames: Iterable<string>,
  options: UserFunctionCheckOptions,
): Promise<UserFunctionCheck> {
  const problems: FunctionProblem[] = [];
  let spec: FunctionSpec | undefined;
  const parsed = parseJson(input.definition);
  if (!parsed.ok) {
    problems.push(parsed.problem);
  } else {
    const candidate = toSpecCandidate(parsed.value);
    if (!candidate.ok) {
      problems.push(...candidate.errors.map((message) => ({ field: 'definition' as const, message })));
    } else {
      const check = validateFunctionSpec(candidate.value, existingNames);
      if (check.ok) spec = input.confirm === true ? { ...check.spec, confirm: true } : check.spec;
      else {
        for (const p of check.problems) {
          // Trelis metadata is rewritten before it is checked: its paths do not name places in the text.
          const path = candidate.prefix === undefined ? undefined : [...candidate.prefix, ...p.path];
          problems.push(locatedInDefinition(input.definition, p.message, path));
        }
      }
    }
  }

  if (input.code.trim() === '') {
    problems.push({
      field: 'code',
      message: 'The code is empty: write the body of a function that receives `args` and returns a result.',
    });
  } else if (input.code.length > MAX_CODE_LENGTH) {
    problems.push({
      field: 'code',
      message: `The code is ${input.code.length} characters long; at most ${MAX_CODE_LENGTH} are saved.`,
    });
  } else {
    try {
      const compiled = await options.compile(input.code);
      if (!compiled.ok) problems.push(codeProblem(input.code, compiled.message, compiled.position));
    } catch (error) {
      problems.push({ field: 'code', message: `The code could not be checked: ${errorMessage(error)}` });
    }
  }

  if (problems.length > 0 || !spec) return { ok: false, errors: problems.map((p) => p.message), problems };
  const createdAt = (options.now?.() ?? new Date()).toISOString();
  return { ok: true, def: { spec, code: input.code, enabled: true, createdAt } };
}

function codeProblem(code: string, message: string, position: CodePosition | undefined): FunctionProblem {
  if (!position) return { field: 'code', message: `The code does not compile: ${message}` };
  const from = offsetOf(code, position);
  return {
    field: 'code',
    message: `The code does not compile at line ${position.line}, column ${position.column}: ${message}`,
    line: position.line,
    column: position.column,
    from,
    // One character, or none at the very end: the marker sits where the parser stopped.
    to: Math.min(from + 1, code.length),
  };
}

/** A definition problem marked at the value its path names (the sentence gains the line and column). */
function locatedInDefinition(text: string, message: string, path: string[] | undefined): FunctionProblem {
  const range = path === undefined || path.length === 0 ? undefined : locateJsonPath(text, path);
  if (!range) return { field: 'definition', message };
  const { line, column } = lineColumnOf(text, range.from);
  return { field: 'definition', message: `Line ${line}, column ${column}: ${message}`, ...range, line, column };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problem: FunctionProblem } {
  if (text.trim() === '')
    return {
      ok: false,
      problem: { field: 'definition', message: 'The definition is empty: paste a JSON function definition.' },
    };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = errorMessage(error);
    const position = /position (\d+)/.exec(message);
    if (!position)
      return { ok: false, problem: { field: 'definition', message: `The definition is not valid JSON: ${message}` } };
    const from = Math.min(Number(position[1]), text.length);
    const { line, column } = lineColumnOf(text, from);
    // V8 names only a character position in some versions; say the line and column people look for.
    const where = /line/i.test(message) ? '' : ` (line ${line}, column ${column})`;
    return {
      ok: false,
      problem: {
        field: 'definition',
        message: `The definition is not valid JSON: ${message}${where}`,
        from,
        to: Math.min(from + 1, text.length),
        line,
        column,
      },
    };
  }
}

export function lineAndColumn(text: string, position: number): string {
  const { line, column } = lineColumnOf(text, position);
  return `line ${line}, column ${column}`;
}

function lineColumnOf(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** `prefix`: where the spec sits in the parsed JSON (['function'] in an OpenAI tool); none for Trelis. */
type Candidate = { ok: true; value: unknown; prefix?: string[] } | { ok: false; errors: string[] };

/** Recognizes the three accepted shapes and turns them into a FunctionSpec-like object to validate. */
function toSpecCandidate(value: unknown): Candidate {
  if (!isRecord(value))
    return { ok: false, errors: ['The definition must be a JSON object, not a list or a single value.'] };
  if (value.type === 'function' && isRecord(value.function))
    return { ok: true, value: withDefaultParameters(value.function), prefix: ['function'] };
  if (typeof value.function === 'string' || Array.isArray(value.arguments)) return fromTrelis(value);
  return { ok: true, value: withDefaultParameters(value), prefix: [] };
}

/** OpenAI lets a function without arguments leave `parameters` out. */
function withDefaultParameters(spec: Record<string, unknown>): Record<string, unknown> {
  return spec.parameters === undefined ? { ...spec, parameters: { type: 'object', properties: {} } } : spec;
}

function fromTrelis(meta: Record<string, unknown>): Candidate {
  const errors: string[] = [];
  if (typeof meta.function !== 'string') errors.push('Trelis v2 metadata needs "function": the function name.');
  if (meta.description !== undefined && typeof meta.description !== 'string')
    errors.push('"description" must be text.');
  const args = meta.arguments ?? [];
  if (!Array.isArray(args)) {
    errors.push('"arguments" must be a list of {"name", "type", "description"} objects.');
  } else {
    args.forEach((arg: unknown, i) => {
      if (!isRecord(arg) || typeof arg.name !== 'string' || typeof arg.type !== 'string') {
        errors.push(
          `Argument ${i + 1} needs a "name" and a "type" (string, number, integer, boolean, array or object).`,
        );
      } else if (arg.description !== undefined && typeof arg.description !== 'string') {
        errors.push(`The description of argument "${arg.name}" must be text.`);
      }
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: fromTrelisV2({
      function: String(meta.function),
      ...(typeof meta.description === 'string' ? { description: meta.description } : {}),
      // Checked element by element just above.
      arguments: args as TrelisV2Argument[],
    }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
