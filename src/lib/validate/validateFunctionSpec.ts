/**
 * Checks a function definition before it is registered or saved, and says what is wrong in words the
 * function editor can show. Names follow the rule OpenAI tools and our pythonic-call parser share:
 * an identifier, so the model can write it in JSON, in `name(arg=…)` and in prose without quoting.
 */
import type { FunctionSpec, JSONSchema } from '../types/functionSpec.ts';
import { compileArgumentSchema, metaSchemaProblems } from './argumentValidator.ts';
import { checkSchemaPatterns } from './patternSafety.ts';
import { isReservedKey } from './reservedKeys.ts';

/** Function and argument names: a letter or `_`, then letters, digits and `_`, at most 64 in all. */
export const NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/;

/**
 * Size limits. Every definition is written into the prompt, and the small models Callama runs have
 * 4k–32k-token context windows: a 20,000-character schema is already about 5,000 tokens. The depth
 * limit also keeps the validator's recursion far from the stack limit, and catches a schema object
 * that contains itself.
 */
export const MAX_DESCRIPTION_LENGTH = 4000;
export const MAX_SCHEMA_LENGTH = 20_000;
export const MAX_SCHEMA_DEPTH = 32;

/**
 * One reason a definition was refused. `path` says where, as keys from the definition object down
 * (`['parameters', 'properties', 'city', 'type']`), so an editor can mark the place; empty when the
 * problem is the definition as a whole.
 */
export interface SpecProblem {
  path: string[];
  message: string;
}

export type FunctionSpecCheck =
  { ok: true; spec: FunctionSpec } | { ok: false; reasons: string[]; problems: SpecProblem[] };

/**
 * Validates an untrusted function definition (from the editor, a file, or code).
 * @param existingNames names already taken; the definition's name must not be one of them.
 * @returns the spec (a shallow copy with only the known fields) or EVERY reason it was refused
 *   (nested schema errors included), each also with its path in `problems`.
 */
export function validateFunctionSpec(spec: unknown, existingNames?: Iterable<string>): FunctionSpecCheck {
  if (!isPlainObject(spec)) return refuse([{ path: [], message: 'The definition must be an object.' }]);
  const problems: SpecProblem[] = [];
  const at = (path: string[], message: string): void => void problems.push({ path, message });
  const { name, description, parameters, confirm } = spec;

  if (typeof name !== 'string' || name === '') {
    at(name === undefined ? [] : ['name'], 'The function needs a name.');
  } else if (!NAME_PATTERN.test(name)) {
    at(
      ['name'],
      `The name ${quote(name)} is not valid: use a letter or _ first, then letters, digits or _ (64 at most).`,
    );
  } else if (existingNames && new Set(existingNames).has(name)) {
    at(['name'], `A function named "${name}" already exists.`);
  }
  if (description !== undefined && typeof description !== 'string') {
    at(['description'], 'The description must be text.');
  } else if (typeof description === 'string' && description.length > MAX_DESCRIPTION_LENGTH) {
    at(
      ['description'],
      `The description is ${description.length} characters long; at most ${MAX_DESCRIPTION_LENGTH} fit in a prompt.`,
    );
  }
  if (confirm !== undefined && typeof confirm !== 'boolean') {
    at(['confirm'], '"confirm" must be true (ask the user before each call) or false.');
  }
  if (!isPlainObject(parameters)) {
    at(
      parameters === undefined ? [] : ['parameters'],
      'The parameters must be a JSON Schema object, e.g. {"type": "object", "properties": {}}.',
    );
  } else {
    for (const p of checkParameters(parameters)) at(['parameters', ...p.path], p.message);
  }
  if (problems.length > 0) return refuse(problems);
  const clean: FunctionSpec = { name: name as string, parameters: parameters as JSONSchema };
  if (typeof description === 'string') clean.description = description;
  // Only `true` is kept: a spec without the flag and one with `false` mean the same.
  if (confirm === true) clean.confirm = true;
  return { ok: true, spec: clean };
}

function refuse(problems: SpecProblem[]): FunctionSpecCheck {
  return { ok: false, reasons: problems.map((p) => p.message), problems };
}

/** Problems of the parameters schema, paths relative to it. All are collected, not the first only. */
function checkParameters(parameters: Record<string, unknown>): SpecProblem[] {
  // Size first: the checks below walk the schema and list one reason per bad entry.
  if (nestedDeeperThan(parameters, MAX_SCHEMA_DEPTH)) {
    return [
      {
        path: [],
        message: `The parameters schema is nested more than ${MAX_SCHEMA_DEPTH} levels deep (or contains itself).`,
      },
    ];
  }
  const length = JSON.stringify(parameters).length;
  if (length > MAX_SCHEMA_LENGTH) {
    return [
      {
        path: [],
        message: `The parameters schema is ${length} characters of JSON; at most ${MAX_SCHEMA_LENGTH} fit in a prompt.`,
      },
    ];
  }
  const problems: SpecProblem[] = [];
  const at = (path: string[], message: string): void => void problems.push({ path, message });
  if (parameters.type !== 'object') {
    at(parameters.type === undefined ? [] : ['type'], 'The parameters schema must have "type": "object".');
  }
  const { properties, required } = parameters;
  let propertyNames: string[] = [];
  if (properties !== undefined) {
    if (!isPlainObject(properties)) {
      at(['properties'], '"properties" must be an object mapping argument names to schemas.');
    } else {
      propertyNames = Object.keys(properties);
      for (const key of propertyNames) {
        if (!NAME_PATTERN.test(key)) {
          at(
            ['properties', key],
            `The argument name ${quote(key)} is not valid: use a letter or _ first, then letters, digits or _.`,
          );
        } else if (isReservedKey(key)) {
          // Calls using it are refused anyway (reservedKeys.ts): say so where the function is defined.
          at(
            ['properties', key],
            `The argument name ${quote(key)} is reserved: it could change what the function receives.`,
          );
        }
        if (!isPlainObject(properties[key]))
          at(['properties', key], `The schema of argument ${quote(key)} must be an object.`);
      }
    }
  }
  if (required !== undefined) {
    if (!Array.isArray(required) || !required.every((r) => typeof r === 'string')) {
      at(['required'], '"required" must be a list of argument names.');
    } else {
      for (const r of new Set(required)) {
        if (!propertyNames.includes(r))
          at(['required', String(required.indexOf(r))], `The required argument ${quote(r)} is not in "properties".`);
      }
      if (new Set(required).size !== required.length) at(['required'], '"required" lists an argument twice.');
    }
  }
  // The meta-schema check runs whatever else is wrong, so a typo deep inside ("type": "objct" in
  // properties.city) is reported together with the rest, not after they are fixed. A place already
  // reported above is not reported twice.
  const reported = new Set(problems.map((p) => p.path.join('/')));
  for (const p of metaSchemaProblems(parameters)) {
    if (!reported.has(p.path.join('/'))) at(p.path, `The parameters schema is not valid JSON Schema: ${p.text}`);
  }
  // Each pattern that could freeze the page is its own reason (patternSafety.ts).
  if (problems.length === 0) for (const text of checkSchemaPatterns(parameters)) at([], text);
  if (problems.length === 0) {
    // What only preparing the schema finds: a `$ref` to nowhere, duplicate `$id`s.
    const compiled = compileArgumentSchema(parameters);
    if (!compiled.ok) at([], `The parameters schema is not valid JSON Schema: ${compiled.reason}`);
  }
  return problems;
}

/** Whether objects and arrays nest deeper than `limit` (recursion stops at the limit, so it cannot overflow). */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit === 0) return true;
  return Object.values(value).some((child) => nestedDeeperThan(child, limit - 1));
}

/** A name for a message: quoted, and cut short so a huge bad name does not make a huge message. */
function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
