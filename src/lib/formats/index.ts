export type { FormatId, PromptContext, BuiltPrompt, PromptFormat } from './promptFormat.ts';
export { FORMAT_IDS, isFormatId } from './promptFormat.ts';
