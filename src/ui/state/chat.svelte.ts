/**
 * The chat loop as the UI sees it: sends a user message through the agent loop, turns its events into
 * message state (chatMessages.ts does the mapping) and stops it on request.
 *
 * Design:
 * - One turn at a time, app-wide: the engine generates one answer at a time.
 * - The assistant message is pushed into the conversation's `$state` proxy first and then mutated by
 *   each event, so the UI updates per event and the conversation store saves it as it changes.
 * - Stop aborts the AbortSignal; runAgent turns that into engine.interrupt() and ends with 'aborted',
 *   keeping the partial answer. `stop()` also interrupts directly, so the engine stops even if the loop
 *   is between two awaits. Deleting the conversation an answer streams into stops it too: nobody
 *   would see it, and it would hold the engine.
 * - Dependencies come in as getters, so tests can run the class with a scripted generator.
 */
import type { TextGenerator } from '../../lib/types/generation.ts';
import type { PromptFormat } from '../../lib/formats/promptFormat.ts';
import type { FormatId } from '../../lib/formats/index.ts';
import { runAgent, type RunAgentOptions } from '../../lib/agent/runAgent.ts';
import { DEFAULT_CONTEXT_WINDOW, sizeLimits, userMessageTooLong, type SizeLimits } from '../../lib/agent/sizeLimits.ts';
import type { Conversation } from '../persistence/conversation.ts';
import {
  applyAgentEvent,
  failAssistant,
  finishAssistant,
  historyTurns,
  newAssistantMessage,
  newUserMessage,
  type AssistantMessage,
} from './chatMessages.ts';
import type { ConversationsState } from './conversations.svelte.ts';
import type { SettingsState } from './settings.svelte.ts';
import { thinkingFor } from './thinkingChoice.ts';

export interface ChatDeps {
  /** The generator, or a sentence saying why the user cannot send yet. */
  readiness: () =>
    | {
        generator: TextGenerator;
        modelId: string;
        formatId: FormatId;
        /** The loaded model's context window in tokens (default DEFAULT_CONTEXT_WINDOW). */
        contextWindow?: number;
        /** The loaded model's tokenizer, for fitting prompts into the context window. */
        countTokens?: (text: string) => Promise<number>;
        /** The model was loaded for raw prompts, so raw-prompt formats can be grammar-constrained. */
        canConstrainRaw?: boolean;
        /** The catalog model's thinking default, used when the conversation has not chosen (thinkingChoice.ts). */
        thinkingDefault?: boolean;
      }
    | { blocked: string };
  format: (id: FormatId) => PromptFormat;
  registry: () => RunAgentOptions['registry'];
  settings: SettingsState;
  conversations: ConversationsState;
  /** Asks the user before a function marked `confirm` runs (state/consent.svelte.ts); without it they are declined. */
  confirmCall?: RunAgentOptions['confirmCall'];
  run?: typeof runAgent;
}

export class ChatState {
  readonly #deps: ChatDeps;
  #running = $state<{ conversationId: string; messageId: string } | null>(null);
  #controller: AbortController | null = null;
  #generator: TextGenerator | null = null;

  constructor(deps: ChatDeps) {
    this.#deps = deps;
    deps.conversations.onRemove((id) => {
      if (this.#running?.conversationId === id) this.stop();
    });
  }

  /** Whether an answer is being produced (in any conversation). */
  get running(): boolean {
    return this.#running !== null;
  }
  /** The id of the assistant message being produced. */
  get runningMessageId(): string | null {
    return this.#running?.messageId ?? null;
  }
  /** Why the composer is disabled, or null when a message can be sent. */
  get blockedReason(): string | null {
    const r = this.#deps.readiness();
    return 'blocked' in r ? r.blocked : null;
  }

  /** Size limits for the loaded model (lib/agent/sizeLimits.ts); the catalog's 4,096-token window before one is loaded. */
  get limits(): SizeLimits {
    const r = this.#deps.readiness();
    return sizeLimits('blocked' in r ? DEFAULT_CONTEXT_WINDOW : r.contextWindow);
  }

  /**
   * Sends a user message in `conversation` and runs the agent loop to its end. A message over the
   * size limit is refused here too (the composer says why first), so it never reaches the model.
   * @returns the assistant message (also in the conversation), or null when nothing was sent.
   */
  async send(conversation: Conversation, text: string): Promise<AssistantMessage | null> {
    const content = text.trim();
    const ready = this.#deps.readiness();
    if (content === '' || this.#running || 'blocked' in ready) return null;
    if (userMessageTooLong(content, sizeLimits(ready.contextWindow)) !== null) return null;
    const { conversations, settings } = this.#deps;

    const turns = [...historyTurns(conversation.messages), { role: 'user' as const, content }];
    conversation.messages.push(newUserMessage(content));
    conversations.nameFromFirstMessage(conversation, content);
    const format = this.#deps.format(ready.formatId);
    const thinking = thinkingFor(conversation.thinking, ready.thinkingDefault);
    // Recorded (and shown by the inspector) only where the format can switch it: others ignore it.
    const asked = thinking !== undefined && format.syntax.thinking?.switchable === true ? { thinking } : {};
    conversation.messages.push(newAssistantMessage({ modelId: ready.modelId, formatId: ready.formatId, ...asked }));
    conversation.modelId = ready.modelId;
    conversation.formatId = ready.formatId;
    // Read it back through the proxy: mutations must go through it to reach the UI.
    const message = conversation.messages.at(-1) as AssistantMessage;
    void conversations.flush(conversation);

    const registry = this.#deps.registry();
    // The offered functions, once per turn: the live call preview of every delta needs their names.
    const functions = registry.specs();
    const controller = new AbortController();
    this.#controller = controller;
    this.#generator = ready.generator;
    this.#running = { conversationId: conversation.id, messageId: message.id };
    try {
      const outcome = await (this.#deps.run ?? runAgent)({
        generator: ready.generator,
        format,
        registry,
        turns,
        ...(conversation.system.trim() ? { system: conversation.system } : {}),
        toolChoice: $state.snapshot(conversation.toolChoice),
        ...(thinking !== undefined ? { thinking } : {}),
        maxCalls: settings.maxCalls,
        ...(ready.canConstrainRaw ? { canConstrainRaw: true } : {}),
        ...(this.#deps.confirmCall ? { confirmCall: this.#deps.confirmCall } : {}),
        generation: { temperature: settings.temperature, maxTokens: settings.maxTokens },
        // Each prompt is fitted into the window; the conversation itself keeps every message.
        context: {
          windowTokens: ready.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
          ...(ready.countTokens ? { countTokens: ready.countTokens } : {}),
        },
        signal: controller.signal,
        onEvent: (event) => {
          applyAgentEvent(message, event, functions);
          conversations.scheduleSave(conversation);
        },
      });
      finishAssistant(message, outcome);
    } catch (e) {
      // runAgent promises never to reject; a bug or a broken format still must not lose the message.
      failAssistant(message, e);
    } finally {
      this.#running = null;
      this.#controller = null;
      this.#generator = null;
      await conversations.flush(conversation);
    }
    return message;
  }

  /** Stops the running answer; what was generated so far is kept and marked stopped. */
  stop(): void {
    this.#controller?.abort();
    this.#generator?.interrupt();
  }
}
