/**
 * What the Qwen3 and Qwen3.5 chat templates share (qwen3Format.ts, qwen35Format.ts): ChatML turns,
 * the "last real user query" that decides which earlier answers keep their reasoning, runs of tool
 * results in one user turn, and how an earlier answer is split back into the template's message
 * fields (reasoning_content, content, tool_calls).
 *
 * An assistant Turn holds the model's raw output (answer prefix and reasoning included) and the
 * calls parsed from it. The templates render a message's `content` and then its `tool_calls`, and an
 * OpenAI-style server (vLLM's hermes / qwen3_coder parsers) returns as content the text before the
 * first call; so the content here is the text after the reasoning and before the first call opening,
 * and the calls are re-rendered from Turn.calls in the template's own layout.
 */
import { PromptBuildError } from '../errors.ts';
import type { Turn } from '../types/turn.ts';

export const IM_START = '<|im_start|>';
export const IM_END = '<|im_end|>';
export const QWEN_STOP = [IM_END, '<|endoftext|>'] as const;
export const THINK_OPEN = '<think>';
export const THINK_CLOSE = '</think>';
/** The block the templates write after the assistant header when thinking is off. */
export const EMPTY_THINK = '<think>\n\n</think>\n\n';

export type AssistantTurn = Extract<Turn, { role: 'assistant' }>;
export type ToolTurn = Extract<Turn, { role: 'tool' }>;

/** Python's `str.strip('\n')` family: only newlines. */
export const stripNewlinesStart = (s: string) => s.replace(/^\n+/, '');
export const stripNewlinesEnd = (s: string) => s.replace(/\n+$/, '');

/**
 * The templates' own split of an answer that contains `</think>`: reasoning is what lies before the
 * first `</think>` (after the last `<think>` in it), content what follows the last one.
 */
export function splitThink(content: string): { reasoning: string; content: string } {
  if (!content.includes(THINK_CLOSE)) return { reasoning: '', content };
  const parts = content.split(THINK_CLOSE);
  const before = stripNewlinesEnd(parts[0] ?? '').split(THINK_OPEN);
  return {
    reasoning: stripNewlinesStart(before[before.length - 1] ?? ''),
    content: stripNewlinesStart(parts[parts.length - 1] ?? ''),
  };
}

/** The prose before the first call opening: what a server returns as `content` beside `tool_calls`. */
export function beforeCalls(content: string, openings: readonly string[]): string {
  const at = Math.min(...openings.map((o) => content.indexOf(o)).filter((i) => i !== -1), content.length);
  return content.slice(0, at).trim();
}

/**
 * The index of the last user turn that is a real query (not only `<tool_response>` blocks), as the
 * templates compute `last_query_index`; -1 when there is none.
 */
export function lastQueryIndex(turns: readonly Turn[], trim: boolean): number {
  return turns.findLastIndex((t) => {
    if (t.role !== 'user') return false;
    const c = trim ? t.content.trim() : t.content;
    return !(c.startsWith('<tool_response>') && c.endsWith('</tool_response>'));
  });
}

/** @throws {PromptBuildError} when the conversation is empty or ends with an answer. */
export function checkTurns(turns: readonly Turn[]): void {
  const last = turns[turns.length - 1];
  if (!last) throw new PromptBuildError('the conversation has no turns');
  if (last.role === 'assistant')
    throw new PromptBuildError('the last turn must be a user message or a function result');
}

/**
 * A tool result inside the shared user turn: the turn opens before the first of a run of results and
 * closes after the last one, so consecutive results share one `<|im_start|>user` turn.
 */
export function toolResult(turns: readonly Turn[], i: number, content: string): string {
  const opens = turns[i - 1]?.role !== 'tool';
  const closes = turns[i + 1]?.role !== 'tool';
  return `${opens ? `${IM_START}user` : ''}\n<tool_response>\n${content}\n</tool_response>${closes ? `${IM_END}\n` : ''}`;
}
