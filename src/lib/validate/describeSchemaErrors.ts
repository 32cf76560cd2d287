/**
 * Turns a JSON Schema validator's error list into one short sentence per problem. The validator's own
 * text reads like `Instance type "string" is invalid. Expected "integer".`; the model and the user
 * need `"count" must be an integer (got "5")`.
 *
 * The list (from @cfworker/json-schema) is flat and in depth-first order: an applicator keyword
 * (`properties`, `items`, `$ref`, `allOf`…) adds a "a subschema had errors" entry followed by its
 * children's entries. Only the leaves say what is wrong, so containers are dropped, except `anyOf` and
 * `oneOf`, whose branches are summed up in one sentence ("must be a string or null"). Each sentence is
 * written from the schema value at the error's `keywordLocation` and the offending value at its
 * `instanceLocation`, not from the validator's wording.
 */
import type { OutputUnit } from '@cfworker/json-schema';
import { jsonStringify } from '../text/jsonStringify.ts';

/** At most this many problems are listed; the rest are counted. */
const MAX_PROBLEMS = 4;

/** Keywords whose entry only says "a subschema had errors": their children carry the problem. */
const CONTAINERS = new Set([
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  '$ref',
  '$recursiveRef',
  'allOf',
  'if',
  'dependentSchemas',
]);

/** Reads the schema value at a `keywordLocation` (following `$ref`s); undefined when it cannot. */
export type KeywordResolver = (keywordLocation: string) => unknown;

export interface ErrorContext {
  /** The value that was validated (the call's arguments, or a schema for the meta-schema check). */
  instance: unknown;
  resolveKeyword: KeywordResolver;
}

/** One problem: where (`location`, the validator's pointer) and what (`phrase`, to follow the subject). */
interface Problem {
  location: string;
  phrase: string;
  /** Whether "(got …)" helps: yes for a wrong value, no for an unknown or missing argument. */
  showValue: boolean;
  /** The phrase is the whole sentence (it names the argument itself). */
  standalone?: boolean;
}

/** A required property left out of the object at `location` (`path` is the readable form). */
interface Missing {
  path: string;
  location: string;
  property: string;
}

/** Every problem in the list, in order, with `missing` holding required properties left out. */
export function collectProblems(
  errors: readonly OutputUnit[],
  context: ErrorContext,
): { problems: Problem[]; missing: Missing[] } {
  const problems: Problem[] = [];
  const missing: Missing[] = [];
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i];
    if (!error) continue;
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      const end = branchEnd(errors, i, error);
      problems.push(...describeAlternatives(error, errors.slice(i + 1, end), context));
      i = end - 1;
      continue;
    }
    if (error.keyword === 'required') {
      const path = toArgumentPath(error.instanceLocation);
      for (const property of missingProperties(error, context)) {
        if (!missing.some((m) => m.path === path && m.property === property)) {
          missing.push({ path, location: error.instanceLocation, property });
        }
      }
      continue;
    }
    const next = errors[i + 1];
    if (
      (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') &&
      next?.keyword === 'false'
    ) {
      // `additionalProperties: false` reports the extra property as a failed `false` schema.
      const location = next.instanceLocation;
      problems.push({
        location,
        phrase: `unknown argument "${toArgumentPath(location)}"`,
        showValue: false,
        standalone: true,
      });
      i++;
      continue;
    }
    if (CONTAINERS.has(error.keyword)) continue;
    problems.push(describeLeaf(error, context));
  }
  return { problems, missing };
}

/**
 * A call's argument errors as the message the app shows and feeds back to the model; `missing` lists
 * the required top-level arguments that were left out, so the app can ask for them.
 */
export function describeSchemaErrors(
  functionName: string,
  errors: readonly OutputUnit[],
  context: ErrorContext,
): { ok: false; message: string; missing: string[] } {
  const { problems, missing: allMissing } = collectProblems(errors, context);
  const missing = allMissing.filter((m) => m.path === '').map((m) => m.property);
  const nested = allMissing.filter((m) => m.path !== '').map((m) => `"${m.path}" needs "${m.property}"`);
  const sentences: string[] = [];
  if (missing.length > 0) {
    const list = missing.map((m) => `"${m}"`).join(', ');
    sentences.push(`Missing required argument${missing.length > 1 ? 's' : ''} ${list} for ${functionName}.`);
  }
  const texts = [...dedupeByPath(problems).map((p) => sentenceOf(p, 'the arguments', context)), ...nested];
  if (texts.length > 0) sentences.push(`Invalid arguments for ${functionName}: ${listSome(texts)}.`);
  if (sentences.length === 0) sentences.push(`Invalid arguments for ${functionName}.`);
  return { ok: false, message: sentences.join(' '), missing };
}

/** The same sentences for a schema that fails the meta-schema, subject "the schema" at the root. */
export function describeSchemaProblems(errors: readonly OutputUnit[], context: ErrorContext): string {
  const texts = listSchemaProblems(errors, context).map((p) => p.text);
  return texts.length > 0 ? listSome(texts) : 'it does not match the JSON Schema meta-schema';
}

/** One problem found in a schema, with where it is: the path segments inside the checked value. */
export interface LocatedProblem {
  path: string[];
  text: string;
}

/**
 * EVERY problem of a schema that fails the meta-schema, one sentence each with its location (the
 * function editor marks each at its place in the text, so none is cut off by a "… and 3 more").
 */
export function listSchemaProblems(errors: readonly OutputUnit[], context: ErrorContext): LocatedProblem[] {
  const { problems, missing } = collectProblems(errors, context);
  return [
    ...dedupeByPath(problems).map((p) => ({
      path: pointerSegments(p.location),
      text: sentenceOf(p, 'the schema', context),
    })),
    ...missing.map((m) => ({
      path: pointerSegments(m.location),
      text: `${m.path === '' ? 'the schema' : `"${m.path}"`} needs "${m.property}"`,
    })),
  ];
}

/** anyOf/oneOf alternatives report every branch's failure; one sentence per argument is enough. */
function dedupeByPath(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const path = toArgumentPath(p.location);
    return seen.has(path) ? false : (seen.add(path), true);
  });
}

function listSome(texts: readonly string[]): string {
  const shown = texts.slice(0, MAX_PROBLEMS);
  const more = texts.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}`;
}

function sentenceOf(problem: Problem, rootSubject: string, context: ErrorContext): string {
  if (problem.standalone) return problem.phrase;
  const path = toArgumentPath(problem.location);
  const subject = path === '' ? rootSubject : `"${path}"`;
  const got = problem.showValue ? ` (got ${preview(valueAtPointer(context.instance, problem.location))})` : '';
  return `${subject} ${problem.phrase}${got}`;
}

/** Index just past the entries that belong to the anyOf/oneOf entry at `start`. */
function branchEnd(errors: readonly OutputUnit[], start: number, alternatives: OutputUnit): number {
  const prefix = `${alternatives.keywordLocation}/`;
  let end = start + 1;
  // A failed `false` schema is reported at its instance location, not its keyword location.
  for (
    let next = errors[end];
    next && (next.keywordLocation.startsWith(prefix) || next.keyword === 'false');
    next = errors[++end]
  );
  return end;
}

/**
 * One sentence for failed alternatives. When every branch refused the value itself ("must be a
 * string", "must be null"), they are joined: "must be a string or null". When some branch got further
 * (the value has that branch's shape, something inside it is wrong), that branch's problems are the
 * useful ones, so they are reported instead.
 */
function describeAlternatives(
  error: OutputUnit,
  branchErrors: readonly OutputUnit[],
  context: ErrorContext,
): Problem[] {
  const location = error.instanceLocation;
  const matches = /\((\d+) matches\)/.exec(error.error);
  if (error.keyword === 'oneOf' && matches && Number(matches[1]) > 1) {
    return [{ location, phrase: 'matches more than one of the allowed forms', showValue: true }];
  }
  const branches = new Map<string, OutputUnit[]>();
  for (const branchError of branchErrors) {
    const index = branchError.keywordLocation.slice(error.keywordLocation.length + 1).split('/')[0] ?? '';
    const list = branches.get(index) ?? [];
    list.push(branchError);
    branches.set(index, list);
  }
  const phrases: string[] = [];
  for (const list of branches.values()) {
    const { problems, missing } = collectProblems(list, context);
    const own = problems.find((p) => p.location === location);
    if (!own || missing.length > 0) {
      // The value has this branch's shape; what is wrong is inside it.
      return [
        ...problems,
        ...missing.map((m) => ({ location: m.location, phrase: `needs "${m.property}"`, showValue: false })),
      ];
    }
    phrases.push(own.phrase);
  }
  if (phrases.length === 0) return [{ location, phrase: 'does not match any of the allowed forms', showValue: true }];
  const unique = [...new Set(phrases)];
  const phrase = unique.every((p) => p.startsWith('must be '))
    ? `must be ${joinOr(unique.map((p) => p.slice('must be '.length)))}`
    : joinOr(unique);
  return [{ location, phrase, showValue: true }];
}

function joinOr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}

function describeLeaf(error: OutputUnit, context: ErrorContext): Problem {
  const location = error.instanceLocation;
  const value = context.resolveKeyword(error.keywordLocation);
  const problem = (phrase: string, showValue = true): Problem => ({ location, phrase, showValue });
  switch (error.keyword) {
    case 'type': {
      const types = Array.isArray(value) ? value.map(String) : [String(value)];
      return problem(`must be ${joinOr(types.map(withArticle))}`);
    }
    case 'enum':
      return problem(`must be one of ${(Array.isArray(value) ? value : []).map((v) => preview(v)).join(', ')}`);
    case 'const':
      return problem(`must be ${preview(value)}`);
    case 'minimum':
      return problem(`must be >= ${String(value)}`);
    case 'maximum':
      return problem(`must be <= ${String(value)}`);
    case 'exclusiveMinimum':
      return problem(`must be > ${String(value)}`);
    case 'exclusiveMaximum':
      return problem(`must be < ${String(value)}`);
    case 'multipleOf':
      return problem(`must be a multiple of ${String(value)}`);
    case 'minLength':
      return problem(`must be at least ${String(value)} character${value === 1 ? '' : 's'} long`);
    case 'maxLength':
      return problem(`must be at most ${String(value)} character${value === 1 ? '' : 's'} long`);
    case 'pattern':
      return problem(`must match the pattern ${preview(value)}`);
    case 'format':
      return problem(`must be a valid ${String(value)}`);
    case 'minItems':
      return problem(`must have at least ${String(value)} item${value === 1 ? '' : 's'}`);
    case 'maxItems':
      return problem(`must have at most ${String(value)} item${value === 1 ? '' : 's'}`);
    case 'uniqueItems':
      return problem('must not contain the same item twice');
    case 'minProperties':
      return problem(`must have at least ${String(value)} propert${value === 1 ? 'y' : 'ies'}`);
    case 'maxProperties':
      return problem(`must have at most ${String(value)} propert${value === 1 ? 'y' : 'ies'}`);
    case 'not':
      return problem('must not match the schema under "not"');
    case 'false':
      return problem('is not allowed', false);
    default:
      // contains, dependentRequired, dependencies, propertyNames…: the validator's text, minus "Instance".
      return problem(`is invalid: ${error.error.replace(/^Instance /, 'it ').replace(/\.$/, '')}`, false);
  }
}

/** The properties a `required` entry found missing (the validator reports one entry per property). */
function missingProperties(error: OutputUnit, context: ErrorContext): string[] {
  const named = /required property "(.*)"\.$/s.exec(error.error);
  if (named?.[1] !== undefined) return [named[1]];
  const required = context.resolveKeyword(error.keywordLocation);
  const target = valueAtPointer(context.instance, error.instanceLocation);
  if (!Array.isArray(required) || typeof target !== 'object' || target === null) return [];
  return required.map(String).filter((key) => !Object.prototype.hasOwnProperty.call(target, key));
}

/** The validator's `#/items/0/name` → `items[0].name`. */
export function toArgumentPath(location: string): string {
  let out = '';
  for (const segment of pointerSegments(location)) {
    out = /^\d+$/.test(segment) ? `${out}[${segment}]` : out === '' ? segment : `${out}.${segment}`;
  }
  return out;
}

/** `#/a/b~1c` → `['a', 'b/c']` (JSON Pointer in a URI fragment, as the validator writes it). */
export function pointerSegments(location: string): string[] {
  const pointer = location.startsWith('#') ? location.slice(1) : location;
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      let segment = raw;
      try {
        segment = decodeURIComponent(raw);
      } catch {
        // not percent-encoded after all
      }
      return segment.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

function valueAtPointer(root: unknown, location: string): unknown {
  let current = root;
  for (const segment of pointerSegments(location)) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function withArticle(type: string): string {
  if (type === 'null') return 'null';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A value as short JSON text, for "got …". */
function preview(value: unknown): string {
  let text: string;
  try {
    text = jsonStringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
