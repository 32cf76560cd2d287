/**
 * Separates a model's reasoning from its answer: `<think>…</think>` (Qwen3, Qwen3.5),
 * `[THINK]…[/THINK]` (Mistral reasoning models), `<|channel>thought…<channel|>` (Gemma 4) — whatever
 * markers the caller passes. Reasoning is never read for calls (a draft call inside it is a thought,
 * not a request) and is shown apart from the answer.
 *
 * Three cases beyond a closed block:
 * - a closing marker before any opening one: the prompt opened the block (Qwen3.5's template ends
 *   with `<think>\n`) and the caller did not pass that prefix, so everything before it was reasoning;
 * - an opening marker that never closes: the model is still thinking (streaming), or was stopped
 *   while thinking; everything after it is reasoning and `thinking` is true;
 * - `partial` (streaming): a tail that may still become an opening marker (`<thi`) is held back from
 *   the answer until the next piece decides it.
 * Linear: each marker is searched for once per block.
 */
import type { ReasoningMarkers } from '../formats/formatSyntax.ts';

export interface SplitAnswer {
  /** The reasoning blocks' text, trimmed, blank line between blocks; '' when there is none. */
  reasoning: string;
  /** The text outside reasoning blocks, untrimmed (positions are the parser's business). */
  answer: string;
  /** The text ended inside a reasoning block. */
  thinking: boolean;
  /** Whether any reasoning marker was seen (an empty `<think>\n\n</think>` counts). */
  hasReasoning: boolean;
}

interface Found {
  at: number;
  markers: ReasoningMarkers;
}

function earliest(
  text: string,
  from: number,
  markers: readonly ReasoningMarkers[],
  which: 'open' | 'close',
): Found | undefined {
  let best: Found | undefined;
  for (const m of markers) {
    const at = text.indexOf(m[which], from);
    if (at !== -1 && (best === undefined || at < best.at)) best = { at, markers: m };
  }
  return best;
}

/** Length of the longest tail of `text` that is a proper prefix of an opening marker. */
function partialOpeningTail(text: string, markers: readonly ReasoningMarkers[]): number {
  let longest = 0;
  for (const { open } of markers) {
    for (let n = Math.min(open.length - 1, text.length); n > longest; n--) {
      if (text.endsWith(open.slice(0, n))) {
        longest = n;
        break;
      }
    }
  }
  return longest;
}

export function splitReasoning(
  text: string,
  markers: readonly ReasoningMarkers[],
  options: { partial?: boolean } = {},
): SplitAnswer {
  if (markers.length === 0) return { reasoning: '', answer: text, thinking: false, hasReasoning: false };
  const blocks: string[] = [];
  let answer = '';
  let pos = 0;
  let thinking = false;
  let seen = false;
  const firstClose = earliest(text, 0, markers, 'close');
  const firstOpen = earliest(text, 0, markers, 'open');
  if (firstClose && (!firstOpen || firstClose.at < firstOpen.at)) {
    blocks.push(text.slice(0, firstClose.at));
    pos = firstClose.at + firstClose.markers.close.length;
    seen = true;
  }
  while (pos <= text.length) {
    const open = earliest(text, pos, markers, 'open');
    if (!open) {
      answer += text.slice(pos);
      break;
    }
    seen = true;
    answer += text.slice(pos, open.at);
    const bodyStart = open.at + open.markers.open.length;
    const close = text.indexOf(open.markers.close, bodyStart);
    if (close === -1) {
      blocks.push(text.slice(bodyStart));
      thinking = true;
      break;
    }
    blocks.push(text.slice(bodyStart, close));
    pos = close + open.markers.close.length;
  }
  if (options.partial && !thinking) answer = answer.slice(0, answer.length - partialOpeningTail(answer, markers));
  const reasoning = blocks
    .map((b) => b.trim())
    .filter((b) => b !== '')
    .join('\n\n');
  return { reasoning, answer, thinking, hasReasoning: seen };
}

/** The text with its reasoning blocks removed and trimmed: what earlier answers look like in most templates' history. */
export function withoutReasoning(text: string, markers: readonly ReasoningMarkers[]): string {
  return splitReasoning(text, markers).answer.trim();
}
