/**
 * Qwen3.5 (0.8B / 2B / 4B / 9B) tool calling — Qwen3-Coder XML calls, not Hermes JSON — through
 * web-llm's RAW COMPLETION API (the HF template byte for byte; constrained through the pass-through
 * template, buildRawPrompt.ts).
 *
 *   <|im_start|>system\n# Tools\n\nYou have access to the following functions:\n\n<tools>\n{TOOL}\n</tools>
 *   \n\nIf you choose to call a function ONLY reply … </IMPORTANT>\n\n{system}<|im_end|>\n
 *   <|im_start|>user\n{query}<|im_end|>\n<|im_start|>assistant\n<think>\n
 *
 * - the user's system prompt goes AFTER the tool block (opposite of Qwen3), trimmed; no BOS;
 * - calls: `<tool_call>\n<function=f>\n<parameter=k>\nvalue\n</parameter>\n</function>\n</tool_call>`,
 *   values raw (strings bare, lists and objects as JSON, other scalars as Python's str: `True`,
 *   `None`); `\n\n` between prose and the first call, `\n` between calls. The model may drop the
 *   `<tool_call>` wrapper, so a bare `<function=` is read too;
 * - results as in Qwen3 (one user turn of `<tool_response>` blocks), content trimmed;
 * - history: every answer after the last real user query gets a think block (empty when it had no
 *   reasoning); earlier answers only when they carry reasoning. A conversation without a real user
 *   query is an error in the template, and here;
 * - the prompt always opens the think block: it ends `<think>\n` (thinking) or
 *   `<think>\n\n</think>\n\n` (not), reported as answerPrefix; with thinking on the grammar starts
 *   inside the block (any text, then `</think>`).
 *
 * Thinking default: OFF. The sizes disagree: the 0.8B card says non-thinking by default, 2B is
 * non-thinking per third-party pages, the 4B template thinks by default, and 9B is UNCONFIRMED (one
 * LM Studio report says off). A format has one default; off matches most sizes and the reported 9B,
 * and spends no token budget on reasoning in the browser. The app passes each model's own default
 * (PromptContext.thinking), so the 4B still thinks unless the user turns it off.
 *
 * Sources: HF Qwen3.5-4B chat template (copy: Indras-Mirror/llama.cpp-turboq-mtp
 * models/templates/Qwen3.5-4B.jinja @ 5f739afeb8f9) and ollama model/renderers/qwen35.go @ fb3076099687
 * (same strings); stop ids per mlc-llm's qwen3_5 conv template. Confidence: high for the format,
 * medium for the thinking defaults per size. Shared notes: /work/shared/TOOL-FORMATS.md §2.
 */
import { PromptBuildError } from '../errors.ts';
import { resolveToolChoice } from '../grammar/toolChoice.ts';
import type { ToolCall } from '../types/toolCall.ts';
import { FUNCTION_TAG_OPEN } from '../parse/bodies/functionTagBody.ts';
import { buildRawPrompt, thinkingEnabled } from './buildRawPrompt.ts';
import type { FormatSyntax } from './formatSyntax.ts';
import type { BuiltInPromptFormat, BuiltPrompt, PromptContext } from './promptFormat.ts';
import {
  beforeCalls,
  checkTurns,
  EMPTY_THINK,
  IM_END,
  IM_START,
  lastQueryIndex,
  QWEN_STOP,
  splitThink,
  THINK_CLOSE,
  THINK_OPEN,
  toolResult,
  type AssistantTurn,
} from './qwenChatml.ts';
import { openAiTool, pythonCompactJson } from './toolJson.ts';

const TOOL_CALL_OPEN = '<tool_call>';

export const QWEN35_SYNTAX = {
  calls: [
    { open: TOOL_CALL_OPEN, close: ['</tool_call>'], bodies: ['function-tag', 'json'] },
    { open: FUNCTION_TAG_OPEN, close: ['</function>'], bodies: ['function-tag'] },
  ],
  constraint: 'qwen-xml',
  reasoning: { open: THINK_OPEN, close: THINK_CLOSE },
  thinking: { switchable: true, defaultOn: false },
  stop: [...QWEN_STOP],
  bos: '',
} satisfies FormatSyntax;

const TOOLS_INTRO = '# Tools\n\nYou have access to the following functions:\n\n<tools>';
const TOOLS_OUTRO =
  '\n</tools>\n\nIf you choose to call a function ONLY reply in the following format with NO suffix:\n\n<tool_call>\n<function=example_function_name>\n<parameter=example_parameter_1>\nvalue_1\n</parameter>\n<parameter=example_parameter_2>\nThis is the value for the second parameter\nthat can span\nmultiple lines\n</parameter>\n</function>\n</tool_call>\n\n<IMPORTANT>\nReminder:\n- Function calls MUST follow the specified format: an inner <function=...></function> block must be nested within <tool_call></tool_call> XML tags\n- Required parameters MUST be specified\n- You may provide optional reasoning for your function call in natural language BEFORE the function call, but NOT after\n- If there is no function call available, answer the question like normal with your current knowledge and do not tell the user about function calls\n</IMPORTANT>';

/** A parameter value as the template writes it: `tojson` for mappings and lists, Python's `str` otherwise. */
function parameterValue(value: unknown): string {
  if (value !== null && typeof value === 'object') return pythonCompactJson(value);
  if (typeof value === 'string') return value;
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- only numbers are left of a JSON value
  return String(value);
}

function renderCallBody(call: ToolCall): string {
  const params = Object.entries(call.arguments).map(
    ([k, v]) => `<parameter=${k}>\n${parameterValue(v)}\n</parameter>\n`,
  );
  return `<tool_call>\n<function=${call.name}>\n${params.join('')}</function>\n</tool_call>`;
}

function renderCalls(calls: ToolCall[]): string {
  return calls.map(renderCallBody).join('\n');
}

function assistantTurn(turn: AssistantTurn, afterLastQuery: boolean): string {
  const calls = turn.calls ?? [];
  const split = splitThink(turn.content.trim());
  const reasoning = split.reasoning.trim();
  const content = calls.length > 0 ? beforeCalls(split.content, [TOOL_CALL_OPEN, FUNCTION_TAG_OPEN]) : split.content;
  const head =
    afterLastQuery || reasoning !== ''
      ? `${IM_START}assistant\n<think>\n${reasoning}\n</think>\n\n${content}`
      : `${IM_START}assistant\n${content}`;
  const body = calls.map((c, i) => (i > 0 ? '\n' : content.trim() !== '' ? '\n\n' : '') + renderCallBody(c)).join('');
  return `${head}${body}${IM_END}\n`;
}

function buildQwen35(ctx: PromptContext): BuiltPrompt {
  const { turns } = ctx;
  checkTurns(turns);
  const { functions } = resolveToolChoice(ctx.functions, ctx.toolChoice);
  const system = ctx.system?.trim() ?? '';
  const lastQuery = lastQueryIndex(turns, true);
  if (lastQuery === -1)
    throw new PromptBuildError('the conversation has no user query (the Qwen3.5 template requires one)');
  let out = '';
  if (functions.length > 0) {
    const tools = functions.map((f) => `\n${pythonCompactJson(openAiTool(f))}`).join('');
    out += `${IM_START}system\n${TOOLS_INTRO}${tools}${TOOLS_OUTRO}${system !== '' ? `\n\n${system}` : ''}${IM_END}\n`;
  } else if (system !== '') {
    out += `${IM_START}system\n${system}${IM_END}\n`;
  }
  turns.forEach((turn, i) => {
    if (turn.role === 'user') out += `${IM_START}user\n${turn.content.trim()}${IM_END}\n`;
    else if (turn.role === 'assistant') out += assistantTurn(turn, i > lastQuery);
    else out += toolResult(turns, i, turn.content.trim());
  });
  out += `${IM_START}assistant\n`;
  if (!thinkingEnabled(ctx, QWEN35_SYNTAX))
    return buildRawPrompt(ctx, QWEN35_SYNTAX, 'Qwen3.5', { text: out + EMPTY_THINK, answerPrefix: EMPTY_THINK });
  const open = `${THINK_OPEN}\n`;
  return buildRawPrompt(ctx, QWEN35_SYNTAX, 'Qwen3.5', {
    text: out + open,
    answerPrefix: open,
    reasoningFirst: { close: THINK_CLOSE },
  });
}

export const qwen35Format: BuiltInPromptFormat = {
  id: 'qwen3.5',
  label: 'Qwen3.5 (<tool_call> XML, thinking)',
  description:
    'Qwen3.5: the HF chat template byte for byte — tools as JSON lines in <tools> before the system prompt, calls as <function=name> with <parameter=…> blocks in <tool_call>, results in <tool_response> inside a user turn, the prompt opens <think>. Raw prompt, constrained with a structural tag.',
  source: 'https://huggingface.co/Qwen/Qwen3.5-4B',
  api: 'completion',
  syntax: QWEN35_SYNTAX,
  build: buildQwen35,
  renderCalls,
};
