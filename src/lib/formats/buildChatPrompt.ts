/**
 * The common shape of the chat-API formats: the user's system prompt plus the format's function
 * instructions in one system message, the conversation as chat messages (chatMessages.ts), and the
 * tool_choice grammar for the format's call syntax as response_format.
 */
import { buildToolConstraint } from '../grammar/buildToolConstraint.ts';
import { resolveToolChoice } from '../grammar/toolChoice.ts';
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { ToolCall } from '../types/toolCall.ts';
import { buildChatMessages, joinSystem, type ToolTurn } from './chatMessages.ts';
import type { BuiltPrompt, PromptContext } from './promptFormat.ts';
import type { FormatSyntax } from './formatSyntax.ts';
import type { ToolCallSyntax } from '../grammar/buildToolConstraint.ts';

export interface ChatFormatParts {
  /** The format's declaration; its `constraint` is the call syntax the grammar enforces. */
  syntax: FormatSyntax & { constraint: ToolCallSyntax };
  /** A line that must open the system message when functions are offered (Llama's `Environment: ipython`). */
  preamble?: string;
  /** The function instructions and list; only called with at least one function. */
  instructions(functions: FunctionSpec[]): string;
  toolResults: (results: ToolTurn[]) => string;
  renderCalls: (calls: ToolCall[]) => string;
}

/**
 * @throws {PromptBuildError} when the conversation does not end with a user message or result.
 * @throws {ToolChoiceError} when toolChoice names a function that is not enabled.
 */
export function buildChatPrompt(ctx: PromptContext, parts: ChatFormatParts): BuiltPrompt {
  const choice = resolveToolChoice(ctx.functions, ctx.toolChoice);
  const instructions = choice.functions.length > 0 ? parts.instructions(choice.functions) : '';
  const messages = buildChatMessages(ctx.turns, {
    system: joinSystem(instructions !== '' ? parts.preamble : undefined, joinSystem(ctx.system, instructions)),
    toolResults: parts.toolResults,
    renderCalls: parts.renderCalls,
  });
  const constraint = buildToolConstraint({
    functions: ctx.functions,
    syntax: parts.syntax.constraint,
    ...(ctx.toolChoice !== undefined ? { toolChoice: ctx.toolChoice } : {}),
    ...(ctx.canConstrain !== undefined ? { canConstrain: ctx.canConstrain } : {}),
  });
  return {
    request: {
      api: 'chat',
      messages,
      ...(constraint.responseFormat ? { responseFormat: constraint.responseFormat } : {}),
    },
    constrained: constraint.constrained,
    constraintNote: constraint.note,
  };
}

/** `Result of <name>:\n<content>` per result, blank line between (the core's Trelis wording). */
export function labelledResults(results: ToolTurn[]): string {
  return results.map((r) => `Result of ${r.name}:\n${r.content.trim()}`).join('\n\n');
}
