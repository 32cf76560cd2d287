/**
 * Checks a call's arguments against its function's JSON Schema with ajv.
 *
 * Compiling is the slow part of ajv, so each schema is compiled once and cached: by the identity of
 * the `parameters` object (WeakMap, free to look up), and by its JSON text as a fallback for callers
 * that rebuild equal spec objects on every render. Validation never changes the arguments (no
 * coercion, no defaults): what the model wrote is what the function gets, or an error says why not.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { FunctionSpec, JSONSchema } from '../types/functionSpec.ts';
import { describeAjvErrors } from './describeAjvErrors.ts';

// verbose: errors carry the offending value, so messages can say what the model sent instead.
// addUsedSchema: false: schemas with an `$id` can be compiled again (the registry may re-register).
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, addUsedSchema: false });

export type CompiledSchema = { ok: true; validate: ValidateFunction } | { ok: false; reason: string };

const byObject = new WeakMap<object, CompiledSchema>();
const byText = new Map<string, CompiledSchema>();
/** The text cache only serves callers that rebuild specs; past this size it starts over. */
const MAX_TEXT_ENTRIES = 500;

/** Compiles (once) the schema of a function's parameters. Never throws. */
export function compileArgumentSchema(schema: JSONSchema): CompiledSchema {
  const cached = byObject.get(schema);
  if (cached) return cached;
  let text: string | undefined;
  try {
    text = JSON.stringify(schema);
  } catch {
    text = undefined; // cyclic schema: compile without the text cache
  }
  const fromText = text === undefined ? undefined : byText.get(text);
  if (fromText) {
    byObject.set(schema, fromText);
    return fromText;
  }
  let compiled: CompiledSchema;
  try {
    compiled = { ok: true, validate: ajv.compile(schema) };
  } catch (error) {
    compiled = { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  byObject.set(schema, compiled);
  if (text !== undefined) {
    if (byText.size >= MAX_TEXT_ENTRIES) byText.clear();
    byText.set(text, compiled);
  }
  return compiled;
}

export type ArgumentCheck = { ok: true } | { ok: false; message: string; missing: string[] };

/**
 * Validates `args` against `spec.parameters`. On failure the message is short text a user or the
 * model can act on, and `missing` lists the required top-level arguments that were left out.
 */
export function checkArguments(spec: FunctionSpec, args: Record<string, unknown>): ArgumentCheck {
  const compiled = compileArgumentSchema(spec.parameters);
  if (!compiled.ok) {
    return {
      ok: false,
      message: `Cannot check the arguments of ${spec.name}: its parameters schema is invalid (${compiled.reason}).`,
      missing: [],
    };
  }
  if (compiled.validate(args)) return { ok: true };
  return describeAjvErrors(spec.name, compiled.validate.errors ?? []);
}
