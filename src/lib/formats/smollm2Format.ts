/**
 * SmolLM2-1.7B-Instruct tool calling through a RAW ChatML prompt (buildRawPrompt.ts):
 *
 *   <|im_start|>system\n{user system}\n\nYou are an expert in composing functions. … <tools>[…]</tools> …<|im_end|>\n
 *   <|im_start|>user\nu1<|im_end|>\n<|im_start|>assistant\n<tool_call>[{"name": "f", "arguments": {…}}]</tool_call><|im_end|>\n
 *   <|im_start|>user\n<tool_response>\n{"temp": 21}\n</tool_response><|im_end|>\n<|im_start|>assistant\n
 *
 * The chat template knows no tools; the format comes from the model repo's
 * `instructions_function_calling.md` (not reachable), as reproduced by ollama's library template and
 * the smolagents example — M/L. Calls are ONE JSON list in `<tool_call>…</tool_call>`; `[]` means "no
 * call is needed" and gives neither a call nor an error.
 *
 * Decisions (all UNCONFIRMED byte for byte):
 * - The instruction text is the variant of TOOL-FORMATS §6 (a): blank line before "You have access",
 *   blank line after `</tools>`, the `... (more tool calls as required)` line kept. The two copies
 *   differ only in blank lines; this one matches the Python source's paragraphs. Tools are the
 *   json.dumps list of OpenAI-form tools (`get_json_schema` output, `json.dumps(tools)`).
 * - The user's system prompt goes FIRST in the same system turn, a blank line before the
 *   instructions (as Hermes and Qwen2.5 keep both in one message): ChatML models see one system
 *   turn, and SmolLM2 was never shown two.
 * - With no functions: the user's system prompt, or the chat template's own default ("You are a
 *   helpful AI assistant named SmolLM, trained by Hugging Face"), which it writes when the
 *   conversation has no system message.
 * - Tool results: not defined by the model. Each result is a user turn `<tool_response>\n…\n
 *   </tool_response>`, as ollama renders SmolLM2's tool messages — L. Hermes-style tags, which a
 *   ChatML model most plausibly knows; a user turn because the template has no tool role.
 * - History: an earlier answer's calls re-rendered as the list the model writes.
 * Stop `<|im_end|>`; no BOS. Constrained with the `smollm2` grammar when the engine can.
 */
import { PromptBuildError } from '../errors.ts';
import { resolveToolChoice } from '../grammar/toolChoice.ts';
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { ToolCall } from '../types/toolCall.ts';
import { buildRawPrompt } from './buildRawPrompt.ts';
import type { FormatSyntax } from './formatSyntax.ts';
import type { BuiltInPromptFormat, BuiltPrompt, PromptContext } from './promptFormat.ts';
import { openAiTool, pythonCompactJson } from './toolJson.ts';

const IM_END = '<|im_end|>';
const CALL_OPEN = '<tool_call>';
const CALL_CLOSE = '</tool_call>';
const TEMPLATE_DEFAULT_SYSTEM = 'You are a helpful AI assistant named SmolLM, trained by Hugging Face';

export const SMOLLM2_SYNTAX = {
  calls: [{ open: CALL_OPEN, close: [CALL_CLOSE], bodies: ['json'] }],
  constraint: 'smollm2',
  stop: [IM_END],
  bos: '',
} satisfies FormatSyntax;

export function smolToolInstructions(functions: FunctionSpec[]): string {
  return (
    'You are an expert in composing functions. You are given a question and a set of possible functions.\n' +
    'Based on the question, you will need to make one or more function/tool calls to achieve the purpose.\n' +
    'If none of the functions can be used, point it out and refuse to answer.\n' +
    'If the given question lacks the parameters required by the function, also point it out.\n\n' +
    `You have access to the following tools:\n<tools>${pythonCompactJson(functions.map(openAiTool))}</tools>\n\n` +
    'The output MUST strictly adhere to the following format, and NO other text MUST be included.\n' +
    "The example format is as follows. Please make sure the parameter type is correct. If no function call is needed, please make the tool calls an empty list '[]'.\n" +
    '<tool_call>[\n{"name": "func_name1", "arguments": {"argument1": "value1", "argument2": "value2"}},\n... (more tool calls as required)\n]</tool_call>'
  );
}

function renderCalls(calls: ToolCall[]): string {
  return `${CALL_OPEN}${pythonCompactJson(calls.map((c) => ({ name: c.name, arguments: c.arguments })))}${CALL_CLOSE}`;
}

const turn = (role: string, content: string) => `<|im_start|>${role}\n${content}${IM_END}\n`;

/** @throws {PromptBuildError} when the conversation is empty or ends with an answer. */
export function buildSmolLM2Text(ctx: PromptContext): string {
  const { turns } = ctx;
  const last = turns[turns.length - 1];
  if (!last) throw new PromptBuildError('the conversation has no turns');
  if (last.role === 'assistant')
    throw new PromptBuildError('the last turn must be a user message or a function result');
  const { functions } = resolveToolChoice(ctx.functions, ctx.toolChoice);
  const userSystem = ctx.system?.trim() ?? '';
  const parts = [userSystem, functions.length > 0 ? smolToolInstructions(functions) : ''].filter((p) => p !== '');
  let out = turn('system', parts.length > 0 ? parts.join('\n\n') : TEMPLATE_DEFAULT_SYSTEM);
  for (const t of turns) {
    if (t.role === 'user') {
      out += turn('user', t.content.trim());
    } else if (t.role === 'assistant') {
      const text = t.content.trim();
      const cut = text.indexOf(CALL_OPEN);
      const prose = (cut === -1 ? text : text.slice(0, cut)).trim();
      out += turn('assistant', t.calls && t.calls.length > 0 ? prose + renderCalls(t.calls) : text);
    } else {
      out += turn('user', `<tool_response>\n${t.content.trim()}\n</tool_response>`);
    }
  }
  return `${out}<|im_start|>assistant\n`;
}

export const smollm2Format: BuiltInPromptFormat = {
  id: 'smollm2',
  label: 'SmolLM2 (<tool_call> list)',
  description:
    'SmolLM2-Instruct: tools in <tools> in the system turn, calls as one JSON list in <tool_call> ([] for none), results in <tool_response> user turns. Raw ChatML prompt, constrained where the engine can.',
  source: 'https://huggingface.co/HuggingFaceTB/SmolLM2-1.7B-Instruct/blob/main/instructions_function_calling.md',
  api: 'completion',
  syntax: SMOLLM2_SYNTAX,
  build(ctx: PromptContext): BuiltPrompt {
    return buildRawPrompt(ctx, SMOLLM2_SYNTAX, 'SmolLM2', { text: buildSmolLM2Text(ctx) });
  },
  renderCalls,
};
