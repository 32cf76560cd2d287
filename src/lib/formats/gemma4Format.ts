/**
 * Gemma 4 (gemma-4-E2B-it) tool calling, through web-llm's RAW COMPLETION API (buildRawPrompt).
 *
 * Why raw: Gemma 4 writes declarations, calls and results in its own non-JSON syntax, and puts
 * function results INSIDE the model's turn; no web-llm/mlc conversation template expresses that
 * (mlc-llm has no Gemma 4 template at all). So this module renders the E2B ("small") chat template
 * byte for byte. Sources (shared/TOOL-FORMATS.md §3): ollama/ollama @ fb3076099687
 * model/renderers/testdata/gemma4_e2b_chat_template.jinja2 (Google's canonical template, 2026-07-09)
 * — H; ollama's Go renderer gemma4.go and gemma4_reference_test.go — H/M; token ids — M.
 *
 *   <bos><|turn>system\n[<|think|>\n]{system}<|tool>declaration:f{…}<tool|><turn|>\n
 *   <|turn>user\nWeather in Paris?<turn|>\n
 *   <|turn>model\n[<|channel>thought\n…\n<channel|>]<|tool_call>call:f{city:<|"|>Paris<|"|>}<tool_call|>
 *   <|tool_response>response:f{temp:18}<tool_response|>It is 18 °C.<turn|>\n
 *
 * (one line in reality). The system turn is written when there is a system text, a function or
 * thinking. Results follow the calls in the same model turn and generation continues right after the
 * last `<tool_response|>` (no new turn; with thinking on the template opens `<|channel>thought\n`
 * there, which becomes the answer prefix). A JSON-object result is written as a mapping
 * (`response:f{key:value,…}`), anything else as `response:f{value:<|"|>text<|"|>}`. History: a model
 * turn's thought is kept only after the last user message; calls are re-rendered from Turn.calls
 * (arguments in dictsort order, as the template does); earlier calls' raw text is not reused.
 *
 * Decisions on what the sources leave open:
 * - Thinking off (UNCONFIRMED which template revision the MLC build was trained/bundled with): the
 *   current small template writes NOTHING after `<|turn>model\n`; the 26B/31B template and the April
 *   revision write an empty `<|channel>thought\n<channel|>`. We follow the current E2B template —
 *   ollama's reference tests pin exactly this small/large split — and the parser and the grammar
 *   accept an empty thought channel anyway, should the model write one itself.
 * - Prose the model wrote before its calls is re-rendered before them (where the model wrote it).
 *   The template would put an assistant message's content after the results, and then (its
 *   `prev_message_type` quirk) close the turn and open no new one; keeping the model's own order
 *   avoids that broken prompt. With no such prose (the usual case) the output is the template's.
 * - Tool turns with no calls before them (never produced by our agent) are still rendered as
 *   results in the model turn; the template would drop them.
 * Stop strings: `<|tool_response>` (the model writes it after its calls; it is an EOS id in the
 * generation config, but whether web-llm's stop ids include it is UNCONFIRMED), `<turn|>`, `<eos>`.
 */
import { PromptBuildError } from '../errors.ts';
import { resolveToolChoice } from '../grammar/toolChoice.ts';
import { splitReasoning } from '../text/splitReasoning.ts';
import type { ToolCall } from '../types/toolCall.ts';
import type { Turn } from '../types/turn.ts';
import { buildRawPrompt, thinkingEnabled } from './buildRawPrompt.ts';
import type { FormatSyntax } from './formatSyntax.ts';
import { gemmaToolBlock } from './gemma4Declaration.ts';
import { gemmaArguments, gemmaValue } from './gemmaValue.ts';
import type { BuiltInPromptFormat, BuiltPrompt, PromptContext } from './promptFormat.ts';

const TOOL_CALL_OPEN = '<|tool_call>';
const TOOL_CALL_CLOSE = '<tool_call|>';
const TOOL_RESPONSE_OPEN = '<|tool_response>';
const TURN_CLOSE = '<turn|>';
const THOUGHT_OPEN = '<|channel>thought';
const THOUGHT_CLOSE = '<channel|>';
/** What the template writes after results when thinking is on: the answer starts inside a thought. */
export const GEMMA4_THOUGHT_PREFIX = `${THOUGHT_OPEN}\n`;

export const GEMMA4_SYNTAX = {
  calls: [{ open: TOOL_CALL_OPEN, close: [TOOL_CALL_CLOSE], bodies: ['gemma'] }],
  constraint: 'gemma4',
  reasoning: { open: THOUGHT_OPEN, close: THOUGHT_CLOSE },
  thinking: { switchable: true, defaultOn: false },
  stop: [TOOL_RESPONSE_OPEN, TURN_CLOSE, '<eos>'],
  bos: '<bos>',
} satisfies FormatSyntax;

type AssistantTurn = Extract<Turn, { role: 'assistant' }>;
type ToolTurn = Extract<Turn, { role: 'tool' }>;

function renderCall(call: ToolCall): string {
  return `${TOOL_CALL_OPEN}call:${call.name}{${gemmaArguments(call.arguments)}}${TOOL_CALL_CLOSE}`;
}

function renderCalls(calls: ToolCall[]): string {
  return calls.map(renderCall).join('');
}

/** A JSON object as a mapping result, anything else (text, errors, other JSON) as `value:<|"|>…<|"|>`. */
function renderResult(turn: ToolTurn): string {
  let mapping: Record<string, unknown> | undefined;
  try {
    const value: unknown = JSON.parse(turn.content);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      mapping = value as Record<string, unknown>;
  } catch {
    mapping = undefined;
  }
  const body = mapping ? gemmaArguments(mapping) : `value:${gemmaValue(turn.content, false)}`;
  return `${TOOL_RESPONSE_OPEN}response:${turn.name}{${body}}<tool_response|>`;
}

/** Removes `<|tool_call>…<tool_call|>` blocks (an unclosed one runs to the end). */
function withoutCalls(text: string): string {
  let out = '';
  let pos = 0;
  for (let at = text.indexOf(TOOL_CALL_OPEN); at !== -1; at = text.indexOf(TOOL_CALL_OPEN, pos)) {
    out += text.slice(pos, at);
    const close = text.indexOf(TOOL_CALL_CLOSE, at);
    pos = close === -1 ? text.length : close + TOOL_CALL_CLOSE.length;
  }
  return out + text.slice(pos);
}

/** The model turn's pieces: its thought (shown after the last user message only), prose and calls. */
function renderAssistant(turn: AssistantTurn, showThought: boolean): { text: string; calls: ToolCall[] } {
  const { reasoning, answer } = splitReasoning(turn.content, [GEMMA4_SYNTAX.reasoning]);
  const calls = turn.calls ?? [];
  const thought = showThought && reasoning !== '' ? `${THOUGHT_OPEN}\n${reasoning}\n${THOUGHT_CLOSE}` : '';
  const prose = (calls.length > 0 ? withoutCalls(answer) : answer).trim();
  return { text: thought + prose + renderCalls(calls), calls };
}

/** @throws {PromptBuildError} when the conversation is empty or ends with an answer. */
export function buildGemma4Prompt(ctx: PromptContext): { text: string; answerPrefix?: string } {
  const { turns } = ctx;
  const last = turns[turns.length - 1];
  if (!last) throw new PromptBuildError('the conversation has no turns');
  if (last.role === 'assistant')
    throw new PromptBuildError('the last turn must be a user message or a function result');
  const { functions } = resolveToolChoice(ctx.functions, ctx.toolChoice);
  const thinking = thinkingEnabled(ctx, GEMMA4_SYNTAX);
  const system = ctx.system?.trim() ?? '';
  let out = '';
  if (thinking || functions.length > 0 || system !== '') {
    out += `<|turn>system\n${thinking ? '<|think|>\n' : ''}${system}${functions.map(gemmaToolBlock).join('')}${TURN_CLOSE}\n`;
  }
  const lastUser = turns.findLastIndex((t) => t.role === 'user');
  let previous: 'user' | 'assistant' | undefined; // the last non-tool turn's role
  let ending: 'calls' | 'results' | undefined; // what the last rendered turn ended with
  turns.forEach((turn, i) => {
    if (turn.role === 'tool') return; // rendered with the model turn before it
    ending = undefined;
    const results: ToolTurn[] = [];
    for (let k = i + 1; k < turns.length; k++) {
      const next = turns[k];
      if (next?.role !== 'tool') break;
      results.push(next);
    }
    const nextRole = turns.slice(i + 1).find((t) => t.role !== 'tool')?.role;
    if (turn.role === 'user') {
      out += `<|turn>user\n${turn.content.trim()}${TURN_CLOSE}\n`;
    } else {
      if (previous !== 'assistant') out += '<|turn>model\n';
      const { text, calls } = renderAssistant(turn, i > lastUser);
      out += text + results.map(renderResult).join('');
      if (calls.length > 0) ending = 'calls';
      if (results.length > 0) ending = 'results';
      if (ending === 'calls') {
        out += TOOL_RESPONSE_OPEN; // calls that got no result: the template closes them this way
      } else if (!(nextRole === 'assistant' || (ending === 'results' && nextRole === undefined))) {
        // The turn ends, unless the next answer continues it or generation continues after the results.
        out += `${TURN_CLOSE}\n`;
      }
    }
    previous = turn.role;
  });
  if (ending === undefined) return { text: `${out}<|turn>model\n` };
  if (ending === 'results' && thinking)
    return { text: out + GEMMA4_THOUGHT_PREFIX, answerPrefix: GEMMA4_THOUGHT_PREFIX };
  return { text: out };
}

export const gemma4Format: BuiltInPromptFormat = {
  id: 'gemma4',
  label: 'Gemma 4 (<|tool_call>call:f{…})',
  description:
    'Gemma 4 (E2B/E4B): <|tool>declaration blocks in the system turn, calls <|tool_call>call:f{key:<|"|>v<|"|>}<tool_call|>, results <|tool_response> inside the model turn, optional <|think|> thinking. Raw prompt, constrained by a grammar where the engine can.',
  source: 'https://ai.google.dev/gemma/docs/core/prompt-formatting-gemma4',
  api: 'completion',
  syntax: GEMMA4_SYNTAX,
  build(ctx: PromptContext): BuiltPrompt {
    return buildRawPrompt(ctx, GEMMA4_SYNTAX, 'Gemma 4', buildGemma4Prompt(ctx));
  },
  renderCalls,
};
