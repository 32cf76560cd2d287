/**
 * Phi-4-mini-instruct tool calling through a RAW prompt (buildRawPrompt.ts), byte for byte:
 *
 *   <|system|>system<|tool|>[{"name": "get_weather", "description": …, "parameters": {…}}]<|/tool|><|end|>
 *   <|user|>u1<|end|><|assistant|><|tool_call|>[{"name": "get_weather", "arguments": {"city": "Paris"}}]<|/tool_call|><|end|>
 *   <|tool_response|>{"temp": 21}<|end|><|assistant|>
 *
 * (no newlines, no BOS in the real text). Sources: the official template string (copied in
 * ShishirPatil/gorilla bfcl `phi_fc.py`, with the model card's tool format) — H for the prompt: tools
 * are a json.dumps list of BARE function objects (`{name, description, parameters}`, no OpenAI
 * wrapper) in a `tools` field of the system message. Calls (model card, BFCL handler) — M:
 * `<|tool_call|>` + a JSON list of `{"name", "arguments"}` + `<|/tool_call|>`, parallel calls as list
 * items; observed deviations (closing tag missing, a bare object instead of a list) are read too.
 *
 * Decisions:
 * - Tool results: the official template has no tool role (UNCONFIRMED how Microsoft trained them).
 *   We use llama.cpp's Phi-4-mini template, `<|tool_response|>{result}<|end|>` per result — M: it is
 *   the only rendering seen, `<|tool_response|>` is a real special token of the tokenizer (so the
 *   model has seen it in training), and it mirrors how `<|tool_call|>` answers are framed. The
 *   alternative, results as a user turn, would let the model mistake them for the user's words.
 * - The tools can only be given in a system turn. With functions but no system prompt, that turn
 *   holds the model card's example sentence "You are a helpful assistant with some tools.", so the
 *   tool block is never introduced by an empty message; with neither, there is no system turn (the
 *   template writes none).
 * - History: an earlier answer's calls are re-rendered from the parsed calls, after any prose the
 *   model wrote before its `<|tool_call|>`, in json.dumps layout.
 * Stop strings: `<|end|>` and `<|endoftext|>` (mlc `phi-4` stop ids 200020, 199999).
 * Constrained with the `phi4` grammar when the engine can.
 */
import { PromptBuildError } from '../errors.ts';
import { resolveToolChoice } from '../grammar/toolChoice.ts';
import type { ToolCall } from '../types/toolCall.ts';
import { buildRawPrompt } from './buildRawPrompt.ts';
import type { FormatSyntax } from './formatSyntax.ts';
import type { BuiltInPromptFormat, BuiltPrompt, PromptContext } from './promptFormat.ts';
import { plainFunction, pythonCompactJson } from './toolJson.ts';

const END = '<|end|>';
const CALL_OPEN = '<|tool_call|>';
const CALL_CLOSE = '<|/tool_call|>';
/** The model card's system prompt for tool use. */
const DEFAULT_TOOL_SYSTEM = 'You are a helpful assistant with some tools.';

export const PHI4_MINI_SYNTAX = {
  // `<|end|>` closes a block whose `<|/tool_call|>` was left out (it is a stop string, so mostly the
  // output just ends: the context then runs to the end of its last call).
  calls: [{ open: CALL_OPEN, close: [CALL_CLOSE, END], bodies: ['json'] }],
  constraint: 'phi4',
  stop: [END, '<|endoftext|>'],
  bos: '',
} satisfies FormatSyntax;

function renderCalls(calls: ToolCall[]): string {
  return `${CALL_OPEN}${pythonCompactJson(calls.map((c) => ({ name: c.name, arguments: c.arguments })))}${CALL_CLOSE}`;
}

/** @throws {PromptBuildError} when the conversation is empty or ends with an answer. */
export function buildPhi4MiniText(ctx: PromptContext): string {
  const { turns } = ctx;
  const last = turns[turns.length - 1];
  if (!last) throw new PromptBuildError('the conversation has no turns');
  if (last.role === 'assistant')
    throw new PromptBuildError('the last turn must be a user message or a function result');
  const { functions } = resolveToolChoice(ctx.functions, ctx.toolChoice);
  const userSystem = ctx.system?.trim() ?? '';
  let out = '';
  if (functions.length > 0) {
    const system = userSystem === '' ? DEFAULT_TOOL_SYSTEM : userSystem;
    out += `<|system|>${system}<|tool|>${pythonCompactJson(functions.map(plainFunction))}<|/tool|>${END}`;
  } else if (userSystem !== '') {
    out += `<|system|>${userSystem}${END}`;
  }
  for (const turn of turns) {
    if (turn.role === 'user') {
      out += `<|user|>${turn.content.trim()}${END}`;
    } else if (turn.role === 'assistant') {
      const text = turn.content.trim();
      if (turn.calls && turn.calls.length > 0) {
        const cut = text.indexOf(CALL_OPEN);
        out += `<|assistant|>${(cut === -1 ? text : text.slice(0, cut)).trim()}${renderCalls(turn.calls)}${END}`;
      } else {
        out += `<|assistant|>${text}${END}`;
      }
    } else {
      out += `<|tool_response|>${turn.content.trim()}${END}`;
    }
  }
  return `${out}<|assistant|>`;
}

export const phi4MiniFormat: BuiltInPromptFormat = {
  id: 'phi4-mini',
  label: 'Phi-4-mini (<|tool_call|>)',
  description:
    "Phi-4-mini-instruct: functions in <|tool|> inside the system turn, calls as a JSON list in <|tool_call|>, results in <|tool_response|> (llama.cpp's rendering). Raw prompt, constrained where the engine can.",
  source: 'https://huggingface.co/microsoft/Phi-4-mini-instruct',
  api: 'completion',
  syntax: PHI4_MINI_SYNTAX,
  build(ctx: PromptContext): BuiltPrompt {
    return buildRawPrompt(ctx, PHI4_MINI_SYNTAX, 'Phi-4-mini', { text: buildPhi4MiniText(ctx) });
  },
  renderCalls,
};
