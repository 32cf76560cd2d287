/**
 * Llama 3.2 (and 3.3) zero-shot "pythonic" function calling, through web-llm's CHAT API.
 *
 * Why chat: web-llm's Llama 3 template renders the messages exactly, and the chat API lets an EBNF
 * grammar (grammar/pythonicGrammar.ts) enforce tool_choice on the call list.
 *
 * System message: the user's system prompt, then Meta's system prompt for zero-shot function calling
 * from the Llama 3.2 prompt-format docs, with the functions as a JSON list (indent 4) of
 * `{"name", "description", "parameters"}`. Answers: `[func_name1(a=1, b="x"), func_name2()]`.
 * Function results: Meta uses the `ipython` role, which the chat API cannot express
 * (see chatMessages.ts), so they come back as a user message `Result of <name>:\n<json>`.
 */
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { ToolCall } from '../types/toolCall.ts';
import { buildChatPrompt, labelledResults } from './buildChatPrompt.ts';
import type { BuiltInPromptFormat, BuiltPrompt, PromptContext } from './promptFormat.ts';
import { plainFunction } from './toolJson.ts';
import { pythonLiteral } from './pythonLiteral.ts';
import type { FormatSyntax } from './formatSyntax.ts';

/** No tags: a `[f(a=1)]` list of registered names is read anywhere. */
const LLAMA32_PYTHONIC_SYNTAX = { calls: [], constraint: 'pythonic', stop: [], bos: '' } satisfies FormatSyntax;

export function llama32Instructions(functions: FunctionSpec[]): string {
  return (
    'You are an expert in composing functions. You are given a question and a set of possible functions.\n' +
    'Based on the question, you will need to make one or more function/tool calls to achieve the purpose.\n' +
    'If none of the function can be used, point it out. If the given question lacks the parameters required by the function,\n' +
    'also point it out. You should only return the function call in tools call sections.\n\n' +
    'If you decide to invoke any of the function(s), you MUST put it in the format of [func_name1(params_name1=params_value1, params_name2=params_value2...), func_name2(params)]\n' +
    'You SHOULD NOT include any other text in the response.\n\n' +
    'Here is a list of functions in JSON format that you can invoke.\n\n' +
    JSON.stringify(functions.map(plainFunction), null, 4)
  );
}

function renderCalls(calls: ToolCall[]): string {
  const one = (c: ToolCall) =>
    `${c.name}(${Object.entries(c.arguments)
      .map(([k, v]) => `${k}=${pythonLiteral(v)}`)
      .join(', ')})`;
  return `[${calls.map(one).join(', ')}]`;
}

export const llama32PythonicFormat: BuiltInPromptFormat = {
  id: 'llama3.2-pythonic',
  label: 'Llama 3.2 pythonic calls',
  description:
    'Llama 3.2 / 3.3 zero-shot function calling: functions as JSON in the system prompt, answers [f(a=1, b="x")]. Chat API, constrained with an EBNF grammar.',
  source: 'https://www.llama.com/docs/model-cards-and-prompt-formats/llama3_2/',
  api: 'chat',
  syntax: LLAMA32_PYTHONIC_SYNTAX,
  build(ctx: PromptContext): BuiltPrompt {
    return buildChatPrompt(ctx, {
      syntax: LLAMA32_PYTHONIC_SYNTAX,
      instructions: llama32Instructions,
      toolResults: labelledResults,
      renderCalls,
    });
  },
  renderCalls,
};
