/**
 * Mistral 7B Instruct v0.3 tool calling (tokenizer v3), through web-llm's RAW COMPLETION API.
 *
 * Why completion: the v3 layout puts `[AVAILABLE_TOOLS]` right before the LAST `[INST]`, the system
 * prompt inside that last instruction, and results in `[TOOL_RESULTS]` blocks after the call; web-llm's
 * Mistral chat template can express none of that. So this module writes the text itself, following
 * the v0.3 chat template (Hugging Face tokenizer_config.json) and mistral-common's v3 tokenizer:
 *
 *   [INST] u1[/INST] a1</s>[AVAILABLE_TOOLS] [{"type": "function", "function": {…}}][/AVAILABLE_TOOLS]
 *   [INST] system\n\nu2[/INST][TOOL_CALLS] [{"name": "f", "arguments": {…}, "id": "call00001"}]</s>
 *   [TOOL_RESULTS] {"content": …, "call_id": "call00001"}[/TOOL_RESULTS]
 *
 * (no line breaks in the real text). JSON is in Python's json.dumps layout, as the template's
 * `tojson` writes it. Call ids must be 9 alphanumeric characters; ours are `call` + a 5-digit counter
 * over the conversation, so a result is matched to the call it answers (in order) and prompts are
 * deterministic. The prompt starts with the BOS `<s>` (see LLAMA_BOS in trelisV2Format.ts: web-llm's
 * completion API does not add it). Constrained (`[TOOL_CALLS] […]`, grammar/rawCallConstraint.ts) only
 * when the engine loaded the model for raw prompts (`ctx.canConstrainRaw`).
 */
import { PromptBuildError } from '../errors.ts';
import { resolveToolChoice } from '../grammar/toolChoice.ts';
import type { ToolCall } from '../types/toolCall.ts';
import type { Turn } from '../types/turn.ts';
import { assistantText } from './chatMessages.ts';
import { rawPromptConstraint } from './constraintNote.ts';
import type { BuiltInPromptFormat, BuiltPrompt, PromptContext } from './promptFormat.ts';
import { openAiTool, pythonCompactJson } from './toolJson.ts';
import { LLAMA_BOS } from './trelisV2Format.ts';
import type { FormatSyntax } from './formatSyntax.ts';

const EOS = '</s>';

/** `[TOOL_CALLS]` then a JSON list of calls, up to the EOS. */
const MISTRAL_V3_SYNTAX = {
  calls: [{ open: '[TOOL_CALLS]', close: [EOS], bodies: ['json'] }],
  constraint: 'mistral-v3',
  stop: [EOS],
  bos: LLAMA_BOS,
} satisfies FormatSyntax;

function callId(n: number): string {
  return `call${String(n).padStart(5, '0')}`;
}

function renderCallsWithIds(calls: ToolCall[], ids: string[]): string {
  const items = calls.map((c, i) =>
    pythonCompactJson({ name: c.name, arguments: c.arguments, ...(ids[i] ? { id: ids[i] } : {}) }),
  );
  return `[TOOL_CALLS] [${items.join(', ')}]`;
}

function renderCalls(calls: ToolCall[]): string {
  return renderCallsWithIds(calls, []);
}

/** @throws {PromptBuildError} when the conversation is empty or ends with an answer. */
export function buildMistralV3Prompt(ctx: PromptContext): string {
  const { turns } = ctx;
  const last = turns[turns.length - 1];
  if (!last) throw new PromptBuildError('the conversation has no turns');
  if (last.role === 'assistant')
    throw new PromptBuildError('the last turn must be a user message or a function result');
  const { functions } = resolveToolChoice(ctx.functions, ctx.toolChoice);
  const lastUser = turns.findLastIndex((t: Turn) => t.role === 'user');
  const system = ctx.system?.trim() ?? '';
  let out = MISTRAL_V3_SYNTAX.bos;
  let counter = 0;
  let pending: string[] = []; // ids of calls not yet answered, oldest first
  turns.forEach((turn, i) => {
    if (turn.role === 'user') {
      if (i === lastUser && functions.length > 0) {
        out += `[AVAILABLE_TOOLS] ${pythonCompactJson(functions.map(openAiTool))}[/AVAILABLE_TOOLS]`;
      }
      const content = i === lastUser && system !== '' ? `${system}\n\n${turn.content.trim()}` : turn.content.trim();
      out += `[INST] ${content}[/INST]`;
    } else if (turn.role === 'assistant') {
      if (turn.calls && turn.calls.length > 0) {
        pending = turn.calls.map(() => callId(++counter));
        out += renderCallsWithIds(turn.calls, pending) + EOS;
      } else {
        out += ` ${assistantText(turn, renderCalls)}${EOS}`;
      }
    } else {
      // A result with no call left to answer (the answer's calls could not be read) gets its own id.
      const id = pending.shift() ?? callId(++counter);
      out += `[TOOL_RESULTS] ${pythonCompactJson({ content: turn.content.trim(), call_id: id })}[/TOOL_RESULTS]`;
    }
  });
  return out;
}

export const mistralV3Format: BuiltInPromptFormat = {
  id: 'mistral-v3',
  label: 'Mistral v0.3 tool calls',
  description:
    'Mistral 7B Instruct v0.3: [AVAILABLE_TOOLS] before the last [INST], answers [TOOL_CALLS] [{"name", "arguments"}], results in [TOOL_RESULTS]. Raw prompt; constrained when the model is loaded for raw prompts.',
  source: 'https://huggingface.co/mistralai/Mistral-7B-Instruct-v0.3',
  api: 'completion',
  syntax: MISTRAL_V3_SYNTAX,
  build(ctx: PromptContext): BuiltPrompt {
    const prompt = buildMistralV3Prompt(ctx);
    const { responseFormat, constrained, constraintNote } = rawPromptConstraint(
      'Mistral v0.3',
      MISTRAL_V3_SYNTAX.constraint,
      ctx,
    );
    return {
      request: {
        api: 'completion',
        prompt,
        stop: [...MISTRAL_V3_SYNTAX.stop],
        ...(responseFormat ? { responseFormat } : {}),
      },
      constrained,
      constraintNote,
    };
  },
  renderCalls,
};
