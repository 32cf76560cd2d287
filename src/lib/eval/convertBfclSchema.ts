/**
 * BFCL writes parameter schemas in Python's words (`dict`, `float`, `tuple`, `any`); Callama's specs
 * are JSON Schema. Converted recursively through properties and items; other keywords are kept.
 */
import type { JSONSchema } from '../types/functionSpec.ts';

const TYPE_MAP: Record<string, string | null> = {
  dict: 'object',
  object: 'object',
  float: 'number',
  number: 'number',
  integer: 'integer',
  int: 'integer',
  boolean: 'boolean',
  bool: 'boolean',
  string: 'string',
  str: 'string',
  array: 'array',
  list: 'array',
  tuple: 'array',
  // `any` accepts every value: no type keyword at all.
  any: null,
};

function convertType(type: unknown): string | undefined {
  if (typeof type !== 'string') return undefined;
  // Unknown types (BFCL's Java and JavaScript sets use `String`, `HashMap`…) are left untyped rather than refused.
  return TYPE_MAP[type.toLowerCase()] ?? undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function convertBfclSchema(schema: unknown): JSONSchema {
  if (!isRecord(schema)) return {};
  const out: JSONSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type') {
      const type = convertType(value);
      if (type !== undefined) out.type = type;
    } else if (key === 'properties' && isRecord(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, convertBfclSchema(sub)]));
    } else if (key === 'items') {
      out.items = convertBfclSchema(value);
    } else if (key === 'required' && Array.isArray(value)) {
      out.required = value.filter((v): v is string => typeof v === 'string');
    } else {
      out[key] = value;
    }
  }
  return out;
}
