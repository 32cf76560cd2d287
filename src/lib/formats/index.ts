/**
 * The prompt formats, one per model family (catalog format ids). Each module says at its top whether
 * it uses web-llm's raw completion API (exact template text; constrained only on a model loaded for
 * raw prompts, see promptFormat.ts) or its chat API (the model's own template; tool_choice enforced
 * by a grammar).
 */
import { gemma4Format } from './gemma4Format.ts';
import { genericFormat } from './genericFormat.ts';
import { hermesFormat } from './hermesFormat.ts';
import { llama32PythonicFormat } from './llama32PythonicFormat.ts';
import { llama3JsonFormat } from './llama3JsonFormat.ts';
import { mistralV13Format } from './mistralV13Format.ts';
import { mistralV3Format } from './mistralV3Format.ts';
import { phi4MiniFormat } from './phi4MiniFormat.ts';
import { smollm2Format } from './smollm2Format.ts';
import type { BuiltInPromptFormat, FormatId } from './promptFormat.ts';
import { qwen3Format } from './qwen3Format.ts';
import { qwen35Format } from './qwen35Format.ts';
import { trelisV2Format } from './trelisV2Format.ts';
import { trelisV3Format } from './trelisV3Format.ts';

export type { BuiltInPromptFormat, FormatId, PromptContext, BuiltPrompt, PromptFormat } from './promptFormat.ts';
export { FORMAT_IDS, isFormatId } from './promptFormat.ts';

export const promptFormats: readonly BuiltInPromptFormat[] = [
  trelisV2Format,
  trelisV3Format,
  hermesFormat,
  llama3JsonFormat,
  llama32PythonicFormat,
  mistralV3Format,
  qwen3Format,
  qwen35Format,
  gemma4Format,
  mistralV13Format,
  phi4MiniFormat,
  smollm2Format,
  genericFormat,
];

const byId = new Map<FormatId, BuiltInPromptFormat>(promptFormats.map((f) => [f.id, f]));

/** Every FormatId has a format (checked by the tests), so this never returns undefined. */
export function getPromptFormat(id: FormatId): BuiltInPromptFormat {
  const format = byId.get(id);
  // Unreachable for a FormatId; a plain string that slipped through a cast fails loudly here.
  if (!format) throw new RangeError(`Unknown prompt format "${id}"`);
  return format;
}
