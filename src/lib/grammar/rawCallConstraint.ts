/**
 * Grammar constraints for the call syntaxes of the raw-prompt formats (issue 10 §3). Those prompts
 * reach web-llm's chat API through a pass-through template (src/engine/passThroughTemplate.ts), so
 * they take a `response_format` like any chat format:
 *
 * | syntax     | answer                                              | auto                         |
 * |------------|-----------------------------------------------------|------------------------------|
 * | trelis-v2  | `{"function": "f", "arguments": {…}}`               | the call, or prose not       |
 * | trelis-v3  | `{"name": "f", "arguments": {…}}`                   | starting with `{`            |
 * | mistral-v3 | `[TOOL_CALLS] [{"name": "f", "arguments": {…}}, …]` | the list, or prose not       |
 * |            |                                                     | starting with `[`            |
 *
 * These models use sentencepiece vocabularies (Llama 2, Mistral), whose word tokens carry a leading
 * space (`▁Sure` is " Sure" to the grammar engine): the first token after `[/INST]` is naturally
 * one of them. So a Trelis call and any prose may start with one space; without it the model would be
 * pushed onto rarer tokens. `[TOOL_CALLS]` is one token of the Mistral v3 vocabulary and needs none.
 * The Trelis answer is one call (its cards show one JSON object per answer); Mistral's list holds one
 * or more, exactly one for a named function.
 */
import type { ResponseFormat } from '../types/generation.ts';
import { anyCallSchema } from './callSchema.ts';
import type { ResolvedToolChoice } from './toolChoice.ts';

export type RawCallSyntax = 'trelis-v2' | 'trelis-v3' | 'mistral-v3';

/** Text that is not a call: it may not start with `first` (nor with whitespace after one space). */
function prose(first: '{' | '['): { type: 'grammar'; grammar: string } {
  return { type: 'grammar', grammar: `root ::= " "? [^${first === '[' ? '\\[' : '{'} \\t\\r\\n] [^]*` };
}

function structuralTag(format: unknown): ResponseFormat {
  return { type: 'structural_tag', structuralTag: { type: 'structural_tag', format } };
}

/** One Trelis call: `{"<nameKey>": "f", "arguments": {…}}`, optionally after one space. */
function trelisFormat(choice: ResolvedToolChoice, nameKey: 'function' | 'name'): ResponseFormat {
  const call = { type: 'json_schema', json_schema: anyCallSchema(choice.functions, 'arguments', nameKey) };
  const spacedCall = {
    type: 'or',
    elements: [call, { type: 'sequence', elements: [{ type: 'const_string', value: ' ' }, call] }],
  };
  return structuralTag(choice.mode === 'auto' ? { type: 'or', elements: [spacedCall, prose('{')] } : spacedCall);
}

/**
 * `[TOOL_CALLS] ` then the list as one JSON schema (an array of calls, at least one, one for a named
 * function). The bundled web-xgrammar threw while compiling a `tags_with_separator` followed by the
 * closing `]` in a sequence (seen in the unit tests; a single tag there compiled), so the list is a
 * schema rather than tags; the JSON layout inside is then free, as in the other formats.
 */
function mistralFormat(choice: ResolvedToolChoice): ResponseFormat {
  const array = {
    type: 'array',
    items: anyCallSchema(choice.functions),
    minItems: 1,
    ...(choice.forced !== undefined ? { maxItems: 1 } : {}),
  };
  const list = {
    type: 'sequence',
    elements: [
      { type: 'const_string', value: '[TOOL_CALLS] ' },
      { type: 'json_schema', json_schema: array },
    ],
  };
  return structuralTag(choice.mode === 'auto' ? { type: 'or', elements: [list, prose('[')] } : list);
}

/** The response_format for a raw format's calls; `choice` is resolved and offers functions. */
export function rawCallFormat(syntax: RawCallSyntax, choice: ResolvedToolChoice): ResponseFormat {
  if (syntax === 'mistral-v3') return mistralFormat(choice);
  return trelisFormat(choice, syntax === 'trelis-v2' ? 'function' : 'name');
}
