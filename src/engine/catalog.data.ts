/**
 * Our notes on each catalog model (data only; catalog.ts holds the logic). Keyed by the base id web-llm
 * uses without its quantization suffix. The web-llm facts (URLs, VRAM, context) come from
 * catalog.generated.json; a unit test checks both lists name the same models.
 *
 * Prompt format per family (ids from src/lib/formats):
 * - Hermes-2-Pro / Hermes-3 and Qwen2.5 → 'hermes': both were trained on <tools>/<tool_call> JSON in
 *   ChatML (Qwen2.5's own chat template emits the same tags).
 * - Llama 3.1 → 'llama3-json': Meta's JSON-based tool calling from the 3.1 model card.
 * - Llama 3.2 1B/3B → 'llama3.2-pythonic': Meta's prompt-format guide for the lightweight 3.2 models
 *   documents the pythonic call list `[name(arg=value)]`, which these small models follow more
 *   reliably than the 3.1 JSON prompt.
 * - Mistral-7B-Instruct v0.3 → 'mistral-v3': its [AVAILABLE_TOOLS]/[TOOL_CALLS] control tokens.
 * - Llama-2-7b-chat → 'generic': the base chat model was not trained on calls; the Trelis v2 prompt is
 *   for the Trelis fine-tune, added as a custom model (CUSTOM_MODEL_EXAMPLE below).
 */
import type { FormatId } from '../lib/formats/index.ts';

export type ModelFamily = 'llama2' | 'llama3.1' | 'llama3.2' | 'mistral' | 'hermes' | 'qwen2.5';

export interface ModelNotes {
  displayName: string;
  family: ModelFamily;
  /** Parameter count in billions (from the model cards). */
  paramsB: number;
  formatId: FormatId;
  /** 'native': trained on a tool-call format; 'prompted': follows calls from instructions only. */
  toolCalling: 'native' | 'prompted';
  notes: string;
}

export const MODEL_NOTES: Record<string, ModelNotes> = {
  'Qwen2.5-0.5B-Instruct': {
    displayName: 'Qwen2.5 0.5B Instruct', family: 'qwen2.5', paramsB: 0.49, formatId: 'hermes', toolCalling: 'native',
    notes: 'Smallest and fastest; fine for one simple call, often misses arguments in harder requests.',
  },
  'Qwen2.5-1.5B-Instruct': {
    displayName: 'Qwen2.5 1.5B Instruct', family: 'qwen2.5', paramsB: 1.54, formatId: 'hermes', toolCalling: 'native',
    notes: 'Default: small download, runs on most GPUs, reliable <tool_call> JSON for everyday functions.',
  },
  'Qwen2.5-3B-Instruct': {
    displayName: 'Qwen2.5 3B Instruct', family: 'qwen2.5', paramsB: 3.09, formatId: 'hermes', toolCalling: 'native',
    notes: 'Better at picking between several functions and filling nested arguments.',
  },
  'Qwen2.5-7B-Instruct': {
    displayName: 'Qwen2.5 7B Instruct', family: 'qwen2.5', paramsB: 7.62, formatId: 'hermes', toolCalling: 'native',
    notes: 'Strongest Qwen here; needs about 5–6 GB of GPU memory.',
  },
  'Hermes-3-Llama-3.2-3B': {
    displayName: 'Hermes 3 (Llama 3.2 3B)', family: 'hermes', paramsB: 3.21, formatId: 'hermes', toolCalling: 'native',
    notes: 'Nous Research fine-tune trained on Hermes tool calls; a good small choice.',
  },
  'Hermes-3-Llama-3.1-8B': {
    displayName: 'Hermes 3 (Llama 3.1 8B)', family: 'hermes', paramsB: 8.03, formatId: 'hermes', toolCalling: 'native',
    notes: 'One of web-llm\'s own function-calling models; accurate, needs about 5–6 GB of GPU memory.',
  },
  'Hermes-2-Pro-Llama-3-8B': {
    displayName: 'Hermes 2 Pro (Llama 3 8B)', family: 'hermes', paramsB: 8.03, formatId: 'hermes', toolCalling: 'native',
    notes: 'The model the Hermes tool-call format was introduced with.',
  },
  'Hermes-2-Pro-Mistral-7B': {
    displayName: 'Hermes 2 Pro (Mistral 7B)', family: 'hermes', paramsB: 7.24, formatId: 'hermes', toolCalling: 'native',
    notes: 'Only built with f16 shaders (no q4f32 variant), so it needs shader-f16.',
  },
  'Llama-3.2-1B-Instruct': {
    displayName: 'Llama 3.2 1B Instruct', family: 'llama3.2', paramsB: 1.24, formatId: 'llama3.2-pythonic', toolCalling: 'native',
    notes: 'Tiny; calls simple functions in Meta\'s pythonic format.',
  },
  'Llama-3.2-3B-Instruct': {
    displayName: 'Llama 3.2 3B Instruct', family: 'llama3.2', paramsB: 3.21, formatId: 'llama3.2-pythonic', toolCalling: 'native',
    notes: 'Meta\'s small model with pythonic tool calls.',
  },
  'Llama-3.1-8B-Instruct': {
    displayName: 'Llama 3.1 8B Instruct', family: 'llama3.1', paramsB: 8.03, formatId: 'llama3-json', toolCalling: 'native',
    notes: 'Meta\'s JSON tool calling; needs about 5–6 GB of GPU memory.',
  },
  'Mistral-7B-Instruct-v0.3': {
    displayName: 'Mistral 7B Instruct v0.3', family: 'mistral', paramsB: 7.25, formatId: 'mistral-v3', toolCalling: 'native',
    notes: 'v0.3 added function calling with [AVAILABLE_TOOLS] / [TOOL_CALLS].',
  },
  'Llama-2-7b-chat-hf': {
    displayName: 'Llama 2 7B Chat', family: 'llama2', paramsB: 6.74, formatId: 'generic', toolCalling: 'prompted',
    notes: 'Not trained on function calls (the generic prompt works, loosely). Its library also runs the Trelis function-calling v2 fine-tune: add it as a custom model.',
  },
};

/**
 * The custom-model example from the issue: the Trelis Llama-2-7b-chat function-calling v2 fine-tune,
 * converted to MLC q4f16_1 and served by you (Trelis does not publish MLC weights), run on the prebuilt
 * Llama-2-7b-chat q4f16_1 library of the same architecture. The URL is a placeholder to edit.
 */
export const CUSTOM_MODEL_EXAMPLE = {
  id: 'Llama-2-7b-chat-hf-function-calling-v2-q4f16_1-MLC',
  displayName: 'Trelis Llama 2 7B chat function-calling v2',
  modelUrl: 'http://127.0.0.1:8000/Llama-2-7b-chat-hf-function-calling-v2-q4f16_1-MLC/',
  modelLib: { kind: 'catalog', modelId: 'Llama-2-7b-chat-hf-q4f16_1-MLC' },
  formatId: 'trelis-v2',
} as const;
