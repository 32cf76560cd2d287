/**
 * The tool_choice grammar for Qwen3-Coder / Qwen3.5 XML calls (formats/qwen35Format.ts):
 *
 *   <tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n</function>\n</tool_call>
 *
 * Each function is one structural tag: the name is fixed in `begin`, and the parameters use
 * xgrammar's own `qwen_xml_parameter` content (web-xgrammar 0.1.27), which compiles the parameters
 * schema into `<parameter=key>` blocks in schema order, required ones present, each value by its
 * type (strings bare, numbers, `true`/`false`, arrays and objects as JSON), whitespace allowed
 * around every value. Its root ends right after the last `</parameter>`, so the `\n` before
 * `</function>` is a separate whitespace element (a function without parameters is then
 * `<function=f>\n</function>`, as the template renders it).
 *
 * Known limit of that content type: a string value may not hold a raw newline, `<`, `>` or `&`
 * (xgrammar wants XML entities and JSON-style backslash escapes there); the parser does not decode
 * entities, so a constrained value with one of them reaches the function encoded. The Qwen3.5
 * template itself writes values raw, so unconstrained generations are unaffected.
 */
import type { FunctionSpec, JSONSchema } from '../types/functionSpec.ts';
import type { ResponseFormat } from '../types/generation.ts';
import { argumentsSchema } from './callSchema.ts';
import type { ResolvedToolChoice } from './toolChoice.ts';
import { taggedCallsFormat } from './taggedCalls.ts';

export const QWEN_XML_TRIGGER = '<tool_call>';

/** Whitespace only (possibly none): the layout between blocks the model writes. */
export const WHITESPACE = { type: 'grammar', grammar: 'root ::= [ \\t\\r\\n]*' } as const;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * xgrammar 0.1.27 writes a string `enum`/`const` parameter JSON-quoted (`"celsius"`), while the
 * template and the parser want it bare; a `pattern` is matched bare, so string choices become one.
 * Only top-level parameters are XML values (nested ones are JSON, where quotes are right).
 */
function bareStringChoices(schema: JSONSchema): JSONSchema {
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([key, prop]) => {
      const choices = 'const' in prop ? [prop['const']] : prop.enum;
      if (!Array.isArray(choices) || choices.length === 0 || !choices.every((c): c is string => typeof c === 'string'))
        return [key, prop];
      const { enum: _enum, const: _const, ...rest } = prop;
      return [key, { ...rest, type: 'string', pattern: `^(${choices.map(escapeRegex).join('|')})$` }];
    }),
  );
  return { ...schema, properties };
}

function callTag(fn: FunctionSpec) {
  const schema = bareStringChoices(argumentsSchema(fn));
  // xgrammar 0.1.27 aborts (wasm crash) on a qwen_xml_parameter schema without properties.
  const params =
    Object.keys(schema.properties ?? {}).length > 0 ? [{ type: 'qwen_xml_parameter', json_schema: schema }] : [];
  return {
    type: 'tag',
    begin: `<tool_call>\n<function=${fn.name}>`,
    content: { type: 'sequence', elements: [...params, WHITESPACE] },
    end: '</function>\n</tool_call>',
  };
}

/** Calls as `<tool_call>` XML blocks: anywhere among free text in auto, only calls otherwise. */
export function qwenXmlFormat(choice: ResolvedToolChoice): ResponseFormat {
  const tags = choice.functions.map(callTag);
  return taggedCallsFormat(QWEN_XML_TRIGGER, tags, choice);
}
