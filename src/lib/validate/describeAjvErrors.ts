/**
 * Turns ajv's error list into one short sentence per problem. ajv's own `errorsText` reads like
 * `data/count must be integer`; the model and the user need `"count" must be an integer (got "5")`.
 */
import type { ErrorObject } from 'ajv';

/** At most this many problems are listed; the rest are counted. */
const MAX_PROBLEMS = 4;

export function describeAjvErrors(
  functionName: string,
  errors: readonly ErrorObject[],
): { ok: false; message: string; missing: string[] } {
  const missing: string[] = [];
  const problems: string[] = [];
  const seenPaths = new Set<string>();
  for (const error of errors) {
    const path = toArgumentPath(error.instancePath);
    if (error.keyword === 'required') {
      const property = String((error.params as { missingProperty?: unknown }).missingProperty ?? '');
      if (path === '') {
        if (!missing.includes(property)) missing.push(property);
      } else {
        problems.push(`"${path}" needs "${property}"`);
      }
      continue;
    }
    // anyOf/oneOf report every branch's failure; one sentence per argument is enough.
    if (seenPaths.has(path)) continue;
    seenPaths.add(path);
    problems.push(describeOne(error, path));
  }
  const sentences: string[] = [];
  if (missing.length > 0) {
    const list = missing.map((m) => `"${m}"`).join(', ');
    sentences.push(`Missing required argument${missing.length > 1 ? 's' : ''} ${list} for ${functionName}.`);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    const more = problems.length - shown.length;
    sentences.push(
      `Invalid arguments for ${functionName}: ${shown.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}.`,
    );
  }
  if (sentences.length === 0) sentences.push(`Invalid arguments for ${functionName}.`);
  return { ok: false, message: sentences.join(' '), missing };
}

function describeOne(error: ErrorObject, path: string): string {
  const subject = path === '' ? 'the arguments' : `"${path}"`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `${subject} must be ${withArticle(String(params.type).replace(',', ' or '))} (got ${preview(error.data)})`;
    case 'enum':
      return `${subject} must be one of ${(Array.isArray(params.allowedValues) ? params.allowedValues : [])
        .map((v) => preview(v))
        .join(', ')} (got ${preview(error.data)})`;
    case 'const':
      return `${subject} must be ${preview(params.allowedValue)}`;
    case 'additionalProperties':
      return `unknown argument "${joinPath(path, String(params.additionalProperty))}"`;
    default:
      return `${subject} ${error.message ?? 'is invalid'}`;
  }
}

/** ajv's JSON Pointer `/items/0/name` → `items[0].name`. */
function toArgumentPath(pointer: string): string {
  if (pointer === '') return '';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out = /^\d+$/.test(segment) ? `${out}[${segment}]` : joinPath(out, segment);
  }
  return out;
}

function joinPath(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

function withArticle(type: string): string {
  if (type === 'null') return 'null';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A value as short JSON text, for "got …". */
function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
