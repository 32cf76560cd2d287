/**
 * Resolves OpenAI-style `tool_choice` against the enabled functions, once, so the prompt formats and
 * the grammar builder agree on what is offered: a named function offers only that function (the
 * prompt then matches the constraint, which also helps formats that cannot be constrained); `auto`,
 * `required` and `none` list everything. `none` keeps the list, as OpenAI does, so the prompt stays
 * the one the previous request had and web-llm can reuse its KV cache (issue 12 §6); calls are then
 * forbidden by a grammar (noCallGrammar.ts) and never run (agent/runAgent.ts).
 */
import type { ToolChoice } from '../types/agent.ts';
import type { FunctionSpec } from '../types/functionSpec.ts';

export type ToolChoiceMode = 'auto' | 'required' | 'none';

export interface ResolvedToolChoice {
  /** `required` also covers a named function (exactly that function must be called). */
  mode: ToolChoiceMode;
  /** The functions to list in the prompt (and, unless the mode is `none`, allow in the grammar), in order. */
  functions: FunctionSpec[];
  /** Set when the choice names one function. */
  forced?: string;
}

/** A tool choice that cannot be honoured with the enabled functions: a bug in the caller. */
export class ToolChoiceError extends Error {
  override name = 'ToolChoiceError';
  readonly toolChoice: ToolChoice;
  readonly available: string[];
  constructor(message: string, toolChoice: ToolChoice, available: string[]) {
    super(message);
    this.toolChoice = toolChoice;
    this.available = available;
  }
}

/**
 * @throws {ToolChoiceError} when the choice names a function that is not enabled, or is 'required'
 *   while no function is enabled.
 */
export function resolveToolChoice(functions: FunctionSpec[], toolChoice: ToolChoice = 'auto'): ResolvedToolChoice {
  const names = functions.map((f) => f.name);
  if (toolChoice === 'none') return { mode: 'none', functions };
  if (toolChoice === 'auto') {
    // Nothing to call: the same as 'none', so no format lists an empty function block.
    return functions.length === 0 ? { mode: 'none', functions: [] } : { mode: 'auto', functions };
  }
  if (toolChoice === 'required') {
    if (functions.length === 0) {
      throw new ToolChoiceError('tool_choice "required" needs at least one enabled function.', toolChoice, names);
    }
    return { mode: 'required', functions };
  }
  const chosen = functions.find((f) => f.name === toolChoice.function);
  if (!chosen) {
    throw new ToolChoiceError(
      `tool_choice names "${toolChoice.function}", which is not among the enabled functions (${names.join(', ') || 'none'}).`,
      toolChoice,
      names,
    );
  }
  return { mode: 'required', functions: [chosen], forced: chosen.name };
}

/** How a tool choice reads in the inspector. */
export function describeToolChoice(toolChoice: ToolChoice = 'auto'): string {
  return typeof toolChoice === 'string' ? toolChoice : `function ${toolChoice.function}`;
}
