/**
 * JSON shapes shared by the formats: OpenAI-style tool definitions and function results.
 */
import type { FunctionSpec, JSONSchema } from '../types/functionSpec.ts';
import { jsonStringify } from '../text/jsonStringify.ts';

export interface OpenAITool {
  type: 'function';
  function: { name: string; description?: string; parameters: JSONSchema };
}

/** `{"type": "function", "function": {name, description, parameters}}`, description left out when absent. */
export function openAiTool(fn: FunctionSpec): OpenAITool {
  return { type: 'function', function: plainFunction(fn) };
}

/** `{name, description, parameters}` (Llama 3.2 lists functions this way). */
export function plainFunction(fn: FunctionSpec): OpenAITool['function'] {
  return {
    name: fn.name,
    ...(fn.description !== undefined ? { description: fn.description } : {}),
    parameters: fn.parameters,
  };
}

/**
 * A function result as JSON text to embed in a larger JSON text: the result is JSON already (the
 * dispatcher's `json`), except error texts, which become JSON strings.
 */
export function resultJson(content: string): string {
  const text = content.trim();
  try {
    JSON.parse(text);
    return text;
  } catch {
    return JSON.stringify(content);
  }
}

/**
 * Python's `json.dumps(value)` layout (separators `", "` and `": "`, one line), which Jinja's
 * `tojson` and mistral-common produce and templates built on them show the model.
 */
export function pythonCompactJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonCompactJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pythonCompactJson(v)}`).join(', ')}}`;
  }
  return jsonStringify(value) ?? 'null';
}
