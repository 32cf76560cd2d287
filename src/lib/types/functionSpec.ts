/**
 * A function the model may call. `parameters` is a JSON Schema for an object, the shape OpenAI tools
 * and Trelis v3 use; Trelis v2 metadata converts to and from it (see prompt/trelisV2.ts).
 */
export type JSONSchema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JSONSchema>;
  required?: string[];
  items?: JSONSchema;
  enum?: unknown[];
  default?: unknown;
  additionalProperties?: boolean | JSONSchema;
  [keyword: string]: unknown;
};

export interface FunctionSpec {
  name: string;
  description?: string;
  parameters: JSONSchema;
}
