/**
 * JSON Schemas for one function call, as the grammar engine (xgrammar, inside web-llm) checks them.
 * xgrammar compiles schemas in strict mode: properties appear in schema order and no property outside
 * the schema is allowed, so a constrained call cannot carry unknown arguments.
 */
import type { FunctionSpec, JSONSchema } from '../types/functionSpec.ts';
import { toGrammarSchema } from './grammarSchema.ts';

/** The arguments object of `fn`: its parameters schema (made safe for xgrammar), always an object. */
export function argumentsSchema(fn: FunctionSpec): JSONSchema {
  const params = toGrammarSchema(fn.parameters);
  // A function without parameters still gets an object, and strict mode makes that object `{}`.
  return { ...params, type: 'object', properties: params.properties ?? {} };
}

/** The key that holds the arguments: "parameters" in Llama 3.1 JSON calls, "arguments" elsewhere. */
export type ArgumentsKey = 'arguments' | 'parameters';
/** The key that holds the function's name: "function" in Trelis v2 answers, "name" elsewhere. */
export type NameKey = 'name' | 'function';

/** `{<nameKey>: <fn.name>, <argumentsKey>: <arguments>}` with the name fixed. */
export function callSchema(
  fn: FunctionSpec,
  argumentsKey: ArgumentsKey = 'arguments',
  nameKey: NameKey = 'name',
): JSONSchema {
  return {
    type: 'object',
    properties: { [nameKey]: { const: fn.name }, [argumentsKey]: argumentsSchema(fn) },
    required: [nameKey, argumentsKey],
    additionalProperties: false,
  };
}

/** One call to any of `functions`. */
export function anyCallSchema(
  functions: FunctionSpec[],
  argumentsKey: ArgumentsKey = 'arguments',
  nameKey: NameKey = 'name',
): JSONSchema {
  const first = functions[0];
  if (functions.length === 1 && first) return callSchema(first, argumentsKey, nameKey);
  return { anyOf: functions.map((fn) => callSchema(fn, argumentsKey, nameKey)) };
}
