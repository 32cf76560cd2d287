/**
 * Trelis "function calling v2" metadata ⇄ our FunctionSpec (JSON Schema parameters).
 *
 * v2 metadata is `{"function", "description", "arguments": [{"name", "type", "description"}]}`. Its
 * types are string, number, integer, boolean, array and object; an array holds strings unless the
 * argument carries an `items` schema (our extension; v2 itself cannot say).
 *
 * Which v2 arguments are required: v2 has no field for it. The model cards advise putting it in the
 * description ("say whether the arguments are required or what the default values should be"), so an
 * argument is REQUIRED unless its description calls it optional or gives a default (see
 * `describesOptional`). Going the other way, an optional argument whose description does not say so
 * gets " (optional)" (or " (optional, default: …)") appended, so the rule survives the round trip:
 * `toTrelisV2(fromTrelisV2(m))` equals `m`, key order included, for any metadata the rule reads back.
 */
import type { FunctionSpec, JSONSchema } from '../types/functionSpec.ts';

export interface TrelisV2Argument {
  name: string;
  type: string;
  description?: string;
  /** Element schema of an array argument; absent means strings. Not part of the Trelis cards. */
  items?: JSONSchema;
}

export interface TrelisV2Function {
  function: string;
  description?: string;
  arguments: TrelisV2Argument[];
}

const V2_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);
/** Spellings models and hand-written metadata use for the same types. */
const TYPE_ALIASES: Record<string, string> = {
  str: 'string',
  text: 'string',
  int: 'integer',
  float: 'number',
  double: 'number',
  bool: 'boolean',
  list: 'array',
  dict: 'object',
};

/** True when an argument description says the argument may be left out. */
export function describesOptional(description: string | undefined): boolean {
  return description !== undefined && /\boptional\b|\bdefaults?\b/i.test(description);
}

/** Converts v2 metadata to a FunctionSpec. Unknown argument types leave the value unconstrained. */
export function fromTrelisV2(meta: TrelisV2Function): FunctionSpec {
  const properties: Record<string, JSONSchema> = {};
  const required: string[] = [];
  for (const arg of meta.arguments) {
    const type = TYPE_ALIASES[arg.type.toLowerCase()] ?? arg.type.toLowerCase();
    const schema: JSONSchema = V2_TYPES.has(type) ? { type } : {};
    if (type === 'array') schema.items = arg.items ?? { type: 'string' };
    if (arg.description !== undefined) schema.description = arg.description;
    properties[arg.name] = schema;
    if (!describesOptional(arg.description)) required.push(arg.name);
  }
  return {
    name: meta.function,
    ...(meta.description !== undefined ? { description: meta.description } : {}),
    parameters: { type: 'object', properties, required },
  };
}

/** Converts a FunctionSpec to v2 metadata, the shape the Trelis prompt lists. */
export function toTrelisV2(spec: FunctionSpec): TrelisV2Function {
  const required = new Set(spec.parameters.required ?? []);
  const args: TrelisV2Argument[] = Object.entries(spec.parameters.properties ?? {}).map(([name, schema]) => {
    const type = v2Type(schema);
    const arg: TrelisV2Argument = { name, type };
    const description = describeArgument(schema, required.has(name));
    if (description !== undefined) arg.description = description;
    if (type === 'array' && schema.items && !isStringSchema(schema.items)) arg.items = schema.items;
    return arg;
  });
  // Built in one literal so the keys come out in the cards' order: function, description, arguments.
  return {
    function: spec.name,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    arguments: args,
  };
}

function v2Type(schema: JSONSchema): string {
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  const first = types.find((t) => t !== 'null');
  if (first !== undefined) return first;
  const sample = schema.enum?.[0];
  if (typeof sample === 'number') return 'number';
  if (typeof sample === 'boolean') return 'boolean';
  return 'string';
}

function isStringSchema(schema: JSONSchema): boolean {
  return schema.type === 'string' && Object.keys(schema).length === 1;
}

/** The description the model sees: the schema's, plus what v2 cannot express (enum, optional, default). */
function describeArgument(schema: JSONSchema, required: boolean): string | undefined {
  let text = schema.description;
  if (schema.enum !== undefined && schema.enum.length > 0) {
    text = `${text ?? ''}${text ? ' ' : ''}(one of: ${schema.enum.map((v) => JSON.stringify(v)).join(', ')})`;
  }
  if (!required && !describesOptional(text)) {
    const note = schema.default === undefined ? '(optional)' : `(optional, default: ${JSON.stringify(schema.default)})`;
    text = `${text ?? ''}${text ? ' ' : ''}${note}`;
  }
  return text;
}
