/**
 * Llama 3.1+ JSON tool calling (Meta's "JSON based tool calling"), through web-llm's CHAT API.
 *
 * Why chat: web-llm's Llama 3 template renders the headers and `<|eot_id|>` exactly, and the chat API
 * lets the grammar enforce tool_choice (a JSON schema of one call; in auto, that or prose).
 *
 * System message: `Environment: ipython` (Meta's and the Hugging Face template's first line when
 * tools are given), the user's system prompt, then Meta's custom-tool instruction with each
 * OpenAI-shaped function as JSON indented by 4. The HF template puts that instruction in the first
 * user message; Meta's docs allow the system message, and keeping it there leaves the user's words
 * untouched and the function list next to the system prompt. The date lines are left out (they
 * would make every prompt depend on the clock).
 *
 * Answers: `{"name": "f", "parameters": {…}}`, optionally after `<|python_tag|>` (one call per answer).
 * Function results: Meta feeds them back in the `ipython` role, which the chat API cannot express
 * (see chatMessages.ts), so they come back as a user message `Result of <name>:\n<json>`.
 */
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { ToolCall } from '../types/toolCall.ts';
import { buildChatPrompt, labelledResults } from './buildChatPrompt.ts';
import type { BuiltInPromptFormat, BuiltPrompt, PromptContext } from './promptFormat.ts';
import { openAiTool } from './toolJson.ts';
import type { FormatSyntax } from './formatSyntax.ts';

/**
 * The JSON call is bare or follows `<|python_tag|>` (ended by `<|eom_id|>`/`<|eot_id|>`); Meta's
 * custom-tool syntax `<function=name>{…}</function>` is read too.
 */
const LLAMA3_JSON_SYNTAX = {
  calls: [
    { open: '<|python_tag|>', close: ['<|eom_id|>', '<|eot_id|>'], bodies: ['json'] },
    { open: '<function=', close: ['</function>'], bodies: ['function-tag'] },
  ],
  constraint: 'llama3-json',
  stop: [],
  bos: '',
} satisfies FormatSyntax;

export function llama3JsonInstructions(functions: FunctionSpec[]): string {
  const list = functions.map((f) => JSON.stringify(openAiTool(f), null, 4)).join('\n\n');
  return (
    'Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\n' +
    'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}. Do not use variables.\n\n' +
    list
  );
}

function renderCalls(calls: ToolCall[]): string {
  return calls.map((c) => JSON.stringify({ name: c.name, parameters: c.arguments })).join('\n');
}

export const llama3JsonFormat: BuiltInPromptFormat = {
  id: 'llama3-json',
  label: 'Llama 3.1 JSON tool calls',
  description:
    'Llama 3.1+ custom tools: functions as JSON in the system prompt, answers {"name", "parameters"}, results fed back as a user message. Chat API, constrained with a JSON schema.',
  source: 'https://www.llama.com/docs/model-cards-and-prompt-formats/llama3_1/#json-based-tool-calling',
  api: 'chat',
  syntax: LLAMA3_JSON_SYNTAX,
  build(ctx: PromptContext): BuiltPrompt {
    return buildChatPrompt(ctx, {
      syntax: LLAMA3_JSON_SYNTAX,
      preamble: 'Environment: ipython',
      instructions: llama3JsonInstructions,
      toolResults: labelledResults,
      renderCalls,
    });
  },
  renderCalls,
};
