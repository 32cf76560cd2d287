/**
 * The "Run with arguments…" form, generated from a function's parameters schema: one field per
 * top-level property. Strings, numbers, integers and booleans get their own inputs, an `enum` a
 * choice; anything else (objects, arrays, several types) is typed as JSON in a text box. Reading the
 * form back turns the typed text into the arguments object, saying which field is wrong when it can
 * not; the schema itself is then checked by the same validator model calls go through.
 */
import type { JSONSchema } from '../../../lib/types/functionSpec.ts';

export type ArgumentFieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

export interface ArgumentField {
  name: string;
  kind: ArgumentFieldKind;
  required: boolean;
  description?: string;
  /** `enum` fields: the allowed values. */
  options?: unknown[];
  /** What the field starts with: the schema's `default` as text, or empty. */
  initial: string;
}

/** The form's current values, by field name: text for every kind (booleans are 'true'/'false'/''). */
export type FormValues = Record<string, string>;

export type ReadResult = { ok: true; args: Record<string, unknown> } | { ok: false; errors: string[] };

export function argumentFields(parameters: JSONSchema): ArgumentField[] {
  const required = new Set(Array.isArray(parameters.required) ? parameters.required : []);
  const properties = parameters.properties ?? {};
  return Object.entries(properties).map(([name, schema]) => {
    const kind = kindOf(schema);
    const field: ArgumentField = { name, kind, required: required.has(name), initial: initialText(schema, kind) };
    if (typeof schema.description === 'string') field.description = schema.description;
    if (kind === 'enum') field.options = schema.enum ?? [];
    return field;
  });
}

function kindOf(schema: JSONSchema): ArgumentFieldKind {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return 'enum';
  switch (schema.type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
      return schema.type;
    default:
      return 'json';
  }
}

function initialText(schema: JSONSchema, kind: ArgumentFieldKind): string {
  if (schema.default === undefined) return '';
  if (kind === 'string') return typeof schema.default === 'string' ? schema.default : '';
  if (kind === 'enum') return JSON.stringify(schema.default);
  return JSON.stringify(schema.default);
}

/** `enum` options are kept as JSON text, so `1` and `"1"` stay different values. */
export function optionValue(option: unknown): string {
  return JSON.stringify(option);
}

/**
 * The arguments the form holds. An empty optional field is left out; an empty required one is an
 * error, as is text that is not a number, an integer, or JSON where one is needed.
 */
export function readArguments(fields: readonly ArgumentField[], values: FormValues): ReadResult {
  const args: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const field of fields) {
    const text = values[field.name] ?? '';
    if (text.trim() === '' && field.kind !== 'string') {
      if (field.required) errors.push(`"${field.name}" is required.`);
      continue;
    }
    if (text === '' && field.kind === 'string') {
      if (field.required) errors.push(`"${field.name}" is required.`);
      continue;
    }
    switch (field.kind) {
      case 'string':
        args[field.name] = text;
        break;
      case 'number':
      case 'integer': {
        const value = Number(text.trim());
        if (!Number.isFinite(value)) errors.push(`"${field.name}" must be a number.`);
        else if (field.kind === 'integer' && !Number.isInteger(value))
          errors.push(`"${field.name}" must be a whole number.`);
        else args[field.name] = value;
        break;
      }
      case 'boolean':
        args[field.name] = text === 'true';
        break;
      case 'enum':
      case 'json':
        try {
          args[field.name] = JSON.parse(text) as unknown;
        } catch {
          errors.push(`"${field.name}" must be JSON, e.g. {"key": "value"} or [1, 2].`);
        }
        break;
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, args };
}
