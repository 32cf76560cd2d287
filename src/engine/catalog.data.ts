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
 * - Qwen3 → 'qwen3': Hermes-style <tool_call> JSON, but its own template (tools after the system text,
 *   <think> handling), so not 'hermes'.
 * - Qwen3.5 → 'qwen3.5': Qwen3-Coder XML calls (<function=…><parameter=…>), not JSON.
 * - Gemma 4 → 'gemma4': its own <|tool_call>call:name{…}<tool_call|> syntax with <|"|> strings.
 * - Ministral 3 Instruct and Reasoning → 'mistral-v13': the tekken v13 tokenizer format
 *   ([AVAILABLE_TOOLS] before the first [INST], [TOOL_CALLS]name[ARGS]{…}).
 * - Phi-4-mini → 'phi4-mini': tools in <|tool|>…<|/tool|> on the system turn, calls as a JSON list
 *   in <|tool_call|>…<|/tool_call|>.
 * - SmolLM2-1.7B → 'smollm2': the function-calling instructions from its model repository (a JSON list
 *   in <tool_call>…</tool_call>); its chat template itself has no tools.
 * Each format module in src/lib/formats names its sources (model cards, chat templates) at its top.
 *
 * Reasoning: 'toggle' models think in a block before answering and the prompt can switch that off;
 * `thinkingDefault` is what the model's own chat template does when nobody asks. 'always' models are
 * trained to think every time (no switch).
 */
import type { FormatId } from '../lib/formats/index.ts';

export type ModelFamily =
  | 'llama2'
  | 'llama3.1'
  | 'llama3.2'
  | 'mistral'
  | 'hermes'
  | 'qwen2.5'
  | 'qwen3'
  | 'qwen3.5'
  | 'gemma4'
  | 'ministral3'
  | 'phi4'
  | 'smollm2';

/**
 * Whether a model writes a reasoning block before its answer. A union rather than two loose fields, so
 * `thinkingDefault` exists exactly when thinking can be switched.
 */
export type ReasoningInfo =
  | { reasoning: 'none' }
  | { reasoning: 'always' }
  | { reasoning: 'toggle'; /** What the model's own template does when not told. */ thinkingDefault: boolean };

export type Reasoning = ReasoningInfo['reasoning'];

export type ModelNotes = ReasoningInfo & {
  displayName: string;
  family: ModelFamily;
  /** Parameter count in billions (from the model cards). */
  paramsB: number;
  formatId: FormatId;
  /** 'native': trained on a tool-call format; 'prompted': follows calls from instructions only. */
  toolCalling: 'native' | 'prompted';
  notes: string;
};

const NO_REASONING = { reasoning: 'none' } as const;

export const MODEL_NOTES: Record<string, ModelNotes> = {
  'Qwen2.5-0.5B-Instruct': {
    displayName: 'Qwen2.5 0.5B Instruct',
    family: 'qwen2.5',
    paramsB: 0.49,
    formatId: 'hermes',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: 'Smallest and fastest; fine for one simple call, often misses arguments in harder requests.',
  },
  'Qwen2.5-1.5B-Instruct': {
    displayName: 'Qwen2.5 1.5B Instruct',
    family: 'qwen2.5',
    paramsB: 1.54,
    formatId: 'hermes',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: 'Small download, runs on most GPUs, reliable <tool_call> JSON for everyday functions.',
  },
  'Qwen2.5-3B-Instruct': {
    displayName: 'Qwen2.5 3B Instruct',
    family: 'qwen2.5',
    paramsB: 3.09,
    formatId: 'hermes',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: 'Better at picking between several functions and filling nested arguments.',
  },
  'Qwen2.5-7B-Instruct': {
    displayName: 'Qwen2.5 7B Instruct',
    family: 'qwen2.5',
    paramsB: 7.62,
    formatId: 'hermes',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: 'Strongest Qwen here; needs about 5–6 GB of GPU memory.',
  },
  'Hermes-3-Llama-3.2-3B': {
    displayName: 'Hermes 3 (Llama 3.2 3B)',
    family: 'hermes',
    paramsB: 3.21,
    formatId: 'hermes',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: 'Nous Research fine-tune trained on Hermes tool calls; a good small choice.',
  },
  'Hermes-3-Llama-3.1-8B': {
    displayName: 'Hermes 3 (Llama 3.1 8B)',
    family: 'hermes',
    paramsB: 8.03,
    formatId: 'hermes',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: "One of web-llm's own function-calling models; accurate, needs about 5–6 GB of GPU memory.",
  },
  'Hermes-2-Pro-Llama-3-8B': {
    displayName: 'Hermes 2 Pro (Llama 3 8B)',
    family: 'hermes',
    paramsB: 8.03,
    formatId: 'hermes',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: 'The model the Hermes tool-call format was introduced with.',
  },
  'Hermes-2-Pro-Mistral-7B': {
    displayName: 'Hermes 2 Pro (Mistral 7B)',
    family: 'hermes',
    paramsB: 7.24,
    formatId: 'hermes',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: 'Only built with f16 shaders (no q4f32 variant), so it needs shader-f16.',
  },
  'Llama-3.2-1B-Instruct': {
    displayName: 'Llama 3.2 1B Instruct',
    family: 'llama3.2',
    paramsB: 1.24,
    formatId: 'llama3.2-pythonic',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: "Tiny; calls simple functions in Meta's pythonic format.",
  },
  'Llama-3.2-3B-Instruct': {
    displayName: 'Llama 3.2 3B Instruct',
    family: 'llama3.2',
    paramsB: 3.21,
    formatId: 'llama3.2-pythonic',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: "Meta's small model with pythonic tool calls.",
  },
  'Llama-3.1-8B-Instruct': {
    displayName: 'Llama 3.1 8B Instruct',
    family: 'llama3.1',
    paramsB: 8.03,
    formatId: 'llama3-json',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: "Meta's JSON tool calling; needs about 5–6 GB of GPU memory.",
  },
  'Mistral-7B-Instruct-v0.3': {
    displayName: 'Mistral 7B Instruct v0.3',
    family: 'mistral',
    paramsB: 7.25,
    formatId: 'mistral-v3',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: 'v0.3 added function calling with [AVAILABLE_TOOLS] / [TOOL_CALLS].',
  },
  'Llama-2-7b-chat-hf': {
    displayName: 'Llama 2 7B Chat',
    family: 'llama2',
    paramsB: 6.74,
    formatId: 'generic',
    toolCalling: 'prompted',
    ...NO_REASONING,
    notes:
      'Not trained on function calls (the generic prompt works, loosely). Its library also runs the Trelis function-calling v2 fine-tune: add it as a custom model.',
  },

  // Qwen3 (April 2025): hybrid thinking, on unless switched off (`enable_thinking`, Qwen3 card).
  'Qwen3-0.6B': {
    displayName: 'Qwen3 0.6B',
    family: 'qwen3',
    paramsB: 0.6,
    formatId: 'qwen3',
    toolCalling: 'native',
    reasoning: 'toggle',
    thinkingDefault: true,
    notes: 'Tiny and fast; one simple call works, choosing between several functions often does not.',
  },
  'Qwen3-1.7B': {
    displayName: 'Qwen3 1.7B',
    family: 'qwen3',
    paramsB: 1.7,
    formatId: 'qwen3',
    toolCalling: 'native',
    reasoning: 'toggle',
    thinkingDefault: true,
    notes: 'Default: about 1 GB to download, runs on most GPUs, writes the same <tool_call> JSON as Qwen2.5.',
  },
  'Qwen3-4B': {
    displayName: 'Qwen3 4B',
    family: 'qwen3',
    paramsB: 4.0,
    formatId: 'qwen3',
    toolCalling: 'native',
    reasoning: 'toggle',
    thinkingDefault: true,
    notes: 'Scores well above 1.7B on function-calling benchmarks; about 3.4–4.3 GB of GPU memory.',
  },
  'Qwen3-8B': {
    displayName: 'Qwen3 8B',
    family: 'qwen3',
    paramsB: 8.2,
    formatId: 'qwen3',
    toolCalling: 'native',
    reasoning: 'toggle',
    thinkingDefault: true,
    notes: 'Strongest Qwen3 here; needs about 6–7 GB of GPU memory.',
  },

  // Qwen3.5 (February–March 2026): hybrid thinking with a per-size default; XML tool calls. Hugging
  // Face's counts include the vision encoder (about 0.9B, 2.3B, 5B, 10B); whether the MLC builds carry
  // it is not known here, so paramsB is the size in the name and the download estimate may be low.
  'Qwen3.5-0.8B': {
    displayName: 'Qwen3.5 0.8B',
    family: 'qwen3.5',
    paramsB: 0.8,
    formatId: 'qwen3.5',
    toolCalling: 'native',
    // Its card: "operates in non-thinking mode by default".
    reasoning: 'toggle',
    thinkingDefault: false,
    notes: 'Smallest Qwen3.5; fine for a single obvious call. Calls are written as XML, not JSON.',
  },
  'Qwen3.5-2B': {
    displayName: 'Qwen3.5 2B',
    family: 'qwen3.5',
    paramsB: 2,
    formatId: 'qwen3.5',
    toolCalling: 'native',
    // Non-thinking by default per third-party copies of its template (not read first-hand).
    reasoning: 'toggle',
    thinkingDefault: false,
    notes: 'Small newer Qwen with XML calls; about 2.2–2.6 GB of GPU memory.',
  },
  'Qwen3.5-4B': {
    displayName: 'Qwen3.5 4B',
    family: 'qwen3.5',
    paramsB: 4,
    formatId: 'qwen3.5',
    toolCalling: 'native',
    // Its template thinks unless `enable_thinking` is false.
    reasoning: 'toggle',
    thinkingDefault: true,
    notes: 'Strong for its size; thinks at length by default, so answers take longer.',
  },
  'Qwen3.5-9B': {
    displayName: 'Qwen3.5 9B',
    family: 'qwen3.5',
    paramsB: 9,
    formatId: 'qwen3.5',
    toolCalling: 'native',
    // UNCONFIRMED: no copy of the 9B template was readable. On, because the 4B template (the nearest
    // size) thinks by default and only the two smallest sizes were documented as non-thinking; one
    // LM Studio report says off. The formats build the prompt explicitly either way, so a wrong
    // guess only changes where the switch starts, not what the model is sent.
    reasoning: 'toggle',
    thinkingDefault: true,
    notes: 'Strongest model in the catalog on paper; needs about 6.5–7.5 GB of GPU memory.',
  },

  'gemma-4-E2B-it': {
    // "E2B" = 2.3B effective parameters per token, but the per-layer embeddings are downloaded too:
    // llama.cpp counts 4.65B in the text-only weights, which matches Google's 2.58 GB LiteRT file.
    displayName: 'Gemma 4 E2B',
    family: 'gemma4',
    paramsB: 4.65,
    formatId: 'gemma4',
    toolCalling: 'native',
    // Thinks only when the system turn starts with <|think|>.
    reasoning: 'toggle',
    thinkingDefault: false,
    notes:
      "Google's on-device model with its own call syntax; 2.3B effective parameters, about 3.4–3.9 GB of GPU memory.",
  },

  'Ministral-3-3B-Instruct-2512-BF16': {
    // 3.4B language model; the card's 0.4B vision encoder is not used here.
    displayName: 'Ministral 3 3B Instruct',
    family: 'ministral3',
    paramsB: 3.4,
    formatId: 'mistral-v13',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: "Mistral's small model (December 2025) with [TOOL_CALLS] control tokens; answers without a thinking step.",
  },
  'Ministral-3-3B-Reasoning-2512': {
    displayName: 'Ministral 3 3B Reasoning',
    family: 'ministral3',
    paramsB: 3.4,
    formatId: 'mistral-v13',
    toolCalling: 'native',
    // Trained to write [THINK]…[/THINK] before every answer; there is no switch.
    reasoning: 'always',
    notes: 'The same model tuned to reason first: slower, better at multi-step requests.',
  },

  'Phi-4-mini-instruct': {
    displayName: 'Phi-4 mini Instruct',
    family: 'phi4',
    paramsB: 3.8,
    formatId: 'phi4-mini',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: "Microsoft's 3.8B model with function calling in its card; the card defines no format for results.",
  },

  'SmolLM2-1.7B-Instruct': {
    displayName: 'SmolLM2 1.7B Instruct',
    family: 'smollm2',
    paramsB: 1.7,
    formatId: 'smollm2',
    toolCalling: 'native',
    ...NO_REASONING,
    notes: "Hugging Face's small model, fine-tuned with function-calling data; weaker at calls than Qwen of its size.",
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
