/**
 * Trelis "function calling v2" (Llama-2 / Mistral fine-tunes), through web-llm's RAW COMPLETION API.
 *
 * Why completion: the fine-tunes were trained on an exact layout — the `<FUNCTIONS>` block before the
 * first `[INST]`, outside the system prompt — that no web-llm chat template can produce. The text is
 * built by the core (prompt/buildTrelisPrompt.ts, style 'llama', Llama-2 multi-turn with
 * ` </s><s>` between turns, function results fed back as the next instruction), and this module
 * puts the BOS `<s>` in front (see LLAMA_BOS). Generation stops at `</s>`, or at a new `[INST]` if
 * the model starts writing the user's next turn itself. Constrained (the answer's JSON call, see
 * grammar/rawCallConstraint.ts) only when the engine loaded the model for raw prompts
 * (`ctx.canConstrainRaw`); web-llm's completion API itself has no response_format.
 *
 * Answers: `{"function": "name", "arguments": {…}}` (the core's parser reads it).
 */
import { buildTrelisConversation } from '../prompt/buildTrelisPrompt.ts';
import { pythonJsonDumps } from '../prompt/pythonJsonDumps.ts';
import { resolveToolChoice } from '../grammar/toolChoice.ts';
import type { ToolCall } from '../types/toolCall.ts';
import { rawPromptConstraint } from './constraintNote.ts';
import type { BuiltInPromptFormat, BuiltPrompt, PromptContext } from './promptFormat.ts';
import type { FormatSyntax } from './formatSyntax.ts';

/**
 * The BOS token of Llama 2 / Mistral, written as text at the start of raw completion prompts.
 * web-llm 0.2.86's completion API sends only the prompt's own tokens: it prepends the model's
 * `system_prefix_token_ids` (the BOS) for chat requests only (LLMChatPipeline.getInputData), and its
 * tokenizer encodes without special tokens (tokenizers-cpp `Encode` passes add_special_tokens=false).
 * The tokenizer does turn the text `<s>` into the BOS id, as it is a special added token.
 * (Models packaged with an mlc-model-manifest take another path that adds the BOS itself; none of
 * the Trelis or Mistral builds in web-llm's catalog do.)
 */
export const LLAMA_BOS = '<s>';

/** Stop strings for Llama-2-style Trelis prompts. */
export const TRELIS_STOP = ['</s>', '[INST]'];

/** Bare `{"function": …, "arguments": …}` objects, read anywhere: no tags. */
export const TRELIS_V2_SYNTAX = {
  calls: [],
  constraint: 'trelis-v2',
  stop: TRELIS_STOP,
  bos: LLAMA_BOS,
} satisfies FormatSyntax;

export const trelisV2Format: BuiltInPromptFormat = {
  id: 'trelis-v2',
  label: 'Trelis function calling v2',
  description:
    'For the Trelis v2 fine-tunes (Llama 2, Mistral 7B…): functions as v2 metadata in a <FUNCTIONS> block before [INST]; answers {"function", "arguments"}. Raw prompt; constrained when the model is loaded for raw prompts.',
  source: 'https://huggingface.co/Trelis/Llama-2-7b-chat-hf-function-calling-v2',
  api: 'completion',
  syntax: TRELIS_V2_SYNTAX,
  build(ctx: PromptContext): BuiltPrompt {
    const choice = resolveToolChoice(ctx.functions, ctx.toolChoice);
    const prompt = buildTrelisConversation({
      style: 'llama',
      functions: choice.functions,
      ...(ctx.system !== undefined ? { system: ctx.system } : {}),
      turns: ctx.turns,
    });
    const { responseFormat, constrained, constraintNote } = rawPromptConstraint(
      'Trelis v2',
      TRELIS_V2_SYNTAX.constraint,
      ctx,
    );
    return {
      request: {
        api: 'completion',
        prompt: TRELIS_V2_SYNTAX.bos + prompt,
        stop: [...TRELIS_V2_SYNTAX.stop],
        ...(responseFormat ? { responseFormat } : {}),
      },
      constrained,
      constraintNote,
    };
  },
  renderCalls(calls: ToolCall[]): string {
    // As in the model card: one indented JSON object per call.
    return calls.map((c) => pythonJsonDumps({ function: c.name, arguments: c.arguments })).join('\n');
  },
};
