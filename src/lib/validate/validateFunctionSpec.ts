/**
 * Checks a function definition before it is registered or saved, and says what is wrong in words the
 * function editor can show. Names follow the rule OpenAI tools and our pythonic-call parser share:
 * an identifier, so the model can write it in JSON, in `name(arg=…)` and in prose without quoting.
 */
import type { FunctionSpec, JSONSchema } from '../types/functionSpec.ts';
import { compileArgumentSchema } from './argumentValidator.ts';

/** Function and argument names: a letter or `_`, then letters, digits and `_`, at most 64 in all. */
export const NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/;

export type FunctionSpecCheck = { ok: true; spec: FunctionSpec } | { ok: false; reasons: string[] };

/**
 * Validates an untrusted function definition (from the editor, a file, or code).
 * @param existingNames names already taken; the definition's name must not be one of them.
 * @returns the spec (a shallow copy with only the known fields) or every reason it was refused.
 */
export function validateFunctionSpec(spec: unknown, existingNames?: Iterable<string>): FunctionSpecCheck {
  if (!isPlainObject(spec)) return { ok: false, reasons: ['The definition must be an object.'] };
  const reasons: string[] = [];
  const { name, description, parameters, confirm } = spec;

  if (typeof name !== 'string' || name === '') {
    reasons.push('The function needs a name.');
  } else if (!NAME_PATTERN.test(name)) {
    reasons.push(
      `The name "${name}" is not valid: use a letter or _ first, then letters, digits or _ (64 at most).`,
    );
  } else if (existingNames && new Set(existingNames).has(name)) {
    reasons.push(`A function named "${name}" already exists.`);
  }
  if (description !== undefined && typeof description !== 'string') {
    reasons.push('The description must be text.');
  }
  if (confirm !== undefined && typeof confirm !== 'boolean') {
    reasons.push('"confirm" must be true (ask the user before each call) or false.');
  }
  if (!isPlainObject(parameters)) {
    reasons.push('The parameters must be a JSON Schema object, e.g. {"type": "object", "properties": {}}.');
  } else {
    reasons.push(...checkParameters(parameters));
  }
  if (reasons.length > 0) return { ok: false, reasons };
  const clean: FunctionSpec = { name: name as string, parameters: parameters as JSONSchema };
  if (typeof description === 'string') clean.description = description;
  // Only `true` is kept: a spec without the flag and one with `false` mean the same.
  if (confirm === true) clean.confirm = true;
  return { ok: true, spec: clean };
}

function checkParameters(parameters: Record<string, unknown>): string[] {
  const reasons: string[] = [];
  if (parameters.type !== 'object') reasons.push('The parameters schema must have "type": "object".');
  const { properties, required } = parameters;
  let propertyNames: string[] = [];
  if (properties !== undefined) {
    if (!isPlainObject(properties)) {
      reasons.push('"properties" must be an object mapping argument names to schemas.');
    } else {
      propertyNames = Object.keys(properties);
      for (const key of propertyNames) {
        if (!NAME_PATTERN.test(key)) {
          reasons.push(`The argument name "${key}" is not valid: use a letter or _ first, then letters, digits or _.`);
        }
        if (!isPlainObject(properties[key])) reasons.push(`The schema of argument "${key}" must be an object.`);
      }
    }
  }
  if (required !== undefined) {
    if (!Array.isArray(required) || !required.every((r) => typeof r === 'string')) {
      reasons.push('"required" must be a list of argument names.');
    } else {
      for (const r of new Set(required)) {
        if (!propertyNames.includes(r)) reasons.push(`The required argument "${r}" is not in "properties".`);
      }
      if (new Set(required).size !== required.length) reasons.push('"required" lists an argument twice.');
    }
  }
  if (reasons.length === 0) {
    const compiled = compileArgumentSchema(parameters as JSONSchema);
    if (!compiled.ok) reasons.push(`The parameters schema is not valid JSON Schema: ${compiled.reason}`);
  }
  return reasons;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
