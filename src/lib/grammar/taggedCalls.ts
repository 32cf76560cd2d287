/**
 * The structural tag for calls written as tagged blocks (`<tool_call>…</tool_call>`, a ```json
 * fence, Qwen3.5's XML block): in tool_choice auto the blocks are triggered among free text; when a
 * call is required only blocks may be written, one or more separated by a newline — exactly one for a
 * named function, as OpenAI's tool_choice does. The per-function tags (name fixed in `begin`, the
 * arguments constrained inside) come from each syntax's builder.
 */
import type { ResponseFormat } from '../types/generation.ts';
import type { ResolvedToolChoice } from './toolChoice.ts';

export function taggedCallsFormat(
  trigger: string,
  tags: readonly unknown[],
  choice: ResolvedToolChoice,
): ResponseFormat {
  const format =
    choice.mode === 'auto'
      ? { type: 'triggered_tags', triggers: [trigger], tags }
      : {
          type: 'tags_with_separator',
          tags,
          separator: '\n',
          at_least_one: true,
          ...(choice.forced ? { stop_after_first: true } : {}),
        };
  return { type: 'structural_tag', structuralTag: { type: 'structural_tag', format } };
}
