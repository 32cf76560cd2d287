/**
 * The chat options that make web-llm's CHAT API send a prompt we rendered ourselves byte for byte,
 * so raw prompts (Trelis, Mistral v0.3…) can carry a `response_format` (grammar), which web-llm's
 * completion API does not accept (issue 10 §3).
 *
 * How web-llm 0.2.86 turns a chat request into text (lib/index.js, read for this module):
 * - `reloadInternal` builds the model's chat config as `{...mlc-chat-config.json, ...record.overrides,
 *   ...chatOpts}`: a SHALLOW merge, so `chatOpts.conv_template` would replace the model's template
 *   wholesale (and with it the model's `stop_token_ids` / `stop_str`).
 * - Every Conversation is built by `getConversation(conv_template, conv_config)`, which is
 *   `new Conversation({...conv_template, ...conv_config})`: `conv_config` overrides the template
 *   FIELD BY FIELD. So we pass our fields as `chatOpts.conv_config` and leave `stop_token_ids` and
 *   `stop_str` out: generation stops exactly where the model's own template says, with no need to read
 *   its mlc-chat-config.json first. (A model config that itself carried a `conv_config` would have it
 *   replaced by ours; MLC's configs carry none.)
 * - `getPromptArray` renders: the system prompt (`system_template` with `{system_message}` replaced)
 *   unless it is '', then per message `role + role_content_sep + text + seps[i]` (the text goes
 *   through `role_templates[role].replace(…)` only when role_templates has that role — a
 *   String.replace, where `$&` in our prompt would be rewritten, hence no role templates at all),
 *   then the reply header `role + role_empty_sep` (a `role_empty_sep` of '' is kept, not defaulted).
 * - `getInputData` prepends `system_prefix_token_ids` (the BOS of Llama/Mistral templates) on a fresh
 *   KV cache and encodes each rendered piece with the tokenizer, which adds no special tokens.
 *   Our raw prompts spell out their own BOS (`<s>`), so the prefix must be empty.
 * - A request whose history (all but its last message) differs from the cached conversation resets
 *   the KV cache; a request with ONE user message has an empty history, so it always starts fresh,
 *   like the completion API.
 *
 * With this config, `messages: [{role: 'user', content: prompt}]` renders the pieces `[prompt, '']`
 * (message, empty reply header): the model reads exactly `tokenizer.encode(prompt)`, the same ids as
 * `completions.create({prompt})`. tests/unit/engine/passThroughTemplate.test.ts proves it with
 * web-llm's own Conversation code.
 */
import type { ChatOptions } from '@mlc-ai/web-llm';
import type { PromptRendering } from './engine.ts';

type ConvConfig = NonNullable<ChatOptions['conv_config']>;

/** The conversation fields that make a chat request render as its user message's text, and nothing else. */
export const PASS_THROUGH_CONV_CONFIG: Readonly<ConvConfig> = Object.freeze({
  // No system prompt: '' renders nothing (getPromptArray skips an empty system prompt).
  system_template: '{system_message}',
  system_message: '',
  render_empty_system_message: false,
  // Empty role names and separators: nothing around the message, nothing after the reply header.
  roles: { user: '', assistant: '', tool: '' },
  role_content_sep: '',
  role_empty_sep: '',
  // getPromptArray throws on an empty list ("Need seps to work"); one empty separator adds nothing.
  seps: [''],
  // No role templates: the text is used as-is, never through String.replace.
  role_templates: {},
  add_role_after_system_message: true,
  // The prompt spells out its own BOS; web-llm must not add the template's.
  system_prefix_token_ids: [],
} satisfies ConvConfig);

/** The chat options `reload` gets for a model whose prompts we render ourselves; none otherwise. */
export function chatOptionsFor(rendering: PromptRendering | undefined): ChatOptions | undefined {
  return rendering === 'raw' ? { conv_config: { ...PASS_THROUGH_CONV_CONFIG } } : undefined;
}
