/**
 * The common tail of the raw-prompt formats (the ones that render the model's template text
 * themselves, byte for byte, and send it through web-llm's completion API): the BOS and stop strings
 * from the format's declaration, and the tool_choice grammar for its call syntax.
 *
 * A raw prompt can be constrained when the engine loaded the model for raw prompts (a pass-through
 * conversation template lets the chat API carry the exact bytes and a response_format):
 * `ctx.canConstrainRaw`. Otherwise calls are repaired and validated after generation.
 */
import { rawPromptConstraint } from './constraintNote.ts';
import type { ReasoningFirst } from '../grammar/reasoningFirst.ts';
import type { BuiltPrompt, PromptContext } from './promptFormat.ts';
import type { FormatSyntax } from './formatSyntax.ts';

export interface RawPromptParts {
  /** The prompt after the BOS, ending where the model's answer begins (its answer prefix included). */
  text: string;
  /** What `text` already wrote of the answer (an opening `<think>\n`): see BuiltPrompt.answerPrefix. */
  answerPrefix?: string;
  /** The model reasons before its calls (thinking on): the grammar lets that block come first. */
  reasoningFirst?: ReasoningFirst;
}

export function buildRawPrompt(
  ctx: PromptContext,
  syntax: FormatSyntax,
  label: string,
  parts: RawPromptParts,
): BuiltPrompt {
  const prompt = syntax.bos + parts.text;
  const base = { api: 'completion' as const, prompt, ...(syntax.stop.length > 0 ? { stop: [...syntax.stop] } : {}) };
  const prefix = parts.answerPrefix ? { answerPrefix: parts.answerPrefix } : {};
  if (!syntax.constraint) {
    return {
      request: base,
      constrained: false,
      constraintNote: `Not constrained: no grammar is defined for ${label} calls; calls are repaired and validated after generation.`,
      ...prefix,
    };
  }
  const { responseFormat, constrained, constraintNote } = rawPromptConstraint(label, syntax.constraint, ctx, {
    ...(parts.reasoningFirst ? { reasoningFirst: parts.reasoningFirst } : {}),
    thinking: thinkingEnabled(ctx, syntax),
    ...prefix,
  });
  return { request: responseFormat ? { ...base, responseFormat } : base, constrained, constraintNote, ...prefix };
}

/** Whether this prompt lets the model reason: the conversation's choice where the format can switch it, else its default. */
export function thinkingEnabled(ctx: PromptContext, syntax: FormatSyntax): boolean {
  if (!syntax.thinking) return false;
  return syntax.thinking.switchable && ctx.thinking !== undefined ? ctx.thinking : syntax.thinking.defaultOn;
}
