/**
 * Trelis function calling v3 layout: the v2 prompt structure (a function block before the first
 * `[INST]`, Llama-2 multi-turn), with OpenAI-shaped function definitions
 * `{"type": "function", "function": {"name", "description", "parameters": <JSON Schema>}}` in the
 * block and answers `{"name": …, "arguments": {…}}`.
 *
 * Raw COMPLETION API, for the same reason as v2: the function block sits outside any chat template.
 * The conversation part is the core's Trelis builder with no functions (which leaves its v2 block
 * out); this module prepends the v3 block. Each definition is Python's `json.dumps(…, indent=4)`,
 * as the Trelis cards build their function list. Starts with the BOS `<s>` (see LLAMA_BOS in
 * trelisV2Format.ts). Constrained like v2, with the "name" key (grammar/rawCallConstraint.ts).
 */
import { buildTrelisConversation } from '../prompt/buildTrelisPrompt.ts';
import { pythonJsonDumps } from '../prompt/pythonJsonDumps.ts';
import { B_FUNC, E_FUNC } from '../prompt/trelisStyles.ts';
import { resolveToolChoice } from '../grammar/toolChoice.ts';
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { ToolCall } from '../types/toolCall.ts';
import { rawPromptConstraint } from './constraintNote.ts';
import type { BuiltInPromptFormat, BuiltPrompt, PromptContext } from './promptFormat.ts';
import { openAiTool } from './toolJson.ts';
import { TRELIS_V2_SYNTAX } from './trelisV2Format.ts';
import type { FormatSyntax } from './formatSyntax.ts';

/** The v2 layout's BOS and stops; answers `{"name", "arguments"}`. */
const TRELIS_V3_SYNTAX = { ...TRELIS_V2_SYNTAX, constraint: 'trelis-v3' } satisfies FormatSyntax;

/** `<FUNCTIONS>…</FUNCTIONS>\n\n` with v3 (OpenAI-shaped) definitions, or '' with no functions. */
export function buildTrelisV3FunctionBlock(functions: FunctionSpec[]): string {
  if (functions.length === 0) return '';
  const list = functions.map((f) => pythonJsonDumps(openAiTool(f))).join('\n\n');
  return B_FUNC + list.trim() + E_FUNC;
}

export const trelisV3Format: BuiltInPromptFormat = {
  id: 'trelis-v3',
  label: 'Trelis function calling v3',
  description:
    'Trelis layout with OpenAI-shaped functions ({"type": "function", "function": {…}}) in the <FUNCTIONS> block; answers {"name", "arguments"}. Raw prompt; constrained when the model is loaded for raw prompts.',
  source: 'https://huggingface.co/Trelis/Llama-2-7b-chat-hf-function-calling-v3',
  api: 'completion',
  syntax: TRELIS_V3_SYNTAX,
  build(ctx: PromptContext): BuiltPrompt {
    const choice = resolveToolChoice(ctx.functions, ctx.toolChoice);
    const conversation = buildTrelisConversation({
      style: 'llama',
      functions: [],
      ...(ctx.system !== undefined ? { system: ctx.system } : {}),
      turns: ctx.turns,
    });
    const { responseFormat, constrained, constraintNote } = rawPromptConstraint(
      'Trelis v3',
      TRELIS_V3_SYNTAX.constraint,
      ctx,
    );
    const prompt = TRELIS_V3_SYNTAX.bos + buildTrelisV3FunctionBlock(choice.functions) + conversation;
    return {
      request: {
        api: 'completion',
        prompt,
        stop: [...TRELIS_V3_SYNTAX.stop],
        ...(responseFormat ? { responseFormat } : {}),
      },
      constrained,
      constraintNote,
    };
  },
  renderCalls(calls: ToolCall[]): string {
    return calls.map((c) => pythonJsonDumps({ name: c.name, arguments: c.arguments })).join('\n');
  },
};
