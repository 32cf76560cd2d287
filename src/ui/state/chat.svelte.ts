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
import { ChatSession, type ChatReady, type ReplyProgress, type SendOptions } from '../../lib/chat/chatSession.ts';
import { selectVersion } from '../../lib/chat/answerVersions.ts';
import type { Conversation } from '../persistence/conversation.ts';
import type { AssistantMessage, Message } from './chatMessages.ts';
import type { ConversationsState } from './conversations.svelte.ts';
import type { SettingsState } from './settings.svelte.ts';
import { animationFrames } from './frames.ts';

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
      frames: animationFrames,
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
    return this.#act(conversation, [], (messages, options) => this.#session.send(messages, text, options), text);
  }

  /**
   * Edit and resend: replaces user message `messageId` with `text`, drops what followed it and answers
   * it afresh (lib/chat/chatSession.ts). @returns the new answer, or null when nothing was sent
   */
  editAndResend(conversation: Conversation, messageId: string, text: string): Promise<AssistantMessage | null> {
    const at = conversation.messages.findIndex((m) => m.id === messageId);
    const dropped = at === -1 ? [] : conversation.messages.slice(at).map((m) => m.id);
    return this.#act(conversation, dropped, (messages, options) =>
      this.#session.editAndResend(messages, messageId, text, options),
    );
  }

  /** Regenerate: a new version of the last answer; the earlier one stays reachable (selectVersion). */
  regenerate(conversation: Conversation, messageId: string): Promise<AssistantMessage | null> {
    return this.#act(conversation, [messageId], (messages, options) =>
      this.#session.regenerate(messages, messageId, options),
    );
  }

  /** Continue: resumes the last answer where Stop or the token limit cut it (see canContinue). */
  continueAnswer(conversation: Conversation, messageId: string): Promise<AssistantMessage | null> {
    return this.#act(conversation, [messageId], (messages, options) =>
      this.#session.continueAnswer(messages, messageId, options),
    );
  }

  /** Whether `message` (the conversation's last) can be continued with the loaded model now. */
  canContinue(conversation: Conversation, message: AssistantMessage): boolean {
    return this.#session.canContinue(conversation.messages, message);
  }

  /** Shows version `index` of an answer; the next prompt reads that one. */
  selectVersion(conversation: Conversation, message: AssistantMessage, index: number): void {
    this.#deps.conversations.claim(conversation, [message.id]);
    selectVersion(message, index);
    void this.#deps.conversations.flush(conversation);
  }

  /**
   * Runs one action of the chat core in `conversation`, with its options. Messages the action changes
   * or drops although another tab wrote them are claimed first, so the merge writes this tab's change
   * (persistence/mergeConversation.ts).
   */
  async #act(
    conversation: Conversation,
    touched: string[],
    action: (messages: Message[], options: SendOptions) => Promise<AssistantMessage | null>,
    text?: string,
  ): Promise<AssistantMessage | null> {
    if (this.#session.busy) return null;
    this.#conversation = conversation;
    this.#deps.conversations.claim(conversation, touched);
    try {
      return await action(conversation.messages, {
        system: conversation.system,
        toolChoice: $state.snapshot(conversation.toolChoice),
        ...(conversation.thinking !== undefined ? { thinking: conversation.thinking } : {}),
        exclude: [...(conversation.functionsOff ?? [])],
        started: (ready) => {
          const first = text ?? conversation.messages.find((m) => m.role === 'user')?.content ?? '';
          this.#deps.conversations.nameFromFirstMessage(conversation, first.trim());
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
