/**
 * Structural tag for formats that write all of an answer's calls as ONE JSON list between two tags:
 * Phi-4-mini `<|tool_call|>[{"name": "f", "arguments": {…}}]<|/tool_call|>` and SmolLM2
 * `<tool_call>[…]</tool_call>`. Each list item is a call with its name fixed and its arguments
 * following that function's parameters schema (callSchema.ts).
 *
 * - auto: free text, and a block the model opens must hold a valid list. `allowEmpty` lets that list
 *   be `[]`, which SmolLM2's instructions define as "no call is needed";
 * - required: the answer is exactly one block with one or more calls (parallel calls are items);
 * - named function: one block with exactly one call to it.
 */
import type { ResponseFormat } from '../types/generation.ts';
import { anyCallSchema } from './callSchema.ts';
import type { ResolvedToolChoice } from './toolChoice.ts';

export interface ListTags {
  open: string;
  close: string;
  /** Whether `[]` (no call) is a valid block in tool_choice auto. */
  allowEmpty: boolean;
}

export function taggedListFormat(tags: ListTags, choice: ResolvedToolChoice): ResponseFormat {
  const single = choice.forced !== undefined;
  const list = {
    type: 'array',
    items: anyCallSchema(choice.functions),
    minItems: choice.mode === 'auto' && tags.allowEmpty ? 0 : 1,
    ...(single ? { maxItems: 1 } : {}),
  };
  const block = { type: 'tag', begin: tags.open, content: { type: 'json_schema', json_schema: list }, end: tags.close };
  const format = choice.mode === 'auto' ? { type: 'triggered_tags', triggers: [tags.open], tags: [block] } : block;
  return { type: 'structural_tag', structuralTag: { type: 'structural_tag', format } };
}
