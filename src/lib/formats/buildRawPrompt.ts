/**
 * The common tail of the raw-prompt formats (the ones that render the model's template text
 * themselves, byte for byte, and send it through web-llm's completion API): the BOS and stop strings
 * from the format's declaration, and the tool_choice grammar for its call syntax.
 *
 * A raw prompt can be constrained because the engine loads such models with a pass-through
 * conversation template (src/engine), which lets the chat API carry the exact bytes and a
 * response_format; `canConstrain: false` (an engine that cannot) leaves calls to repair and
 * validation after generation.
 */
import { buildToolConstraint } from '../grammar/buildToolConstraint.ts';
import type { BuiltPrompt, PromptContext } from './promptFormat.ts';
import type { FormatSyntax } from './formatSyntax.ts';

export interface RawPromptParts {
  /** The prompt after the BOS, ending where the model's answer begins (its answer prefix included). */
  text: string;
  /** What `text` already wrote of the answer (an opening `<think>\n`): see BuiltPrompt.answerPrefix. */
  answerPrefix?: string;
}

export function buildRawPrompt(ctx: PromptContext, syntax: FormatSyntax, label: string, parts: RawPromptParts): BuiltPrompt {
  const prompt = syntax.bos + parts.text;
  const base = { api: 'completion' as const, prompt, ...(syntax.stop.length > 0 ? { stop: [...syntax.stop] } : {}) };
  const prefix = parts.answerPrefix ? { answerPrefix: parts.answerPrefix } : {};
  if (!syntax.constraint) {
    return { request: base, constrained: false, constraintNote: `Not constrained: no grammar is defined for ${label} calls; calls are repaired and validated after generation.`, ...prefix };
  }
  const constraint = buildToolConstraint({
    functions: ctx.functions,
    syntax: syntax.constraint,
    ...(ctx.toolChoice !== undefined ? { toolChoice: ctx.toolChoice } : {}),
    ...(ctx.canConstrain !== undefined ? { canConstrain: ctx.canConstrain } : {}),
    thinking: thinkingEnabled(ctx, syntax),
    ...prefix,
  });
  return {
    request: constraint.responseFormat ? { ...base, responseFormat: constraint.responseFormat } : base,
    constrained: constraint.constrained,
    constraintNote: constraint.note,
    ...prefix,
  };
}

/** Whether this prompt lets the model reason: the conversation's choice where the format can switch it, else its default. */
export function thinkingEnabled(ctx: PromptContext, syntax: FormatSyntax): boolean {
  if (!syntax.thinking) return false;
  return syntax.thinking.switchable && ctx.thinking !== undefined ? ctx.thinking : syntax.thinking.defaultOn;
}
