import type { ToolChoice } from '../types/agent.ts';
import { describeToolChoice } from '../grammar/toolChoice.ts';

/**
 * Why a raw-completion format is never constrained: web-llm's `completions.create` takes no
 * response_format, so only the chat API can apply a grammar.
 */
export function completionApiNote(label: string, toolChoice: ToolChoice = 'auto'): string {
  const base = `Not constrained: ${label} prompts go through web-llm's raw completion API, which has no response_format (grammar). Calls are repaired and validated after generation.`;
  if (toolChoice === 'none') return `${base} No functions are offered (tool_choice none).`;
  if (toolChoice === 'auto') return base;
  return `${base} tool_choice ${describeToolChoice(toolChoice)} cannot be enforced: only the functions it allows are listed, and the answer may still be prose.`;
}
