/**
 * The widget's conversation: one engine, one model, and the functions it may call (the enabled
 * built-ins plus whatever the host registered). The chat itself is the app's chat core
 * (lib/chat/chatSession.ts) over a `$state` message array: sending, the loop's events, Stop, failed
 * replies (left out of the next prompt with their user message), context fitting and cut-off calls
 * behave as in the app by construction; embedItems.ts derives the compact list shown. Load failures
 * are worded, and a corrupt model deleted, by the app's code too (engine/loadFailure.ts).
 *
 * Decisions:
 * - Nothing is persisted: the widget lives inside someone else's page; a reload starts afresh.
 * - The registry is rebuilt for every user message, so host functions registered or removed while a
 *   reply runs take effect on the next message, never half-way through one.
 * - Model output is kept as text; the components never render it as HTML.
 * - The model loads lazily, with the first message (`prepare`), unless the visitor pressed Load. A
 *   visitor can type before it is loaded: the message waits (the reply is pending) while the model
 *   loads, and is answered when it is ready.
 * - A load that would download asks first, as the app does (ui/state/downloadConfirm.ts: the size, the
 *   GPU memory, "Don't ask again", shared with the app through localStorage); a cached model loads
 *   at once. A "no" fails the waiting message with that reason. Cancel stops the download (the engine
 *   ends its fetches, complete files stay cached); Resume loads again without asking.
 * - Host calls time out in the bridge (its own message, see hostBridge.ts); the loop's timeout is kept
 *   longer so the bridge's clearer error wins.
 * - Functions marked `confirm` (built-in or host) wait for the visitor's Allow on their card (`consent`).
 *   "Always allow" lasts for this page's life only: the widget has no settings view where it could be
 *   taken back, and a host may register a different function under the same name on its next visit.
 */
import { renderingForApi, type Engine, type ModelSource } from '../engine/engine.ts';
import { advanceProgress, type LoadProgressView } from '../engine/progress.ts';
import type { PromptFormat } from '../lib/formats/promptFormat.ts';
import type { Message } from '../lib/types/chat.ts';
import type { RegisteredFunction } from '../lib/types/dispatch.ts';
import type { FunctionSpec } from '../lib/types/functionSpec.ts';
import { FunctionRegistry } from '../lib/dispatch/registry.ts';
import { DEFAULT_CALL_TIMEOUT_MS } from '../lib/agent/runAgent.ts';
import { DEFAULT_CONTEXT_WINDOW, type SizeLimits } from '../lib/agent/sizeLimits.ts';
import { ChatSession, type ReplyProgress, type SendOptions } from '../lib/chat/chatSession.ts';
import { selectVersion } from '../lib/chat/answerVersions.ts';
import { describeLoadFailure, type LoadFailure } from '../engine/loadFailure.ts';
import type { HostBridge } from './hostBridge.ts';
import { ConsentState } from '../ui/state/consent.svelte.ts';
import { embedItems, type EmbedItem, type EngineNotice } from './embedItems.ts';
import { animationFrames } from '../ui/state/frames.ts';
import { DownloadConsentStore, downloadQuestion, type DownloadQuestion } from '../ui/state/downloadConfirm.ts';

export type { EmbedItem } from './embedItems.ts';

export type EmbedStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface EmbedChatOptions {
  engine: Engine;
  modelId: string;
  format: PromptFormat;
  /** Enabled built-in functions. */
  builtins: RegisteredFunction[];
  bridge: HostBridge;
  system?: string;
  /** Questions for calls of functions marked `confirm`; default: a fresh one, remembered for the page's life. */
  consent?: ConsentState;
  /** The model's context window in tokens (catalog); prompts are fitted into it. Default DEFAULT_CONTEXT_WINDOW. */
  contextWindow?: number;
  /** The catalog model's thinking default (as the app uses it when a conversation has not chosen). */
  thinkingDefault?: boolean;
  /** The model's name, for the download question. Default: the model id. */
  modelName?: string;
  /** "Don't ask again" before a download, per model (default: localStorage, shared with the app). */
  downloadConsent?: DownloadConsentStore;
}

/** A failed load, as the reply's failure (ChatSession records its name and message). */
class WidgetLoadError extends Error {
  constructor(failure: LoadFailure) {
    super(failure.advice ? `${failure.message} ${failure.advice}` : failure.message);
    this.name = failure.name;
  }
}

let seq = 0;
const nextId = () => `notice-${++seq}`;

export class EmbedChat {
  readonly modelId: string;
  /** Calls waiting for the visitor's consent, and the functions always allowed in this session. */
  readonly consent: ConsentState;
  readonly #engine: Engine;
  readonly #builtins: RegisteredFunction[];
  readonly #bridge: HostBridge;
  readonly #system: string | undefined;
  readonly #format: PromptFormat;
  readonly #session: ChatSession;

  #messages = $state<Message[]>([]);
  #notices = $state<EngineNotice[]>([]);
  #status = $state<EmbedStatus>('idle');
  #progress = $state.raw<LoadProgressView | null>(null);
  #loadError = $state<LoadFailure | null>(null);
  #busy = $state(false);
  #replyProgress = $state.raw<ReplyProgress | null>(null);
  #hostFunctions = $state.raw<FunctionSpec[]>([]);
  #loading: Promise<boolean> | null = null;
  #question = $state.raw<DownloadQuestion | null>(null);
  /** Settles the question: true for yes. */
  #answer: ((yes: boolean) => void) | null = null;
  /** The visitor cancelled the download; Resume continues it. */
  #stopped = $state(false);
  readonly #modelName: string;
  readonly #downloadConsent: DownloadConsentStore;
  readonly #items = $derived(
    embedItems(this.#messages, this.#notices, (name) => this.#hostFunctions.some((s) => s.name === name)),
  );

  constructor(options: EmbedChatOptions) {
    this.modelId = options.modelId;
    this.#engine = options.engine;
    this.#format = options.format;
    this.#builtins = options.builtins;
    this.#bridge = options.bridge;
    this.#system = options.system;
    this.consent = options.consent ?? new ConsentState();
    this.#modelName = options.modelName ?? options.modelId;
    this.#downloadConsent = options.downloadConsent ?? new DownloadConsentStore();
    this.#hostFunctions = options.bridge.specs;
    const engine = options.engine;
    const countTokens = async (text: string): Promise<number> => (await engine.tokenize(text)).ids.length;
    this.#session = new ChatSession({
      // Always ready to take a message: the model is loaded by `prepare` when it is not yet.
      readiness: () => ({
        generator: engine,
        modelId: options.modelId,
        format: options.format,
        contextWindow: options.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
        ...(renderingForApi(options.format.api) === 'raw' ? { canConstrainRaw: true } : {}),
        ...(options.thinkingDefault !== undefined ? { thinkingDefault: options.thinkingDefault } : {}),
        countTokens,
      }),
      registry: () => this.#registry(),
      confirmCall: this.consent.confirm,
      frames: animationFrames,
      callTimeoutMs: Math.max(DEFAULT_CALL_TIMEOUT_MS, options.bridge.callTimeoutMs + 2000),
      prepare: async () => {
        if (!(await this.load()))
          throw new WidgetLoadError(
            this.#loadError ?? { name: 'ModelLoadError', message: 'The model could not be loaded.' },
          );
      },
      running: (messageId) => {
        this.#busy = messageId !== null;
      },
      progress: (progress) => {
        this.#replyProgress = progress;
      },
      // A hung engine (the reply's "Restart the engine"): a fresh worker, the model loaded again.
      restartEngine: async () => {
        engine.restart();
        this.#status = 'idle';
        if (await this.load()) {
          this.#notices.push({
            id: nextId(),
            at: this.#messages.length,
            text: 'The engine was restarted and the model loaded again; the conversation is kept.',
          });
        }
      },
    });
    // A lost GPU or a dead worker takes the model with it: the next message (or the Load button)
    // loads it again on a fresh engine. The conversation is kept.
    engine.onDeviceLost((message) => {
      engine.restart();
      this.#engineGone(`The GPU stopped responding (${message}).`);
    });
    engine.onCrash((message) => this.#engineGone(`The engine stopped unexpectedly (${message}).`));
  }

  #engineGone(what: string): void {
    if (this.#status !== 'ready') return;
    this.#status = 'idle';
    const text = `${what} The model has to be loaded again; the conversation is kept.`;
    this.#notices.push({ id: nextId(), at: this.#messages.length, text });
  }

  /** The conversation: its messages in the chat core's model (what the next prompt is built from). */
  get messages(): Message[] {
    return this.#messages;
  }
  /** What the list shows, derived from the messages (embedItems.ts). */
  get items(): EmbedItem[] {
    return this.#items;
  }
  get status(): EmbedStatus {
    return this.#status;
  }
  get progress(): LoadProgressView | null {
    return this.#progress;
  }
  /** The download waiting for the visitor's yes, or null. */
  get downloadQuestion(): DownloadQuestion | null {
    return this.#question;
  }
  /** The visitor cancelled the download (Resume continues it). */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** The visitor's yes to `downloadQuestion`; `remember`: do not ask again for this model. */
  confirmDownload(remember: boolean): void {
    if (remember) this.#downloadConsent.remember(this.modelId);
    this.#settleQuestion(true);
  }

  /** The visitor's no: nothing is downloaded, and a waiting message fails with that reason. */
  declineDownload(): void {
    this.#settleQuestion(false);
  }

  #settleQuestion(yes: boolean): void {
    const answer = this.#answer;
    this.#question = null;
    this.#answer = null;
    answer?.(yes);
  }

  /** Stops the download; complete files stay cached, and `stopped` offers Resume. */
  cancelLoad(): void {
    if (this.#status === 'loading') this.#engine.cancelLoad();
  }

  /** Continues a cancelled download; the visitor agreed to it already, so no question. */
  resume(): Promise<boolean> {
    return this.load({ ask: false });
  }

  /** Whether the visitor agrees to the download this load would start (true when nothing is downloaded). */
  async #mayDownload(source: ModelSource): Promise<boolean> {
    if (this.#downloadConsent.remembered(this.modelId)) return true;
    const [cache] = await this.#engine.cacheStatus([source]).catch(() => []);
    const question = downloadQuestion(this.modelId, this.#modelName, cache, false);
    if (!question) return true;
    return new Promise<boolean>((resolve) => {
      this.#answer = resolve;
      this.#question = question;
    });
  }

  /** Why the last load failed, in the app's words with its advice. */
  get loadError(): LoadFailure | null {
    return this.#loadError;
  }
  /** What the running reply waits on (a stopped generation, a silent model), or null. */
  get replyProgress(): ReplyProgress | null {
    return this.#replyProgress;
  }
  /** A reply is being generated (or a function is running, or the model loading for it). */
  get busy(): boolean {
    return this.#busy;
  }
  get hostFunctions(): FunctionSpec[] {
    return this.#hostFunctions;
  }
  get formatId(): string {
    return this.#format.id;
  }
  /** Message and result sizes, from the context window (lib/agent/sizeLimits.ts), as in the app. */
  get limits(): SizeLimits {
    return this.#session.limits;
  }

  /** Called by the bridge when the host's functions change. */
  setHostFunctions(specs: FunctionSpec[]): void {
    this.#hostFunctions = specs;
  }

  /**
   * Loads the model (from web-llm's cache when it is there), asking first when it would download
   * (`ask: false` for a resumed download). Never throws; concurrent calls share one load. False when
   * it failed, was declined or cancelled.
   */
  load(options: { ask?: boolean } = {}): Promise<boolean> {
    if (this.#status === 'ready') return Promise.resolve(true);
    this.#loading ??= this.#load(options.ask ?? true).finally(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  async #load(ask: boolean): Promise<boolean> {
    // Loaded the way the app loads it for this format, so raw prompts are constrained here too.
    const source: ModelSource = {
      kind: 'catalog',
      id: this.modelId,
      promptRendering: renderingForApi(this.#format.api),
    };
    this.#loadError = null;
    if (ask && !(await this.#mayDownload(source))) {
      this.#loadError = { name: 'DownloadDeclinedError', message: 'The model was not downloaded.' };
      return false;
    }
    this.#status = 'loading';
    this.#stopped = false;
    this.#progress = null;
    try {
      await this.#engine.load(source, (p) => {
        this.#progress = advanceProgress(this.#progress, p);
      });
      this.#status = 'ready';
      return true;
    } catch (err) {
      if (err instanceof Error && err.name === 'LoadCancelledError') {
        this.#loadError = { name: err.name, message: 'The download was cancelled.' };
        this.#status = 'idle';
        this.#stopped = true;
        return false;
      }
      this.#loadError = await describeLoadFailure(
        err,
        this.#engine,
        source,
        "clear this site's data in the browser settings",
      );
      this.#status = 'error';
      return false;
    }
  }

  /** Why `text` cannot be sent (too long for the model), or null. The composer keeps refused text. */
  refusal(text: string): string | null {
    return this.#session.refusal(text);
  }

  /** Sends a user message and runs the agent loop until the model answers. Never throws. */
  async send(text: string): Promise<void> {
    await this.#session.send(this.#messages, text, this.#options());
  }

  /** Edit and resend: replaces a user message, drops what followed it, and answers it afresh (the app's action). */
  async editAndResend(messageId: string, text: string): Promise<void> {
    await this.#session.editAndResend(this.#messages, messageId, text, this.#options());
  }

  /** Regenerate the last answer; the earlier one stays as a version (selectVersion). */
  async regenerate(messageId: string): Promise<void> {
    await this.#session.regenerate(this.#messages, messageId, this.#options());
  }

  /** Continue the last answer where Stop or the token limit cut it (see canContinue). */
  async continueAnswer(messageId: string): Promise<void> {
    await this.#session.continueAnswer(this.#messages, messageId, this.#options());
  }

  /** Whether the answer with this id (the last message) can be continued now. */
  canContinue(messageId: string): boolean {
    const message = this.#messages.at(-1);
    return (
      message?.id === messageId && message.role === 'assistant' && this.#session.canContinue(this.#messages, message)
    );
  }

  /** Shows version `index` of an answer; the next prompt reads that one. */
  selectVersion(messageId: string, index: number): void {
    const message = this.#messages.find((m) => m.id === messageId);
    if (message?.role === 'assistant') selectVersion(message, index);
  }

  #options(): SendOptions {
    return this.#system !== undefined ? { system: this.#system } : {};
  }

  /** Stops the reply; what was generated so far is kept, as in the app. A pending download question is answered no. */
  stop(): void {
    this.#session.stop();
    this.declineDownload();
  }

  /** Stops the running reply and restarts the engine (a hung one); the conversation is kept. */
  restartEngine(): Promise<void> {
    return this.#session.restartEngine();
  }

  #registry(): FunctionRegistry {
    const registry = new FunctionRegistry();
    for (const fn of this.#builtins) registry.registerChecked(fn);
    for (const spec of this.#hostFunctions) {
      // The bridge validated the spec and reserved the built-in names, so this does not throw.
      if (!registry.has(spec.name)) registry.register(spec, this.#bridge.handlerFor(spec.name));
    }
    return registry;
  }
}
