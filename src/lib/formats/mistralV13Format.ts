/**
 * Ministral 3 (Ministral-3-3B-Instruct-2512 and Ministral-3-3B-Reasoning-2512), Mistral tokenizer v13,
 * through a RAW prompt (buildRawPrompt.ts): we write the template text ourselves, byte for byte.
 *
 *   <s>[SYSTEM_PROMPT]system[/SYSTEM_PROMPT][AVAILABLE_TOOLS][{"type": "function", …}][/AVAILABLE_TOOLS]
 *   [INST]u1[/INST][TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}</s>[TOOL_RESULTS]{"temp": 21}[/TOOL_RESULTS]
 *   It is 21 °C.</s>[INST]u2[/INST]
 *
 * (no line breaks in the real text). Sources: mistralai/mistral-common `instruct.py`
 * (InstructTokenizerV13: tools at the FIRST user message, `[TOOL_CALLS]name[ARGS]json` per call
 * with no call id, results `[TOOL_RESULTS]content[/TOOL_RESULTS]`; V7 system prompt tokens; the
 * assistant message is its content, then its calls, then `</s>`) and `tests/test_tokenizer_v13.py` —
 * H for the v13 layout. That Ministral 3 uses v13: ollama's ministral parser and llama.cpp's
 * Ministral-3 parser write `[TOOL_CALLS]name[ARGS]{…}` without `[CALL_ID]` — M; the model's own HF
 * template was not readable, so the bytes are UNCONFIRMED. JSON is Python's json.dumps layout
 * (mistral-common `json.dumps(…, ensure_ascii=False)`), tools in OpenAI form as a list.
 *
 * Decisions:
 * - System prompt: the user's, or NONE. Ministral 3's template (copied by mlc's `ministral3` conv
 *   template) carries a long default prompt with `{today}`/`{yesterday}` placeholders and a persona;
 *   it costs hundreds of tokens of a small in-browser context on every turn and says nothing about
 *   our functions, and the template itself replaces it with any system message given. Sending none
 *   when the user gives none keeps the prompt short and predictable.
 * - Reasoning: one format serves both models, and the prompt is the same for both. The Reasoning
 *   model's default system prompt asks it to think in `[THINK]…[/THINK]`; we add nothing for it (the
 *   format cannot tell the two models apart — the catalog records which one reasons — and asking the
 *   Instruct model to think would be wrong). A user who wants the instruction puts it in the system
 *   prompt. Whatever the model does, `[THINK]` blocks are declared reasoning: cut out before calls
 *   are read, shown apart, and allowed first by the grammar. Hence `thinking` is not switchable.
 * - History: earlier answers WITHOUT their `[THINK]` block. mistral-common only encodes reasoning
 *   that the message carries as a thinking chunk; our history keeps the raw answer text, and
 *   dropping the thought (as Qwen3's template does) keeps later prompts short. An answer's calls are
 *   re-rendered from the parsed calls (the exact bytes the model would have written, minus the
 *   `</s>` stop), after any prose it wrote before them.
 * Constrained with the `mistral-v13` grammar when the engine can (buildRawPrompt.ts).
 */
import { PromptBuildError } from '../errors.ts';
import { resolveToolChoice } from '../grammar/toolChoice.ts';
import { withoutReasoning } from '../text/splitReasoning.ts';
import type { ToolCall } from '../types/toolCall.ts';
import type { Turn } from '../types/turn.ts';
import { buildRawPrompt } from './buildRawPrompt.ts';
import type { FormatSyntax } from './formatSyntax.ts';
import type { BuiltInPromptFormat, BuiltPrompt, PromptContext } from './promptFormat.ts';
import { openAiTool, pythonCompactJson } from './toolJson.ts';

const EOS = '</s>';
const TOOL_CALLS = '[TOOL_CALLS]';

/**
 * `[TOOL_CALLS]` opens each call and repeats before the next one (so it is also a closer);
 * `[TOOL_CALLS] [{…}]` lists (Mistral v0.3) share the context and are read by the JSON body.
 */
export const MISTRAL_V13_SYNTAX = {
  calls: [{ open: TOOL_CALLS, close: [EOS, TOOL_CALLS], bodies: ['mistral-args', 'json'] }],
  constraint: 'mistral-v13',
  reasoning: { open: '[THINK]', close: '[/THINK]' },
  // The Reasoning model always reasons and the Instruct model never does: nothing to switch.
  thinking: { switchable: false, defaultOn: false },
  stop: [EOS],
  bos: '<s>',
} satisfies FormatSyntax;

function renderCalls(calls: ToolCall[]): string {
  return calls.map((c) => `${TOOL_CALLS}${c.name}[ARGS]${pythonCompactJson(c.arguments)}`).join('');
}

/** An earlier answer as the template writes it: its prose, then its calls; never its reasoning. */
function historyAnswer(turn: Extract<Turn, { role: 'assistant' }>): string {
  const answer = withoutReasoning(turn.content, [MISTRAL_V13_SYNTAX.reasoning]);
  if (!turn.calls || turn.calls.length === 0) return answer;
  const cut = answer.indexOf(TOOL_CALLS);
  return (cut === -1 ? answer : answer.slice(0, cut)).trim() + renderCalls(turn.calls);
}

/** @throws {PromptBuildError} when the conversation is empty or ends with an answer. */
export function buildMistralV13Text(ctx: PromptContext): string {
  const { turns } = ctx;
  const last = turns[turns.length - 1];
  if (!last) throw new PromptBuildError('the conversation has no turns');
  if (last.role === 'assistant')
    throw new PromptBuildError('the last turn must be a user message or a function result');
  const { functions } = resolveToolChoice(ctx.functions, ctx.toolChoice);
  const firstUser = turns.findIndex((t) => t.role === 'user');
  const system = ctx.system?.trim() ?? '';
  let out = system === '' ? '' : `[SYSTEM_PROMPT]${system}[/SYSTEM_PROMPT]`;
  turns.forEach((turn, i) => {
    if (turn.role === 'user') {
      if (i === firstUser && functions.length > 0)
        out += `[AVAILABLE_TOOLS]${pythonCompactJson(functions.map(openAiTool))}[/AVAILABLE_TOOLS]`;
      out += `[INST]${turn.content.trim()}[/INST]`;
    } else if (turn.role === 'assistant') {
      out += historyAnswer(turn) + EOS;
    } else {
      out += `[TOOL_RESULTS]${turn.content.trim()}[/TOOL_RESULTS]`;
    }
  });
  return out;
}

export const mistralV13Format: BuiltInPromptFormat = {
  id: 'mistral-v13',
  label: 'Ministral 3 (Mistral v13 tool calls)',
  description:
    'Ministral 3 Instruct and Reasoning (Mistral tokenizer v13): [AVAILABLE_TOOLS] before the first [INST], calls [TOOL_CALLS]name[ARGS]{…} per call, results in [TOOL_RESULTS], reasoning in [THINK]. Raw prompt, constrained where the engine can.',
  source: 'https://github.com/mistralai/mistral-common/blob/main/src/mistral_common/tokens/tokenizers/instruct.py',
  api: 'completion',
  syntax: MISTRAL_V13_SYNTAX,
  build(ctx: PromptContext): BuiltPrompt {
    return buildRawPrompt(ctx, MISTRAL_V13_SYNTAX, 'Ministral 3', { text: buildMistralV13Text(ctx) });
  },
  renderCalls,
};
