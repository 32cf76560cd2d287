/**
 * Hermes 2 Pro / Hermes 3 / Qwen2.5 tool calling (ChatML), through web-llm's CHAT API.
 *
 * Why chat: the model's own ChatML template (from web-llm) renders the messages exactly, and only the
 * chat API can apply a grammar, so tool_choice is enforced with a structural tag on `<tool_call>`.
 *
 * System message: the user's system prompt, a blank line, then the function-calling prompt from the
 * Hermes 2 Pro model card (the text web-llm itself uses for Hermes, src/support.ts), with the
 * OpenAI-shaped tools between `<tools>` and `</tools>` — Qwen2.5's template likewise puts the user's
 * system prompt first and the tool instructions after it. web-llm's own `tools` support would throw
 * CustomSystemPromptError here; building the prompt ourselves keeps the user's system prompt.
 * One deviation: the example call puts "name" before "arguments" (as Qwen2.5's template and our
 * grammar do; the Hermes card writes "arguments" first — both models accept either order).
 *
 * Function results: ONE user message per run of results, each `<tool_response>\n{"name": …,
 * "content": …}\n</tool_response>` — Hermes' tool-message body (card) inside the user role, which is
 * exactly how Qwen2.5's template renders tool results. See chatMessages.ts for why not a tool role.
 */
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { ToolCall } from '../types/toolCall.ts';
import { buildChatPrompt } from './buildChatPrompt.ts';
import type { ToolTurn } from './chatMessages.ts';
import type { BuiltInPromptFormat, BuiltPrompt, PromptContext } from './promptFormat.ts';
import { openAiTool, pythonCompactJson, resultJson } from './toolJson.ts';
import type { FormatSyntax } from './formatSyntax.ts';

/**
 * `<tool_call>` holds one JSON call (Qwen2.5 and Hermes both write `{"name", "arguments"}`). Models
 * that write this call syntax and reason (DeepHermes 3, Qwen3 with this format chosen by hand) put
 * their reasoning in `<think>…</think>`; Qwen2.5 and Hermes 2/3 never open one, so it costs nothing.
 */
export const HERMES_SYNTAX = {
  calls: [{ open: '<tool_call>', close: ['</tool_call>'], bodies: ['json'] }],
  reasoning: { open: '<think>', close: '</think>' },
  constraint: 'hermes',
  stop: [],
  bos: '',
} satisfies FormatSyntax;

/** The card's pydantic schema for one call, verbatim. */
const FUNCTION_CALL_SCHEMA =
  '{"properties": {"arguments": {"title": "Arguments", "type": "object"}, "name": {"title": "Name", "type": "string"}}, "required": ["arguments", "name"], "title": "FunctionCall", "type": "object"}';

export function hermesToolInstructions(functions: FunctionSpec[]): string {
  // Python's json.dumps layout, as in the card's example and Qwen2.5's `tojson`.
  const tools = functions.map((f) => pythonCompactJson(openAiTool(f))).join(' ');
  return (
    'You are a function calling AI model. You are provided with function signatures within <tools></tools> XML tags. ' +
    "You may call one or more functions to assist with the user query. Don't make assumptions about what values to plug into functions. " +
    `Here are the available tools: <tools> ${tools} </tools> ` +
    `Use the following pydantic model json schema for each tool call you will make: ${FUNCTION_CALL_SCHEMA} ` +
    'For each function call return a json object with function name and arguments within <tool_call></tool_call> XML tags as follows:\n' +
    '<tool_call>\n{"name": <function-name>, "arguments": <args-dict>}\n</tool_call>'
  );
}

export function hermesToolResults(results: ToolTurn[]): string {
  return results
    .map(
      (r) =>
        `<tool_response>\n{"name": ${JSON.stringify(r.name)}, "content": ${resultJson(r.content)}}\n</tool_response>`,
    )
    .join('\n');
}

function renderCalls(calls: ToolCall[]): string {
  return calls
    .map(
      (c) =>
        `<tool_call>\n{"name": ${JSON.stringify(c.name)}, "arguments": ${pythonCompactJson(c.arguments)}}\n</tool_call>`,
    )
    .join('\n');
}

export const hermesFormat: BuiltInPromptFormat = {
  id: 'hermes',
  label: 'Hermes / Qwen2.5 (<tool_call>)',
  description:
    'ChatML models trained on Hermes-style tools (Hermes 2 Pro, Hermes 3, Qwen2.5): tools in <tools> in the system prompt, calls in <tool_call> tags, results in <tool_response>. Chat API, constrained with a structural tag.',
  source: 'https://huggingface.co/NousResearch/Hermes-2-Pro-Llama-3-8B#prompt-format-for-function-calling',
  api: 'chat',
  syntax: HERMES_SYNTAX,
  build(ctx: PromptContext): BuiltPrompt {
    return buildChatPrompt(ctx, {
      syntax: HERMES_SYNTAX,
      instructions: hermesToolInstructions,
      toolResults: hermesToolResults,
      renderCalls,
    });
  },
  renderCalls,
};
