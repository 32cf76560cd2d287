/**
 * Puts a reasoning block in front of a tool_choice grammar, for models that think before they
 * answer (Qwen3, Qwen3.5 with thinking on). Without it a `required` grammar would forbid the
 * `<think>` the model is about to write, and an `auto` grammar would treat a draft call inside the
 * reasoning as a real one and force it to be valid.
 *
 * Two cases, by who opens the block:
 * - the model does (Qwen3: the prompt ends at `<|im_start|>assistant\n`): `<think>` any text
 *   `</think>`, then whitespace, then the calls grammar;
 * - the prompt did (Qwen3.5 ends with `<think>\n`): the output starts inside the block, so any text
 *   up to `</think>` comes first.
 * When the prompt already closed an empty block (thinking off) there is nothing to wrap: callers
 * pass no reasoning and the grammar starts at the answer.
 * The reasoning text itself is free (any text without the closing marker).
 */
import type { ResponseFormat } from '../types/generation.ts';
import { WHITESPACE } from './qwenXmlFormat.ts';

export interface ReasoningFirst {
  close: string;
  /** The opening the model writes itself; absent when the prompt already wrote it. */
  open?: string;
}

/** The calls grammar as a structural-tag element, whatever form it was built in. */
function asElement(format: ResponseFormat): unknown {
  switch (format.type) {
    case 'structural_tag': {
      const tag = format.structuralTag;
      return typeof tag === 'object' && tag !== null && 'format' in tag ? tag.format : tag;
    }
    case 'grammar':
      return { type: 'grammar', grammar: format.grammar };
    case 'json_object':
      return {
        type: 'json_schema',
        json_schema: format.schema === undefined ? {} : (JSON.parse(format.schema) as unknown),
      };
  }
}

export function withReasoningFirst(format: ResponseFormat, reasoning: ReasoningFirst): ResponseFormat {
  const block = { type: 'tag', begin: reasoning.open ?? '', content: { type: 'any_text' }, end: reasoning.close };
  const sequence = { type: 'sequence', elements: [block, WHITESPACE, asElement(format)] };
  return { type: 'structural_tag', structuralTag: { type: 'structural_tag', format: sequence } };
}
