/**
 * Structural tag for Mistral tokenizer v13 calls (Ministral 3): `[TOOL_CALLS]name[ARGS]{…}`, with
 * `[TOOL_CALLS]` repeated before each call and no list around them (mistral-common V11/V13
 * `_encode_tool_calls_in_assistant_message`). The name is fixed text per function and the arguments
 * follow its parameters schema.
 *
 * - auto: free text, and every `[TOOL_CALLS]` the model writes must start a valid call;
 * - required / named function: `[TOOL_CALLS]` then one call, more calls each after another
 *   `[TOOL_CALLS]` (the token is the separator: xgrammar rejects an empty separator or an empty
 *   tag end, so the first `[TOOL_CALLS]` is a constant and the repeated ones are the separator).
 *
 * One format serves Ministral-3-Instruct (no reasoning) and Ministral-3-Reasoning, which writes
 * `[THINK]…[/THINK]` before its answer: a reasoning block is always allowed first, its text free
 * (a draft `[TOOL_CALLS]` inside it is a thought, not a call). The Instruct model simply never
 * opens one, so one grammar fits both and the format needs no model parameter.
 */
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { ResponseFormat } from '../types/generation.ts';
import { argumentsSchema } from './callSchema.ts';
import type { ResolvedToolChoice } from './toolChoice.ts';

const TOOL_CALLS = '[TOOL_CALLS]';
const THINK = { type: 'tag', begin: '[THINK]', content: { type: 'any_text' }, end: '[/THINK]' };

function callTag(fn: FunctionSpec, prefix: string) {
  return {
    type: 'tag',
    begin: `${prefix}${fn.name}[ARGS]`,
    content: { type: 'json_schema', json_schema: argumentsSchema(fn) },
    end: '',
  };
}

/** `answer`, or a reasoning block then `answer`. */
function afterOptionalThinking(answer: object): object {
  return { type: 'or', elements: [{ type: 'sequence', elements: [THINK, answer] }, answer] };
}

export function mistralV13Format(choice: ResolvedToolChoice): ResponseFormat {
  const answer =
    choice.mode === 'auto'
      ? { type: 'triggered_tags', triggers: [TOOL_CALLS], tags: choice.functions.map((fn) => callTag(fn, TOOL_CALLS)) }
      : {
          type: 'sequence',
          elements: [
            { type: 'const_string', value: TOOL_CALLS },
            {
              type: 'tags_with_separator',
              tags: choice.functions.map((fn) => callTag(fn, '')),
              separator: TOOL_CALLS,
              at_least_one: true,
              // A named function is called exactly once, as OpenAI's tool_choice does.
              ...(choice.forced ? { stop_after_first: true } : {}),
            },
          ],
        };
  return { type: 'structural_tag', structuralTag: { type: 'structural_tag', format: afterOptionalThinking(answer) } };
}
