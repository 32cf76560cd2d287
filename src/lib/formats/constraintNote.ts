import type { ToolChoice } from '../types/agent.ts';
import type { ResponseFormat } from '../types/generation.ts';
import { buildToolConstraint, type ToolCallSyntax } from '../grammar/buildToolConstraint.ts';
import { describeToolChoice } from '../grammar/toolChoice.ts';
import type { ReasoningFirst } from '../grammar/reasoningFirst.ts';
import type { PromptContext } from './promptFormat.ts';

/**
 * Why a raw prompt is not constrained: web-llm's `completions.create` takes no response_format, and the
 * model was not loaded for raw prompts (the pass-through template that lets the chat API take them).
 */
export function completionApiNote(label: string, toolChoice: ToolChoice = 'auto'): string {
  const base = `Not constrained: ${label} prompts go through web-llm's raw completion API, which has no response_format (grammar), because the model was not loaded for constrained raw prompts. Calls are repaired and validated after generation.`;
  if (toolChoice === 'none')
    return `${base} tool_choice none: the functions stay listed, and a call written anyway is shown, not run.`;
  if (toolChoice === 'auto') return base;
  return `${base} tool_choice ${describeToolChoice(toolChoice)} cannot be enforced: only the functions it allows are listed, and the answer may still be prose.`;
}

/**
 * The grammar for a raw-prompt format's calls when the engine can apply it (`ctx.canConstrainRaw`),
 * else the note saying why there is none. The prompt text is the same either way.
 * @throws {ToolChoiceError} when toolChoice names a function that is not enabled.
 */
export function rawPromptConstraint(
  label: string,
  syntax: ToolCallSyntax,
  ctx: PromptContext,
  reasoning: { reasoningFirst?: ReasoningFirst; thinking?: boolean; answerPrefix?: string } = {},
): { responseFormat?: ResponseFormat; constrained: boolean; constraintNote: string } {
  if (ctx.canConstrainRaw !== true || ctx.canConstrain === false) {
    return { constrained: false, constraintNote: completionApiNote(label, ctx.toolChoice) };
  }
  const c = buildToolConstraint({
    functions: ctx.functions,
    syntax,
    ...(ctx.toolChoice !== undefined ? { toolChoice: ctx.toolChoice } : {}),
    ...reasoning,
  });
  const note = c.constrained
    ? `${c.note} (${label} raw prompt, sent through web-llm's chat API with a pass-through template.)`
    : c.note;
  return {
    ...(c.responseFormat ? { responseFormat: c.responseFormat } : {}),
    constrained: c.constrained,
    constraintNote: note,
  };
}
