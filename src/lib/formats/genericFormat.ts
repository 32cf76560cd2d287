/**
 * A generic instruct format for chat models without a documented tool format, through web-llm's
 * CHAT API (the model's own template; grammar constraints possible).
 *
 * System message: the user's system prompt, then plain instructions: the functions as a JSON list
 * (indent 2) of `{"name", "description", "parameters"}`, and the answer shape — one
 * `{"name": …, "arguments": {…}}` object per call in a ```json block, or plain prose. The grammar
 * (tool_choice) is a structural tag on the ```json fence. Function results come back as a user
 * message `Result of <name>:\n<json>`, which the instructions announce.
 */
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { ToolCall } from '../types/toolCall.ts';
import { buildChatPrompt, labelledResults } from './buildChatPrompt.ts';
import type { BuiltInPromptFormat, BuiltPrompt, PromptContext } from './promptFormat.ts';
import { plainFunction } from './toolJson.ts';
import type { FormatSyntax } from './formatSyntax.ts';

/** No tags: fenced and bare JSON calls are read anywhere in an answer. */
const GENERIC_SYNTAX = { calls: [], constraint: 'json-fenced', stop: [], bos: '' } satisfies FormatSyntax;

const FENCE = '```';

export function genericInstructions(functions: FunctionSpec[]): string {
  return (
    'You can call the following functions. Their arguments are described with JSON Schema.\n\n' +
    `${JSON.stringify(functions.map(plainFunction), null, 2)}\n\n` +
    'To call a function, reply with a JSON object in a json code block, exactly like this:\n' +
    `${FENCE}json\n{"name": "<function name>", "arguments": {"<argument name>": <value>}}\n${FENCE}\n` +
    'Use one code block per call and only the functions listed above. ' +
    'If a required argument is missing, ask the user for it instead of guessing. ' +
    'If no function is needed, answer in plain text. ' +
    'Function results come back in a message that starts with "Result of <function name>:".'
  );
}

function renderCalls(calls: ToolCall[]): string {
  // Spaced like the grammar's fixed text (grammar/buildToolConstraint.ts), so earlier calls look
  // exactly like constrained ones.
  return calls
    .map(
      (c) => `${FENCE}json\n{"name": ${JSON.stringify(c.name)}, "arguments": ${JSON.stringify(c.arguments)}}\n${FENCE}`,
    )
    .join('\n');
}

export const genericFormat: BuiltInPromptFormat = {
  id: 'generic',
  label: 'Generic (JSON in a code block)',
  description:
    'Any chat model: functions and the answer shape ({"name", "arguments"} in a ```json block, or prose) explained in the system prompt. Chat API, constrained with a structural tag.',
  source: 'https://platform.openai.com/docs/guides/function-calling',
  api: 'chat',
  syntax: GENERIC_SYNTAX,
  build(ctx: PromptContext): BuiltPrompt {
    return buildChatPrompt(ctx, {
      syntax: GENERIC_SYNTAX,
      instructions: genericInstructions,
      toolResults: labelledResults,
      renderCalls,
    });
  },
  renderCalls,
};
