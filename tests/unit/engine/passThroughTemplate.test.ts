/**
 * Proves with web-llm 0.2.86's OWN code that the pass-through conv_config makes a one-message chat
 * request reach the model as exactly our prompt text, like `completions.create({prompt})`.
 *
 * web-llm exports neither Conversation nor getConversation, so the real objects are reached through
 * MLCEngine's `preparePrefillInput` (the first step of every chat and completion request), given a
 * recording stand-in for the GPU pipeline: web-llm builds the Conversation from the chat config
 * (`getConversation(conv_template, conv_config)`) and hands it to `setConversation`. The test then
 * does what the pipeline's `forwardPrefill` + `getInputData` do with it (three lines of web-llm, copied
 * here: append the message, append the assistant reply header, prefix `system_prefix_token_ids` and
 * render `getPromptArray`) — the rendering itself, and the merge of template and config, are web-llm's.
 */
import { describe, expect, it } from 'vitest';
import { MLCEngine, prebuiltAppConfig, type ChatOptions } from '@mlc-ai/web-llm';
import { chatOptionsFor, PASS_THROUGH_CONV_CONFIG } from '../../../src/engine/passThroughTemplate.ts';
import { rawPromptMessages } from '../../../src/engine/promptReuse.ts';

/** web-llm's ChatConfig (not exported; ChatOptions is its Partial). */
type ChatConfig = ChatOptions & { conv_template: NonNullable<ChatOptions['conv_template']> };

/** What web-llm's Conversation offers that this test uses (the class is not exported). */
interface WebLlmConversation {
  isTextCompletion: boolean;
  prompt: string | undefined;
  config: { system_prefix_token_ids?: number[] };
  appendMessage(role: string, message: string, roleName?: string): void;
  appendReplyHeader(role: string): void;
  getPromptArray(config?: ChatConfig): (string | unknown[])[];
  getPromptArrayLastRound(config?: ChatConfig): (string | unknown[])[];
  getPromptArrayTextCompletion(): string[];
  getArtifactPromptSegments(): unknown[];
  getStopStr(): string[];
  getStopTokens(): number[];
  finishReply(message: string): void;
}

interface PrefillInput {
  inputStr: string;
  lastMsgRole: string;
  inputRoleStr?: string;
}

/** MLCEngine's method (public in the shipped JS, left out of its .d.ts). */
interface EngineInternals {
  preparePrefillInput(input: object, pipeline: object, chatConfig: ChatConfig): PrefillInput;
}

/**
 * mlc-llm's `llama-2` conversation template (python/mlc_llm/conversation_template/llama.py), as an
 * mlc-chat-config.json carries it: a default system message, role templates, the BOS as
 * system_prefix_token_ids, and its stop tokens. Every field the pass-through must neutralise is set.
 */
const LLAMA2_TEMPLATE: ChatConfig['conv_template'] = {
  system_template: '[INST] <<SYS>>\n{system_message}\n<</SYS>>\n\n',
  system_message: 'You are a helpful, respectful and honest assistant.',
  roles: { user: '[INST]', assistant: '[/INST]', tool: '[INST]' },
  role_templates: {
    user: '{user_message}',
    assistant: '{assistant_message}',
    tool: '{tool_message}',
  },
  seps: [' ', ' </s>'],
  role_content_sep: ' ',
  role_empty_sep: ' ',
  stop_str: ['[INST]'],
  system_prefix_token_ids: [1],
  stop_token_ids: [2],
  add_role_after_system_message: false,
};

/** mlc-llm's `mistral_default`: another shape (empty role_empty_sep, no role templates). */
const MISTRAL_TEMPLATE: ChatConfig['conv_template'] = {
  system_template: '[INST] {system_message}',
  system_message: 'Always assist with care, respect, and truth.',
  roles: { user: '[INST]', assistant: '[/INST]', tool: '[INST]' },
  seps: [' '],
  role_content_sep: ' ',
  role_empty_sep: '',
  stop_str: ['</s>'],
  system_prefix_token_ids: [1],
  stop_token_ids: [2],
  add_role_after_system_message: false,
};

/** The chat config web-llm's reloadInternal builds: `{...mlc-chat-config.json, ...overrides, ...chatOpts}`. */
function loadedChatConfig(template: ChatConfig['conv_template'], chatOpts: ChatOptions | undefined): ChatConfig {
  const fromFile = {
    tokenizer_files: ['tokenizer.json'],
    vocab_size: 32000,
    conv_template: template,
    context_window_size: 4096,
  };
  return { ...fromFile, ...chatOpts };
}

type Input = { messages: { role: 'user'; content: string }[] } | { prompt: string };

/**
 * Runs a request's prefill preparation in web-llm and returns what the model would be fed. `before`
 * is the request the pipeline answered last (a loaded pipeline always holds some conversation; an
 * earlier chat answer must not leak into the next prompt through web-llm's KV-cache reuse).
 */
function whatTheModelReads(chatConfig: ChatConfig, input: Input, before: Input = { prompt: 'an earlier request' }) {
  const engine = new MLCEngine({ appConfig: prebuiltAppConfig }) as unknown as EngineInternals;
  let conversation: WebLlmConversation | undefined;
  const pipeline = {
    getConversationObject: () => conversation,
    getFinishReason: () => undefined,
    resetChat: () => undefined,
    setConversation: (c: WebLlmConversation) => {
      conversation = c;
    },
  };
  // A loaded pipeline always holds a conversation; a text completion builds one from nothing.
  engine.preparePrefillInput({ prompt: 'loaded' }, pipeline, chatConfig);
  const earlier = engine.preparePrefillInput(before, pipeline, chatConfig);
  if (conversation && !conversation.isTextCompletion) {
    conversation.appendMessage(earlier.lastMsgRole, earlier.inputStr, earlier.inputRoleStr);
    conversation.appendReplyHeader('assistant');
    conversation.finishReply('an earlier answer');
  }
  const { inputStr, lastMsgRole, inputRoleStr } = engine.preparePrefillInput(input, pipeline, chatConfig);
  if (!conversation) throw new Error('web-llm built no conversation');
  const conv = conversation;
  // LLMChatPipeline.forwardPrefill + getInputData (web-llm 0.2.86, lib/index.js), on a fresh KV cache.
  if (conv.isTextCompletion) {
    conv.prompt = inputStr;
    return { prefix: [], pieces: conv.getPromptArrayTextCompletion(), conv };
  }
  conv.appendMessage(lastMsgRole, inputStr, inputRoleStr);
  conv.appendReplyHeader('assistant');
  const prefix = conv.config.system_prefix_token_ids ?? [];
  const pieces = conv.getPromptArray(chatConfig).map((p) => {
    if (typeof p !== 'string') throw new Error('a text-only request rendered a multimodal piece');
    return p;
  });
  return { prefix, pieces, conv };
}

/** Raw prompts as our formats write them, plus text that String.replace or templates would mangle. */
const PROMPTS = [
  '<s>[INST] Weather in Paris?[/INST]',
  '<s><FUNCTIONS>{\n    "function": "get_weather"\n}</FUNCTIONS>\n\n[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello </s><s>[INST] And Rome? [/INST]',
  '<s>[AVAILABLE_TOOLS] [{"type": "function"}][/AVAILABLE_TOOLS][INST] Hi[/INST]',
  'no BOS, trailing space and newline \n',
  "placeholders {user_message} {system_message} {function_string} {tool_message} and $& $1 $` $' $$",
];

describe.each([
  ['llama-2', LLAMA2_TEMPLATE],
  ['mistral_default', MISTRAL_TEMPLATE],
])('pass-through conv_config over the %s template', (_name, template) => {
  const chatConfig = loadedChatConfig(template, chatOptionsFor('raw'));

  it.each(PROMPTS)('renders one user message as exactly its text, with no BOS added: %j', (prompt) => {
    const { prefix, pieces } = whatTheModelReads(chatConfig, { messages: [{ role: 'user', content: prompt }] });
    expect(prefix).toEqual([]);
    expect(pieces.join('')).toBe(prompt);
    // Tokenized piece by piece: the only non-empty piece is the prompt, so the ids are encode(prompt).
    expect(pieces.filter((p) => p !== '')).toEqual([prompt]);
  });

  it('starts from a fresh conversation after an earlier chat request (no history, no KV reuse)', () => {
    const earlier = { messages: [{ role: 'user' as const, content: '<s>[INST] first [/INST]' }] };
    const { prefix, pieces } = whatTheModelReads(
      chatConfig,
      { messages: [{ role: 'user', content: 'second' }] },
      earlier,
    );
    expect(prefix).toEqual([]);
    expect(pieces.filter((p) => p !== '')).toEqual(['second']);
  });

  it('feeds the model what the completion API feeds it for the same prompt', () => {
    const prompt = PROMPTS[1] ?? '';
    const chat = whatTheModelReads(chatConfig, { messages: [{ role: 'user', content: prompt }] });
    const completion = whatTheModelReads(chatConfig, { prompt });
    expect(completion.pieces).toEqual([prompt]);
    expect(chat.pieces.filter((p) => p !== '')).toEqual(completion.pieces);
    expect(chat.prefix).toEqual(completion.prefix);
  });

  it('renders the same on the artifact-manifest prompt path', () => {
    const prompt = PROMPTS[4] ?? '';
    const { conv } = whatTheModelReads(chatConfig, { messages: [{ role: 'user', content: prompt }] });
    expect(conv.getArtifactPromptSegments().filter((s) => s !== '')).toEqual([prompt]);
  });

  it('keeps the KV cache for a raw prompt that extends the previous one and its answer (promptReuse.ts)', () => {
    const engine = new MLCEngine({ appConfig: prebuiltAppConfig }) as unknown as EngineInternals;
    let conversation: WebLlmConversation | undefined;
    let resets = 0;
    const pipeline = {
      getConversationObject: () => conversation,
      getFinishReason: () => 'stop',
      resetChat: () => {
        resets++;
      },
      setConversation: (c: WebLlmConversation) => {
        conversation = c;
      },
    };
    const first = PROMPTS[0] ?? '';
    const answer = ' It is sunny.';
    const sent = rawPromptMessages(undefined, first);
    expect(sent).toEqual([{ role: 'user', content: first }]);
    // A loaded pipeline always holds a conversation; a text completion builds one from nothing.
    engine.preparePrefillInput({ prompt: 'loaded' }, pipeline, chatConfig);
    const r1 = engine.preparePrefillInput({ messages: sent }, pipeline, chatConfig);
    if (!conversation) throw new Error('web-llm built no conversation');
    // What the pipeline does with the first request: prefill it, then record the answer it generated.
    conversation.appendMessage(r1.lastMsgRole, r1.inputStr, r1.inputRoleStr);
    conversation.appendReplyHeader('assistant');
    conversation.finishReply(answer);
    const resetsBefore = resets;

    const next = `${first}${answer} </s><s>[INST] And Rome?[/INST]`;
    const history = rawPromptMessages(
      { messages: [...sent, { role: 'assistant', content: answer }], tokens: 20 },
      next,
    );
    expect(history.at(-1)).toEqual({ role: 'user', content: ' </s><s>[INST] And Rome?[/INST]' });
    const r2 = engine.preparePrefillInput({ messages: history }, pipeline, chatConfig);
    expect(resets).toBe(resetsBefore); // web-llm's multi-round rule: the cache is kept
    conversation.appendMessage(r2.lastMsgRole, r2.inputStr, r2.inputRoleStr);
    conversation.appendReplyHeader('assistant');
    const text = (pieces: (string | unknown[])[]) => pieces.map((p) => (typeof p === 'string' ? p : '')).join('');
    // Only the new text is read; a fresh cache would read exactly the whole prompt.
    expect(text(conversation.getPromptArrayLastRound(chatConfig))).toBe(' </s><s>[INST] And Rome?[/INST]');
    expect(text(conversation.getPromptArray(chatConfig))).toBe(next);
    // A prompt that does not extend the previous one and its answer is sent whole, as one message.
    expect(
      rawPromptMessages({ messages: [...sent, { role: 'assistant', content: answer }], tokens: 20 }, first),
    ).toEqual(sent);
  });

  it("keeps the model's own stop tokens and stop strings", () => {
    const { conv } = whatTheModelReads(chatConfig, { messages: [{ role: 'user', content: 'x' }] });
    expect(conv.getStopTokens()).toEqual(template.stop_token_ids);
    expect(conv.getStopStr()).toEqual(template.stop_str);
  });

  it('changes nothing for a model loaded with its template (control)', () => {
    const { prefix, pieces } = whatTheModelReads(loadedChatConfig(template, chatOptionsFor('template')), {
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(prefix).toEqual([1]);
    expect(pieces.join('')).not.toBe('Hi');
  });
});

describe('chatOptionsFor', () => {
  it('gives reload a conv_config override for raw prompts only, never a whole conv_template', () => {
    expect(chatOptionsFor('raw')).toEqual({ conv_config: { ...PASS_THROUGH_CONV_CONFIG } });
    expect(chatOptionsFor('raw')).not.toHaveProperty('conv_template');
    expect(PASS_THROUGH_CONV_CONFIG).not.toHaveProperty('stop_token_ids');
    expect(PASS_THROUGH_CONV_CONFIG).not.toHaveProperty('stop_str');
    expect(chatOptionsFor('template')).toBeUndefined();
    expect(chatOptionsFor(undefined)).toBeUndefined();
  });
});
