/**
 * What a prompt format declares about how its model writes: where calls open and close and what
 * shape sits inside, where reasoning is, which strings end generation, and the BOS its raw prompts
 * spell out. Data only (no logic), so the final parser (parse/findCalls.ts), the streaming preview
 * (parse/previewCalls.ts) and the grammar builder (grammar/buildToolConstraint.ts) all read the
 * same declaration, and adding a model family that writes calls in a known shape is one new format
 * file. A new *shape* also needs its reader in parse/bodies/ and a grammar in grammar/.
 *
 * The parser reads the union of every format's call contexts and reasoning markers whatever format
 * was used (a model can drift between styles, and a custom model's template may be unknown); the
 * selected format only adds certainty, through the answer prefix its prompt wrote (BuiltPrompt).
 */
import type { ToolCallSyntax } from '../grammar/buildToolConstraint.ts';

/**
 * The shape of the text inside a call context:
 * - `json`: one JSON call object or a JSON list of them, in any shape normalizeCall reads
 *   (`{"name", "arguments"}`, `{"function", …}`, `{"name", "parameters"}`…), or pythonic `f(a=1)`;
 * - `function-tag`: `<function=name>` then a JSON object (Llama 3.1 custom tools) or XML parameters
 *   `<parameter=key>\nvalue\n</parameter>` (Qwen3-Coder / Qwen3.5), closed by `</function>`;
 * - `gemma`: `call:name{key:<|"|>text<|"|>,n:1}` (Gemma 4);
 * - `mistral-args`: `name[ARGS]{…}` or `name[CALL_ID]id[ARGS]{…}` (Mistral tokenizer v11/v13).
 */
export type CallBodyKind = 'json' | 'function-tag' | 'gemma' | 'mistral-args';

/** One way calls are delimited: everything between `open` and the first of `close` is meant as calls. */
export interface CallContextSyntax {
  open: string;
  /** Closing strings; one that is also an opener (Mistral v13's repeated `[TOOL_CALLS]`) is left for the next call. */
  close: readonly string[];
  /** The shapes that may appear inside, tried in this order (the last one is the fallback). */
  bodies: readonly CallBodyKind[];
}

/** A reasoning block: never parsed for calls, shown apart as "Thinking", kept out of later prompts as the template does. */
export interface ReasoningMarkers {
  open: string;
  close: string;
}

/** Whether (and how) the user can switch a model's reasoning on and off for a conversation. */
export interface ThinkingSupport {
  /** The prompt can switch it: `enable_thinking`-style templates (Qwen3, Qwen3.5, Gemma 4). */
  switchable: boolean;
  /** Used when the conversation has not chosen. */
  defaultOn: boolean;
}

export interface FormatSyntax {
  /** Call contexts (tags). Shapes that need no tag (bare JSON, fenced JSON, pythonic) are read everywhere. */
  calls: readonly CallContextSyntax[];
  /** How the grammar builder writes and constrains this format's calls (tool_choice); absent: never constrained. */
  constraint?: ToolCallSyntax;
  reasoning?: ReasoningMarkers;
  thinking?: ThinkingSupport;
  /** Strings that end a generation (raw prompts; chat-API formats get the model template's own). */
  stop: readonly string[];
  /** The BOS text a raw prompt starts with ('' when the model uses none, or web-llm's template adds it). */
  bos: string;
}
