/**
 * Checks a call's arguments against its function's JSON Schema with @cfworker/json-schema.
 *
 * Why that validator: schemas come from users and embedding pages at run time, and the app runs under
 * a Content-Security-Policy without `'unsafe-eval'`. Validators that compile schemas to JavaScript
 * (ajv) need `new Function`; this one interprets the schema, so no code is ever generated.
 *
 * A schema is prepared once and cached: by the identity of the `parameters` object (WeakMap, free to
 * look up), and by its JSON text as a fallback for callers that rebuild equal spec objects on every
 * render. Preparing means: a JSON copy (the validator annotates the schema objects it is given, and
 * the caller's object must stay as it was), a check against the draft-07 meta-schema, and a check
 * that every `$ref` points inside the schema (the validator would throw on the first call otherwise).
 * Validation never changes the arguments (no coercion, no defaults): what the model wrote is what the
 * function gets, or an error says why not.
 */
import { dereference, validate, type OutputUnit, type Schema } from '@cfworker/json-schema';
import type { FunctionSpec, JSONSchema } from '../types/functionSpec.ts';
import {
  describeSchemaErrors,
  describeSchemaProblems,
  listSchemaProblems,
  pointerSegments,
  toArgumentPath,
  type KeywordResolver,
  type LocatedProblem,
} from './describeSchemaErrors.ts';
import { DRAFT_07_META_SCHEMA } from './draft07MetaSchema.ts';
import { boundSchemaPatterns, checkSchemaPatterns, longKey, originalPattern } from './patternSafety.ts';
import { errorMessage } from '../errors.ts';
import { nextTask } from '../async/nextTask.ts';

/** A prepared schema: `validate` returns the validator's errors, none when the value is valid. */
export interface SchemaCheck {
  validate(value: unknown): readonly OutputUnit[];
  resolveKeyword: KeywordResolver;
}

export type CompiledSchema = { ok: true; check: SchemaCheck } | { ok: false; reason: string };

// Draft 2019-09 rules (the library's default) are draft-07's plus keywords next to `$ref` applied, as
// ajv did, and the newer keywords.
const DRAFT = '2019-09';
let preparedMetaSchema: SchemaCheck | undefined;
/** The meta-schema, prepared on first use: preparing it at import cost the app's start ~8 ms. */
function metaSchema(): SchemaCheck {
  return (preparedMetaSchema ??= prepare(DRAFT_07_META_SCHEMA));
}

const byObject = new WeakMap<object, CompiledSchema>();
const byText = new Map<string, CompiledSchema>();
/** The text cache only serves callers that rebuild specs; past this size it starts over. */
const MAX_TEXT_ENTRIES = 500;

/** Prepares (once) the schema of a function's parameters. Never throws. */
export function compileArgumentSchema(schema: JSONSchema): CompiledSchema {
  const cached = byObject.get(schema);
  if (cached) return cached;
  let text: string | undefined;
  try {
    text = JSON.stringify(schema);
  } catch {
    text = undefined; // cyclic: refused below, without the text cache
  }
  const fromText = text === undefined ? undefined : byText.get(text);
  if (fromText) {
    byObject.set(schema, fromText);
    return fromText;
  }
  const compiled =
    text === undefined
      ? { ok: false as const, reason: 'it refers to itself (a cycle), so it cannot be written as JSON' }
      : compileText(text);
  byObject.set(schema, compiled);
  if (text !== undefined) {
    if (byText.size >= MAX_TEXT_ENTRIES) byText.clear();
    byText.set(text, compiled);
  }
  return compiled;
}

/**
 * Prepares the schemas of `specs` before their first call, each in a task of its own: run while the
 * model writes, so the first answer's parse does not pay for it (15–25 ms for a session's first schema
 * on a slow machine: the meta-schema, then the schema). A prepared one costs a lookup.
 */
export async function prepareArgumentSchemas(specs: readonly FunctionSpec[], signal?: AbortSignal): Promise<void> {
  for (const spec of specs) {
    if (byObject.has(spec.parameters)) continue;
    await nextTask();
    if (signal?.aborted) return;
    compileArgumentSchema(spec.parameters);
  }
}

function compileText(text: string): CompiledSchema {
  try {
    const copy = JSON.parse(text) as unknown;
    const meta = metaSchema();
    const metaErrors = meta.validate(copy);
    if (metaErrors.length > 0) {
      return {
        ok: false,
        reason: describeSchemaProblems(metaErrors, { instance: copy, resolveKeyword: meta.resolveKeyword }),
      };
    }
    // Patterns that may take exponential time are refused; the rest are bounded in this copy only.
    const patternProblems = checkSchemaPatterns(copy);
    if (patternProblems.length > 0) return { ok: false, reason: patternProblems.join(' ') };
    const keyLimit = boundSchemaPatterns(copy);
    return { ok: true, check: prepare(copy as Schema, keyLimit) };
  } catch (error) {
    // Duplicate `$id`s, a `$ref` to nowhere, a schema nested deeper than the stack…
    return { ok: false, reason: errorMessage(error) };
  }
}

/**
 * Every way `schema` breaks the draft-07 meta-schema, each with its path inside `schema`; empty when
 * it is a valid JSON Schema document. Never throws.
 */
export function metaSchemaProblems(schema: unknown): LocatedProblem[] {
  try {
    // A JSON copy, as in compileText: the validator annotates what it is given.
    const copy = JSON.parse(JSON.stringify(schema)) as unknown;
    const meta = metaSchema();
    const errors = meta.validate(copy);
    return errors.length === 0
      ? []
      : listSchemaProblems(errors, { instance: copy, resolveKeyword: meta.resolveKeyword });
  } catch (error) {
    return [{ path: [], text: errorMessage(error) }];
  }
}

/** @throws Error when a `$ref` cannot be resolved inside the schema or `$id`s collide. */
function prepare(schema: Schema, keyLimit?: number): SchemaCheck {
  // Indexes every subschema by URI (and annotates each with its resolved `$ref`).
  const lookup = dereference(schema);
  for (const [uri, sub] of Object.entries(lookup)) {
    if (typeof sub !== 'object') continue;
    const ref = sub.__absolute_ref__;
    if (ref !== undefined && lookup[ref] === undefined) {
      const at = uri.includes('#') ? toArgumentPath(uri.slice(uri.indexOf('#'))) : '';
      throw new Error(
        `the reference ${JSON.stringify(sub.$ref)}${at ? ` at ${at}` : ''} points to nothing in the schema (only references inside it work)`,
      );
    }
  }
  const resolveKeyword: KeywordResolver = (location) => {
    let current: unknown = schema;
    for (const segment of pointerSegments(location)) {
      if (typeof current !== 'object' || current === null) return undefined;
      const node = current as Schema;
      current =
        segment === '$ref' && node.__absolute_ref__ !== undefined ? lookup[node.__absolute_ref__] : node[segment];
    }
    // Messages quote the pattern the schema wrote, not its bounded rewrite.
    return typeof current === 'string' && location.endsWith('/pattern') ? originalPattern(current) : current;
  };
  // shortCircuit false: every error, not just the first, so the message can list them all.
  const run = (value: unknown): readonly OutputUnit[] => {
    // patternProperties patterns run on keys, which are not rewritten: a key too long for them is an error.
    const key = keyLimit === undefined ? undefined : longKey(value, keyLimit);
    if (key !== undefined && keyLimit !== undefined) {
      return [
        {
          keyword: 'patternProperties',
          keywordLocation: '#/patternProperties',
          instanceLocation: '#',
          error: `A key of ${key.length} characters is longer than the ${keyLimit} the schema's patterns may check.`,
        },
      ];
    }
    return validate(value, schema, DRAFT, lookup, false).errors;
  };
  return { validate: run, resolveKeyword };
}

export type ArgumentCheck = { ok: true } | { ok: false; message: string; missing: string[] };

/**
 * Validates `args` against `spec.parameters`. On failure the message is short text a user or the
 * model can act on, and `missing` lists the required top-level arguments that were left out.
 * Never throws.
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
  let errors: readonly OutputUnit[];
  try {
    errors = compiled.check.validate(args);
  } catch (error) {
    // Values JSON cannot hold (undefined, functions) or a value nested deeper than the stack.
    const reason = errorMessage(error);
    return {
      ok: false,
      message: `Invalid arguments for ${spec.name}: they cannot be checked (${reason}).`,
      missing: [],
    };
  }
  if (errors.length === 0) return { ok: true };
  return describeSchemaErrors(spec.name, errors, { instance: args, resolveKeyword: compiled.check.resolveKeyword });
}
