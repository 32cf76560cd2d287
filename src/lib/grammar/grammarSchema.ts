/**
 * Makes a parameters schema safe for xgrammar's JSON-Schema converter, which ABORTS its wasm module
 * (emscripten `Aborted()`, surfacing in web-llm as GrammarMatcherInitError) on inputs validators accept:
 * - a `type` it does not know (`"dict"`, `"str"`… as some model docs write them): aliases are mapped
 *   to JSON Schema names, anything else is dropped (the value is then unconstrained);
 * - a `$ref` once the schema is nested inside a call schema: `#/$defs/x` then points at the call's
 *   root, where there is no `$defs`. Local refs are inlined (to a fixed depth, since refs may recurse).
 * Keywords it does not know are ignored by xgrammar, so they are left alone; the argument validator
 * still checks them after parsing.
 */
import type { JSONSchema } from '../types/functionSpec.ts';

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);
const ALIASES: Record<string, string> = {
  str: 'string',
  text: 'string',
  int: 'integer',
  float: 'number',
  double: 'number',
  bool: 'boolean',
  list: 'array',
  dict: 'object',
  none: 'null',
};
const MAX_REF_DEPTH = 8;

function normaliseType(type: unknown): string | string[] | undefined {
  const one = (t: unknown) => {
    if (typeof t !== 'string') return undefined;
    const lower = t.toLowerCase();
    return TYPES.has(lower) ? lower : ALIASES[lower];
  };
  if (!Array.isArray(type)) return one(type);
  const list = type.map(one).filter((t): t is string => t !== undefined);
  return list.length > 0 ? list : undefined;
}

function isSchema(value: unknown): value is JSONSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves `#`, `#/$defs/a`, `#/definitions/a/properties/b`… against `root`; undefined if absent. */
function resolveRef(root: JSONSchema, ref: string): JSONSchema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref
    .slice(1)
    .split('/')
    .filter((p) => p !== '')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    node = isSchema(node) ? node[key] : undefined;
  }
  return isSchema(node) ? node : undefined;
}

function clean(schema: JSONSchema, root: JSONSchema, depth: number): JSONSchema {
  if (typeof schema['$ref'] === 'string') {
    const target = depth < MAX_REF_DEPTH ? resolveRef(root, schema['$ref']) : undefined;
    const { $ref: _ref, ...rest } = schema;
    // An unresolvable or too-deep ref constrains nothing rather than break the grammar.
    return target ? clean({ ...target, ...rest }, root, depth + 1) : clean(rest, root, depth);
  }
  const out: JSONSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$defs' || key === 'definitions') continue;
    if (key === 'type') {
      const type = normaliseType(value);
      if (type !== undefined) out.type = type;
    } else if ((key === 'properties' || key === 'patternProperties') && isSchema(value)) {
      const mapped: Record<string, JSONSchema> = {};
      // A property whose schema is not an object is not JSON Schema; leaving it out frees the value.
      for (const [k, v] of Object.entries(value)) if (isSchema(v)) mapped[k] = clean(v, root, depth);
      out[key] = mapped;
    } else if (
      (key === 'items' || key === 'additionalProperties' || key === 'not' || key === 'contains') &&
      isSchema(value)
    ) {
      out[key] = clean(value, root, depth);
    } else if (
      (key === 'anyOf' || key === 'oneOf' || key === 'allOf' || key === 'prefixItems') &&
      Array.isArray(value)
    ) {
      out[key] = value.map((v: unknown) => (isSchema(v) ? clean(v, root, depth) : v));
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** A copy of `schema` that xgrammar compiles; the input is not changed. */
export function toGrammarSchema(schema: JSONSchema): JSONSchema {
  return clean(schema, schema, 0);
}
