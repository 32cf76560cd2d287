/**
 * What a server can enforce of a request's grammar constraint (`responseFormat`). The chat builds
 * its constraints for web-llm's xgrammar (src/lib/grammar): a JSON schema, an EBNF grammar, or a
 * structural tag. Servers take less:
 *
 * | server            | JSON schema                         | grammar (GBNF / xgrammar EBNF)       |
 * |-------------------|-------------------------------------|--------------------------------------|
 * | llama.cpp         | `json_schema`                       | `grammar`                            |
 * | TGI               | `grammar: {type: "json", value}`    | —                                    |
 * | OpenAI-compatible | vLLM `structured_outputs.json`,     | vLLM `structured_outputs.grammar`,   |
 * |                   | llama.cpp `json_schema`             | llama.cpp `grammar`                  |
 *
 * A structural tag is reduced to the JSON schema it wraps when it is exactly one call (tool_choice
 * `required` or a named function: the Trelis call, with or without the one leading space that
 * sentencepiece models like to write). Tags that mix a call with free prose (tool_choice `auto`) or
 * put text before the JSON (Mistral's `[TOOL_CALLS]`) have no JSON-schema equivalent: the request
 * then goes unconstrained, as `auto` asks of the model anyway, and the parser checks what comes back.
 */
import type { ResponseFormat } from '../../lib/types/generation.ts';

export type ServerConstraint = { kind: 'json'; schema: unknown } | { kind: 'grammar'; grammar: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON schema a structural-tag element stands for, or undefined when it is more than one. */
function schemaOf(element: unknown): unknown {
  if (!isObject(element)) return undefined;
  if (element.type === 'json_schema') return element.json_schema;
  if (element.type === 'sequence' && Array.isArray(element.elements)) {
    // " " then a call: the space is the model's habit, not part of the call.
    const parts = element.elements.filter(
      (e) => !(isObject(e) && e.type === 'const_string' && typeof e.value === 'string' && e.value.trim() === ''),
    );
    return parts.length === 1 ? schemaOf(parts[0]) : undefined;
  }
  if (element.type === 'or' && Array.isArray(element.elements)) {
    const schemas = element.elements.map(schemaOf);
    const first = schemas[0];
    if (first === undefined) return undefined;
    const same = schemas.every((s) => s !== undefined && JSON.stringify(s) === JSON.stringify(first));
    return same ? first : undefined;
  }
  return undefined;
}

/** The constraint in server terms, or undefined when there is none a server can enforce. */
export function toServerConstraint(format: ResponseFormat | undefined): ServerConstraint | undefined {
  if (!format) return undefined;
  switch (format.type) {
    case 'json_object': {
      if (format.schema === undefined) return { kind: 'json', schema: {} };
      try {
        return { kind: 'json', schema: JSON.parse(format.schema) as unknown };
      } catch {
        return { kind: 'json', schema: {} };
      }
    }
    case 'grammar':
      return { kind: 'grammar', grammar: format.grammar };
    case 'structural_tag': {
      let tag = format.structuralTag;
      // The tag may come as its JSON text (xgrammar takes both).
      if (typeof tag === 'string') {
        try {
          tag = JSON.parse(tag) as unknown;
        } catch {
          return undefined;
        }
      }
      const schema = schemaOf(isObject(tag) && tag.type === 'structural_tag' ? tag.format : tag);
      return schema === undefined ? undefined : { kind: 'json', schema };
    }
  }
}
