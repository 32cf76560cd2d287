/**
 * Words for the inspector's "Check tokens" button: is the BOS token where the model expects it?
 *
 * Why: web-llm 0.2.86's raw completion API adds no BOS (see src/engine/worker.ts), so the completion
 * formats write one literal `<s>` in front of the prompt. The unit tests check that text; only the
 * loaded model's tokenizer can say what the model really sees — BOS once, at the start (a tokenizer
 * that does not split out `<s>` shows no BOS; one that adds its own shows two).
 *
 * Llama-2 multi-turn prompts (trelis-v2) open EVERY turn with BOS: `… a1 </s><s>[INST] u2 …`. So a
 * conversation's second generation rightly has two. The expected count comes from the prompt text
 * (expectedBosCount); the tokens must match it, with one at ids[0] and no two in a row at the start.
 *
 * A constrained raw prompt (a responseFormat on a model loaded with `promptRendering: 'raw'`) is sent
 * through web-llm's chat API instead, but its pass-through template adds no text and no BOS
 * (src/engine/passThroughTemplate.ts, proved in its unit test), so the model reads exactly the ids the
 * engine's `tokenize(prompt)` returns on both paths: this check holds for either.
 */
import type { TokenizeResult } from '../../../engine/engine.ts';

export interface BosVerdict {
  /** True when the BOS count and position are what the model expects. */
  ok: boolean;
  text: string;
}

/** The end-of-turn + next-turn BOS that Llama-2 multi-turn prompts write between turns. */
const TURN_BOUNDARY = '</s><s>';

/**
 * How many BOS tokens the prompt should have: one at the start, plus one per Llama-2 turn boundary
 * (`</s><s>`) in the text. Formats with a single BOS (mistral-v3: `…</s>[INST]…`) have no boundary.
 */
export function expectedBosCount(prompt: string): number {
  // k boundaries split the text into k + 1 pieces: exactly the start plus one per boundary.
  return prompt.split(TURN_BOUNDARY).length;
}

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);

/**
 * Describes where the BOS token is in a tokenized prompt.
 * @param expected how many BOS the prompt should have (expectedBosCount; 1 for a single-turn prompt).
 */
export function describeBos(result: TokenizeResult, expected = 1): BosVerdict {
  const bos = result.bosTokenId;
  if (bos === undefined) return { ok: false, text: 'This model names no BOS token, so there is nothing to check.' };
  // Counted from the ids themselves: they are what the model sees (bosCount is the same count, when sent).
  const count = result.ids.filter((id) => id === bos).length;
  if (count === 0) return { ok: false, text: 'No BOS: the model will see the prompt without its start token.' };
  if (result.ids[0] !== bos) {
    return {
      ok: false,
      text: `BOS (id ${bos}) appears ${times(count)}, but not at the start: the model will see the prompt without its start token.`,
    };
  }
  const turns = expected > 1 ? ` for ${expected} turns` : '';
  if (count > expected || result.ids[1] === bos) {
    return { ok: false, text: `BOS appears ${times(count)}${turns} — the prompt has a duplicate <s>.` };
  }
  if (count < expected) {
    return { ok: false, text: `BOS appears ${times(count)}${turns} — a later turn is missing its <s>.` };
  }
  if (count === 1) return { ok: true, text: `BOS (id ${bos}) appears once, at the start ✓` };
  const later = count - 1;
  return {
    ok: true,
    text: `BOS (id ${bos}) appears ${count} times: at the start and at the start of ${later === 1 ? 'the later turn' : `each of the ${later} later turns`} ✓`,
  };
}

/** "412 prompt tokens · first 12 ids: 1, 518, …" — the ids the model reads first. */
export function tokenSummary(result: TokenizeResult, first = 12): string {
  const head = result.ids.slice(0, first).join(', ');
  const more = result.ids.length > first ? ', …' : '';
  const n = result.ids.length;
  return `${n.toLocaleString('en')} prompt token${n === 1 ? '' : 's'} · first ids: ${head}${more}`;
}
