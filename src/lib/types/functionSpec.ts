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
  /**
   * The function acts outside the conversation (opens a page, deletes data, writes the clipboard…):
   * it runs only after the user agrees to this one call, or has said "always allow" for it. The
   * dispatcher enforces it (dispatch/dispatch.ts); it is never shown to the model.
   */
  confirm?: boolean;
}
