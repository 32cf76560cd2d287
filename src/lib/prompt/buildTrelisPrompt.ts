/**
 * Builds Trelis "function calling v2" prompts, byte for byte as the model cards do:
 *
 *   B_FUNC + functionList.strip() + E_FUNC + B_INST + [B_SYS + system.strip() + E_SYS]
 *     + user.strip() + E_INST + "\n\n"
 *
 * `functionList` is each function's v2 metadata as Python's `json.dumps(meta, indent=4)` (ASCII-only
 * escapes included, see pythonJsonDumps.ts), joined by a blank line. The prompt is the cards' text and
 * has no `<s>` BOS: web-llm 0.2.86's completion API does not add one (it adds system_prefix_token_ids
 * only on the chat path), so the trelis-v2 prompt format (src/lib/formats/trelisV2Format.ts) puts the
 * single leading `<s>` in front of this text.
 *
 * Multi-turn (the cards only show one turn): the function block stays at the very start; each run of
 * user/tool turns becomes one instruction (the system message goes in the first one only), and each
 * earlier answer is written after `E_INST + "\n\n"`, trimmed, followed by the family's end-of-answer
 * marker (see trelisStyles.ts). A function result is fed back as the next instruction, with the text
 * `Result of <name>:\n<content>`; several results in a row share one instruction, separated by a
 * blank line. With no functions the `<FUNCTIONS>` block is left out.
 */
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { Turn } from '../types/turn.ts';
import { PromptBuildError } from '../errors.ts';
import { pythonJsonDumps } from './pythonJsonDumps.ts';
import { toTrelisV2 } from './trelisV2.ts';
import { B_FUNC, B_SYS, E_FUNC, E_SYS, TRELIS_STYLES, type TrelisStyle } from './trelisStyles.ts';

export interface TrelisConversation {
  style: TrelisStyle;
  functions: FunctionSpec[];
  /** Left out when absent or blank. */
  system?: string;
  /**
   * The whole conversation, oldest first. The last turn is normally a user message or a function
   * result (the prompt then ends with `E_INST + "\n\n"`, ready for the answer). If it is an assistant
   * turn, the prompt ends with that text and no end marker, so the model continues it.
   */
  turns: Turn[];
}

export interface TrelisPromptOptions {
  style: TrelisStyle;
  functions: FunctionSpec[];
  /** The user message to answer now. */
  user: string;
  system?: string;
  /** Earlier turns, before `user`. */
  history?: Turn[];
}

/**
 * Each spec's rendered metadata, by spec object: the agent rebuilds the prompt every turn with the
 * same specs. Specs are treated as immutable; a changed function must be a new spec object.
 */
const renderedMetadata = new WeakMap<FunctionSpec, string>();

function renderMetadata(spec: FunctionSpec): string {
  let text = renderedMetadata.get(spec);
  if (text === undefined) {
    text = pythonJsonDumps(toTrelisV2(spec));
    renderedMetadata.set(spec, text);
  }
  return text;
}

/** The `<FUNCTIONS>…</FUNCTIONS>\n\n` block, or '' when there are no functions. */
export function buildTrelisFunctionBlock(functions: FunctionSpec[]): string {
  if (functions.length === 0) return '';
  const list = functions.map(renderMetadata).join('\n\n');
  return B_FUNC + list.trim() + E_FUNC;
}

/** One user message (after optional history) → prompt. @throws never for valid options. */
export function buildTrelisPrompt(options: TrelisPromptOptions): string {
  return buildTrelisConversation({
    style: options.style,
    functions: options.functions,
    system: options.system,
    turns: [...(options.history ?? []), { role: 'user', content: options.user }],
  });
}

/**
 * A whole conversation → prompt; use it when the turn to answer is a function result.
 * @throws PromptBuildError when `turns` is empty.
 */
export function buildTrelisConversation(conversation: TrelisConversation): string {
  const { turns } = conversation;
  if (turns.length === 0) throw new PromptBuildError('the conversation has no turns');
  const markers = TRELIS_STYLES[conversation.style];
  const system = conversation.system?.trim() ?? '';
  let out = buildTrelisFunctionBlock(conversation.functions);
  let firstInstruction = true;
  let i = 0;
  while (i < turns.length) {
    const turn = turns[i];
    if (turn === undefined) break;
    if (turn.role === 'assistant') {
      out += turn.content.trim() + (i === turns.length - 1 ? '' : markers.endOfAnswer);
      i += 1;
      continue;
    }
    const parts: string[] = [];
    while (i < turns.length) {
      const next = turns[i];
      if (next === undefined || next.role === 'assistant') break;
      parts.push(next.role === 'user' ? next.content.trim() : `Result of ${next.name}:\n${next.content.trim()}`);
      i += 1;
    }
    const sys = firstInstruction && system !== '' ? B_SYS + system + E_SYS : '';
    out += markers.bInst + sys + parts.join('\n\n') + markers.eInst + '\n\n';
    firstInstruction = false;
  }
  return out;
}
