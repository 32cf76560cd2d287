/**
 * Qwen3 (0.6B / 1.7B / 4B / 8B) tool calling, through web-llm's RAW COMPLETION API.
 *
 * Why raw: the prompt follows the Hugging Face Qwen3 chat template byte for byte, including what
 * web-llm's `qwen3` conv template cannot express: the tool block after the user's system prompt, tool
 * results as `<tool_response>` blocks in one user turn, and reasoning kept only in the answers after
 * the last real user query. Constrained through the pass-through template (buildRawPrompt.ts).
 *
 *   <|im_start|>system\n{system}\n\n# Tools\n\nYou may call one or more functions … <tools>\n{TOOL}\n</tools>
 *   \n\nFor each function call, return a json object … </tool_call><|im_end|>\n
 *   <|im_start|>user\n{query}<|im_end|>\n<|im_start|>assistant\n
 *
 * - tools are OpenAI-form objects in Python json.dumps layout, one per line; no system prompt → the
 *   block starts `# Tools`; no functions → a plain system turn (or none); no BOS;
 * - calls: `<tool_call>\n{"name": "f", "arguments": {…}}\n</tool_call>`, `\n` between calls and after
 *   prose; results: `<|im_start|>user\n<tool_response>\n{result}\n</tool_response>…<|im_end|>\n`;
 * - history: answers after the last real user query keep `<think>\n{reasoning}\n</think>\n\n` when
 *   they have reasoning; earlier ones are rendered without it;
 * - thinking (default on): the model writes `<think>` itself, and the grammar lets that block come
 *   first; off (`enable_thinking=false`) appends `<think>\n\n</think>\n\n`, reported as answerPrefix.
 *
 * Sources: HF Qwen3-0.6B chat template (copy: ye-NX/llama.cpp models/templates/Qwen-Qwen3-0.6B.jinja
 * @ b354d7c9ecb7); stop tokens `<|im_end|>` 151645 and `<|endoftext|>` 151643 from the Qwen
 * tokenizer config. Confidence: high (read in the template). Shared notes: /work/shared/TOOL-FORMATS.md §1.
 */
import { resolveToolChoice } from '../grammar/toolChoice.ts';
import type { ToolCall } from '../types/toolCall.ts';
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
  stripNewlinesEnd,
  stripNewlinesStart,
  THINK_CLOSE,
  THINK_OPEN,
  toolResult,
  type AssistantTurn,
} from './qwenChatml.ts';
import { openAiTool, pythonCompactJson } from './toolJson.ts';

const TOOL_CALL_OPEN = '<tool_call>';

export const QWEN3_SYNTAX = {
  calls: [{ open: TOOL_CALL_OPEN, close: ['</tool_call>'], bodies: ['json'] }],
  constraint: 'hermes',
  reasoning: { open: THINK_OPEN, close: THINK_CLOSE },
  thinking: { switchable: true, defaultOn: true },
  stop: [...QWEN_STOP],
  bos: '',
} satisfies FormatSyntax;

const TOOLS_INTRO =
  '# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>';
const TOOLS_OUTRO =
  '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>';

/** One call as the template renders `tool_calls` (the name is written raw, the arguments with tojson). */
function renderCall(call: ToolCall): string {
  return `<tool_call>\n{"name": "${call.name}", "arguments": ${pythonCompactJson(call.arguments)}}\n</tool_call>`;
}

function renderCalls(calls: ToolCall[]): string {
  return calls.map(renderCall).join('\n');
}

function assistantTurn(turn: AssistantTurn, afterLastQuery: boolean): string {
  const calls = turn.calls ?? [];
  const split = splitThink(turn.content);
  const content = calls.length > 0 ? beforeCalls(split.content, [TOOL_CALL_OPEN]) : split.content.trim();
  const head =
    afterLastQuery && split.reasoning !== ''
      ? `${IM_START}assistant\n<think>\n${stripNewlinesEnd(stripNewlinesStart(split.reasoning))}\n</think>\n\n${stripNewlinesStart(content)}`
      : `${IM_START}assistant\n${content}`;
  const body = calls.map((c, i) => (i > 0 || content !== '' ? '\n' : '') + renderCall(c)).join('');
  return `${head}${body}${IM_END}\n`;
}

function buildQwen3(ctx: PromptContext): BuiltPrompt {
  const { turns } = ctx;
  checkTurns(turns);
  const { functions } = resolveToolChoice(ctx.functions, ctx.toolChoice);
  const system = ctx.system?.trim() ?? '';
  let out = '';
  if (functions.length > 0) {
    const tools = functions.map((f) => `\n${pythonCompactJson(openAiTool(f))}`).join('');
    out += `${IM_START}system\n${system !== '' ? `${system}\n\n` : ''}${TOOLS_INTRO}${tools}${TOOLS_OUTRO}${IM_END}\n`;
  } else if (system !== '') {
    out += `${IM_START}system\n${system}${IM_END}\n`;
  }
  const lastQuery = lastQueryIndex(turns, false);
  turns.forEach((turn, i) => {
    if (turn.role === 'user') out += `${IM_START}user\n${turn.content}${IM_END}\n`;
    else if (turn.role === 'assistant') out += assistantTurn(turn, i > lastQuery);
    else out += toolResult(turns, i, turn.content);
  });
  out += `${IM_START}assistant\n`;
  const thinking = thinkingEnabled(ctx, QWEN3_SYNTAX);
  if (!thinking)
    return buildRawPrompt(ctx, QWEN3_SYNTAX, 'Qwen3', { text: out + EMPTY_THINK, answerPrefix: EMPTY_THINK });
  return buildRawPrompt(ctx, QWEN3_SYNTAX, 'Qwen3', {
    text: out,
    reasoningFirst: { open: THINK_OPEN, close: THINK_CLOSE },
  });
}

export const qwen3Format: BuiltInPromptFormat = {
  id: 'qwen3',
  label: 'Qwen3 (<tool_call> JSON, thinking)',
  description:
    'Qwen3: the HF chat template byte for byte — tools as JSON lines in <tools> after the system prompt, calls as {"name", "arguments"} in <tool_call>, results in <tool_response> inside a user turn, <think> reasoning switchable. Raw prompt, constrained with a structural tag.',
  source: 'https://huggingface.co/Qwen/Qwen3-0.6B/blob/main/tokenizer_config.json',
  api: 'completion',
  syntax: QWEN3_SYNTAX,
  build: buildQwen3,
  renderCalls,
};
