/**
 * The app's chat as the UI sees it: a reactive view over the chat core (lib/chat/chatSession.ts),
 * which sends, reduces the loop's events into the conversation's messages, stops, and decides what a
 * failed or stopped answer leaves for the next prompt — the same code the widget runs.
 *
 * What stays here is the app's own: the conversation store (the messages are the conversation's
 * `$state` proxy, saved as they change), the settings, the conversation's options (system prompt,
 * tool choice, thinking), and stopping the answer when its conversation is deleted (nobody would see
 * it, and it would hold the engine). Dependencies come in as getters, so tests can run the class with
 * a scripted generator.
 */
import type { PromptFormat } from '../../lib/formats/promptFormat.ts';
import type { FormatId } from '../../lib/formats/index.ts';
import type { runAgent, RunAgentOptions } from '../../lib/agent/runAgent.ts';
import type { SizeLimits } from '../../lib/agent/sizeLimits.ts';
import { ChatSession, type ChatReady, type ReplyProgress } from '../../lib/chat/chatSession.ts';
import type { Conversation } from '../persistence/conversation.ts';
import type { AssistantMessage } from './chatMessages.ts';
import type { ConversationsState } from './conversations.svelte.ts';
import type { SettingsState } from './settings.svelte.ts';

export interface ChatDeps {
  /** The generator, or a sentence saying why the user cannot send yet. */
  readiness: () => ({ formatId: FormatId } & Omit<ChatReady, 'format'>) | { blocked: string };
  format: (id: FormatId) => PromptFormat;
  registry: () => RunAgentOptions['registry'];
  settings: SettingsState;
  conversations: ConversationsState;
  /** Asks the user before a function marked `confirm` runs (state/consent.svelte.ts); without it they are declined. */
  confirmCall?: RunAgentOptions['confirmCall'];
  run?: typeof runAgent;
  /** How long the model may stay silent before the reply says so (the chat core's default otherwise). */
  stallAfterMs?: () => number;
  /** Restarts the engine with the same model (state/engine.svelte.ts restartEngine). */
  restartEngine?: () => Promise<void>;
}

export class ChatState {
  readonly #deps: ChatDeps;
  readonly #session: ChatSession;
  #running = $state<{ conversationId: string; messageId: string } | null>(null);
  #progress = $state.raw<ReplyProgress | null>(null);
  /** The conversation the session is answering in (its save callbacks need it). */
  #conversation: Conversation | null = null;

  constructor(deps: ChatDeps) {
    this.#deps = deps;
    const { conversations, settings } = deps;
    this.#session = new ChatSession({
      readiness: () => {
        const r = deps.readiness();
        if ('blocked' in r) return r;
        const { formatId, ...rest } = r;
        return { ...rest, format: deps.format(formatId) };
      },
      registry: deps.registry,
      generation: () => ({
        temperature: settings.temperature,
        maxTokens: settings.maxTokens,
        maxCalls: settings.maxCalls,
      }),
      ...(deps.confirmCall ? { confirmCall: deps.confirmCall } : {}),
      ...(deps.run ? { run: deps.run } : {}),
      ...(deps.stallAfterMs ? { stallAfterMs: deps.stallAfterMs } : {}),
      ...(deps.restartEngine ? { restartEngine: deps.restartEngine } : {}),
      progress: (progress) => {
        this.#progress = progress;
      },
      changed: () => {
        if (this.#conversation) conversations.scheduleSave(this.#conversation);
      },
      save: async () => {
        if (this.#conversation) await conversations.flush(this.#conversation);
      },
      running: (messageId) => {
        this.#running =
          messageId !== null && this.#conversation ? { conversationId: this.#conversation.id, messageId } : null;
      },
    });
    conversations.onRemove((id) => {
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
  /** What the running reply waits on (a stopped generation, a silent model), or null. */
  get progress(): ReplyProgress | null {
    return this.#progress;
  }
  /** Why the composer is disabled, or null when a message can be sent. */
  get blockedReason(): string | null {
    const r = this.#deps.readiness();
    return 'blocked' in r ? r.blocked : null;
  }

  /** Size limits for the loaded model (lib/agent/sizeLimits.ts); the catalog's 4,096-token window before one is loaded. */
  get limits(): SizeLimits {
    return this.#session.limits;
  }

  /**
   * Sends a user message in `conversation` and runs the agent loop to its end (lib/chat/chatSession.ts).
   * @returns the assistant message (also in the conversation), or null when nothing was sent.
   */
  async send(conversation: Conversation, text: string): Promise<AssistantMessage | null> {
    if (this.#session.busy) return null;
    this.#conversation = conversation;
    try {
      return await this.#session.send(conversation.messages, text, {
        system: conversation.system,
        toolChoice: $state.snapshot(conversation.toolChoice),
        ...(conversation.thinking !== undefined ? { thinking: conversation.thinking } : {}),
        started: (ready) => {
          this.#deps.conversations.nameFromFirstMessage(conversation, text.trim());
          conversation.modelId = ready.modelId;
          conversation.formatId = ready.format.id;
        },
      });
    } finally {
      this.#conversation = null;
    }
  }

  /** Stops the running answer; what was generated so far is kept and marked stopped. */
  stop(): void {
    this.#session.stop();
  }

  /** Stops the running answer and restarts the engine (a hung one); every message is kept. */
  restartEngine(): Promise<void> {
    return this.#session.restartEngine();
  }
}
