/**
 * The instruction markers of each model family the Trelis v2 fine-tunes exist for, from the model
 * cards (/work/shared/seeds/), plus how each family ends an answer in a multi-turn conversation,
 * which the cards do not show and which follows each base model's own chat template.
 */
export type TrelisStyle = 'llama' | 'deepseek' | 'yi';

export interface TrelisMarkers {
  bInst: string;
  eInst: string;
  /** Written after an earlier answer, before the next instruction. */
  endOfAnswer: string;
}

export const B_FUNC = '<FUNCTIONS>';
export const E_FUNC = '</FUNCTIONS>\n\n';
export const B_SYS = '<<SYS>>\n';
export const E_SYS = '\n<</SYS>>\n\n';

export const TRELIS_STYLES: Readonly<Record<TrelisStyle, TrelisMarkers>> = {
  // Llama 2 (also Mistral, Zephyr, CodeLlama): `[INST] u [/INST] a </s><s>[INST] u2 [/INST]`, as in
  // Meta's chat_completion. The leading <s> of the whole prompt is added by the trelis-v2 format.
  llama: { bInst: '[INST] ', eInst: ' [/INST]', endOfAnswer: ' </s><s>' },
  // DeepSeek Coder instruct: each response ends with `\n<|EOT|>`; B_INST begins with its own `\n`.
  deepseek: { bInst: '\n### Instruction:\n', eInst: '\n### Response:\n', endOfAnswer: '\n<|EOT|>' },
  // Yi (Llamafied): the EOS token is spelt differently across Yi builds, so a blank line separates turns.
  yi: { bInst: 'Human: ', eInst: ' Assistant: ', endOfAnswer: '\n\n' },
};
