/**
 * The widget's conversation: one engine, one model, a list of display items fed by the agent loop's
 * events, and the functions it may call (the enabled built-ins plus whatever the host registered).
 *
 * Decisions:
 * - Nothing is persisted: the widget lives inside someone else's page; a reload starts afresh.
 * - The registry is rebuilt for every user message, so host functions registered or removed while a
 *   reply runs take effect on the next message, never half-way through one.
 * - Model output is kept as text; the components never render it as HTML. While a reply streams, its
 *   prose is the live preview's (lib/parse/previewCalls.ts), without call text or reasoning; the
 *   reasoning gets its own "Thinking" section, timed like the app's (ui/state/reasoning.ts).
 * - Host calls time out in the bridge (its own message, see hostBridge.ts); the loop's timeout is kept
 *   longer so the bridge's clearer error wins.
 * - Functions marked `confirm` (built-in or host) wait for the visitor's Allow on their card (`consent`).
 *   "Always allow" lasts for this page's life only: the widget has no settings view where it could be
 *   taken back, and a host may register a different function under the same name on its next visit.
 */
import type { Engine, LoadProgress } from '../engine/engine.ts';
import type { PromptFormat } from '../lib/formats/promptFormat.ts';
import type { Turn } from '../lib/types/turn.ts';
import type { AgentEvent } from '../lib/types/agent.ts';
import type { RegisteredFunction } from '../lib/types/dispatch.ts';
import type { FunctionSpec } from '../lib/types/functionSpec.ts';
import { FunctionRegistry } from '../lib/dispatch/registry.ts';
import { runAgent, DEFAULT_CALL_TIMEOUT_MS } from '../lib/agent/runAgent.ts';
import { DEFAULT_CONTEXT_WINDOW, sizeLimits, userMessageTooLong, type SizeLimits } from '../lib/agent/sizeLimits.ts';
import { previewStreamingCalls } from '../lib/parse/previewCalls.ts';
import type { HostBridge } from './hostBridge.ts';
import { ConsentState } from '../ui/state/consent.svelte.ts';
import { endThinking, reasoningView, timeThinking, type ReasoningView, type ThinkingTiming } from '../ui/state/reasoning.ts';

export type EmbedItem =
  | { kind: 'user'; id: string; text: string }
  | { kind: 'assistant'; id: string; text: string; streaming: boolean; reasoning?: ReasoningView }
  | {
      kind: 'call';
      id: string;
      name: string;
      args: string;
      host: boolean;
      status: 'running' | 'ok' | 'error' | 'declined';
      result?: string;
    }
  | { kind: 'error'; id: string; text: string }
  /** Something the visitor should know that is not a failure (earlier messages left out of the prompt). */
  | { kind: 'notice'; id: string; text: string };

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
}

let seq = 0;
const nextId = () => `item-${++seq}`;

export class EmbedChat {
  readonly modelId: string;
  /** Calls waiting for the visitor's consent, and the functions always allowed in this session. */
  readonly consent: ConsentState;
  readonly #engine: Engine;
  readonly #format: PromptFormat;
  readonly #builtins: RegisteredFunction[];
  readonly #bridge: HostBridge;
  readonly #system: string | undefined;
  readonly #contextWindow: number;
  /** Message and result sizes, from the context window (lib/agent/sizeLimits.ts), as in the app. */
  readonly limits: SizeLimits;

  #items = $state<EmbedItem[]>([]);
  #status = $state<EmbedStatus>('idle');
  #progress = $state.raw<LoadProgress | null>(null);
  #loadError = $state<string | null>(null);
  #busy = $state(false);
  #hostFunctions = $state.raw<FunctionSpec[]>([]);
  #turns: Turn[] = [];
  #controller: AbortController | null = null;
  #loading: Promise<boolean> | null = null;
  /** Counts user messages, so the items of each reply's steps get distinct ids. */
  #run = 0;
  /** The functions offered in the running reply (the live preview needs their names). */
  #specs: FunctionSpec[] = [];
  /** Per generation of the running reply: what its prompt wrote of the answer, and its reasoning's timing. */
  #steps = new Map<string, { answerPrefix: string; timing?: ThinkingTiming }>();

  constructor(options: EmbedChatOptions) {
    this.modelId = options.modelId;
    this.#engine = options.engine;
    this.#format = options.format;
    this.#builtins = options.builtins;
    this.#bridge = options.bridge;
    this.#system = options.system;
    this.consent = options.consent ?? new ConsentState();
    this.#contextWindow = options.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
    this.limits = sizeLimits(this.#contextWindow);
    this.#hostFunctions = options.bridge.specs;
    // A lost GPU or a dead worker takes the model with it: the next message (or the Load button)
    // loads it again on a fresh engine. The conversation on screen and in #turns is kept.
    options.engine.onDeviceLost((message) => {
      options.engine.restart?.();
      this.#engineGone(`The GPU stopped responding (${message}).`);
    });
    options.engine.onCrash?.((message) => this.#engineGone(`The engine stopped unexpectedly (${message}).`));
  }

  #engineGone(what: string): void {
    if (this.#status !== 'ready') return;
    this.#status = 'idle';
    this.#items.push({
      kind: 'notice',
      id: nextId(),
      text: `${what} The model has to be loaded again; the conversation is kept.`,
    });
  }

  get items(): EmbedItem[] {
    return this.#items;
  }
  get status(): EmbedStatus {
    return this.#status;
  }
  get progress(): LoadProgress | null {
    return this.#progress;
  }
  get loadError(): string | null {
    return this.#loadError;
  }
  /** A reply is being generated (or a function is running). */
  get busy(): boolean {
    return this.#busy;
  }
  get hostFunctions(): FunctionSpec[] {
    return this.#hostFunctions;
  }
  get formatId(): string {
    return this.#format.id;
  }

  /** Called by the bridge when the host's functions change. */
  setHostFunctions(specs: FunctionSpec[]): void {
    this.#hostFunctions = specs;
  }

  /** Loads the model (from web-llm's cache when it is there). Never throws; concurrent calls share one load. */
  load(): Promise<boolean> {
    if (this.#status === 'ready') return Promise.resolve(true);
    this.#loading ??= this.#load().finally(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  async #load(): Promise<boolean> {
    this.#status = 'loading';
    this.#loadError = null;
    this.#progress = null;
    try {
      await this.#engine.load({ modelId: this.modelId }, (p) => {
        this.#progress = p;
      });
      this.#status = 'ready';
      return true;
    } catch (err) {
      this.#loadError = err instanceof Error ? err.message : String(err);
      this.#status = 'error';
      return false;
    }
  }

  /** Why `text` cannot be sent (too long for the model), or null. The composer keeps refused text. */
  refusal(text: string): string | null {
    return userMessageTooLong(text.trim(), this.limits);
  }

  /** Sends a user message and runs the agent loop until the model answers. Never throws. */
  async send(text: string): Promise<void> {
    const content = text.trim();
    if (content === '' || this.#busy || this.refusal(content) !== null) return;
    this.#busy = true;
    this.#run++;
    this.#items.push({ kind: 'user', id: nextId(), text: content });
    try {
      if (!(await this.load())) {
        this.#items.push({ kind: 'error', id: nextId(), text: `The model could not be loaded: ${this.#loadError ?? 'unknown error'}` });
        return;
      }
      const turns: Turn[] = [...this.#turns, { role: 'user', content }];
      this.#controller = new AbortController();
      const registry = this.#registry();
      this.#specs = registry.specs();
      this.#steps.clear();
      const outcome = await runAgent({
        generator: this.#engine,
        format: this.#format,
        registry,
        turns,
        system: this.#system,
        signal: this.#controller.signal,
        callTimeoutMs: Math.max(DEFAULT_CALL_TIMEOUT_MS, this.#bridge.callTimeoutMs + 2000),
        confirmCall: this.consent.confirm,
        // Each prompt is fitted into the window (oldest exchanges left out); the widget keeps every message.
        context: {
          windowTokens: this.#contextWindow,
          ...(this.#engine.tokenize ? { countTokens: this.#countTokens } : {}),
        },
        onEvent: (event) => this.#onEvent(event),
      });
      this.#turns = [...turns, ...outcome.turns];
    } finally {
      this.#controller = null;
      this.#busy = false;
      for (const item of this.#items) {
        if (item.kind !== 'assistant') continue;
        item.streaming = false;
        if (item.reasoning?.streaming) item.reasoning.streaming = false;
      }
    }
  }

  readonly #countTokens = async (text: string): Promise<number> => {
    const result = await this.#engine.tokenize?.(text);
    if (!result) throw new Error('The engine has no tokenizer.');
    return result.ids.length;
  };

  /** Stops the reply; the text generated so far is kept. */
  stop(): void {
    this.#controller?.abort();
  }

  #registry(): FunctionRegistry {
    const registry = new FunctionRegistry();
    for (const fn of this.#builtins) registry.register(fn.spec, fn.handler);
    for (const spec of this.#hostFunctions) {
      // The bridge validated the spec and reserved the built-in names, so this does not throw.
      if (!registry.has(spec.name)) registry.register(spec, this.#bridge.handlerFor(spec.name));
    }
    return registry;
  }

  #showReasoning(item: Extract<EmbedItem, { kind: 'assistant' }>, view: ReasoningView | null): void {
    if (view) item.reasoning = view;
    else delete item.reasoning;
  }

  #find<K extends EmbedItem['kind']>(kind: K, id: string): Extract<EmbedItem, { kind: K }> | undefined {
    return this.#items.find((i): i is Extract<EmbedItem, { kind: K }> => i.kind === kind && i.id === id);
  }

  #onEvent(event: AgentEvent): void {
    const stepId = (step: number) => `run-${this.#run}-step-${step}`;
    switch (event.type) {
      case 'generation_start': {
        const left = event.context?.droppedMessages ?? 0;
        if (left > 0 && event.step === 0) {
          this.#items.push({
            kind: 'notice',
            id: nextId(),
            text: `${left} earlier message${left === 1 ? ' was' : 's were'} left out of the prompt to fit the model's ${this.#contextWindow.toLocaleString('en-US')}-token context.`,
          });
        }
        this.#items.push({ kind: 'assistant', id: stepId(event.step), text: '', streaming: true });
        this.#steps.set(stepId(event.step), { answerPrefix: event.answerPrefix ?? '' });
        break;
      }
      case 'delta': {
        const item = this.#find('assistant', stepId(event.step));
        const step = this.#steps.get(stepId(event.step));
        if (!item || !step) break;
        const preview = previewStreamingCalls(event.text, this.#specs, step.answerPrefix);
        item.text = preview.prose;
        step.timing = timeThinking(step.timing, preview, Date.now());
        this.#showReasoning(item, reasoningView(preview.reasoning, preview.thinking === true, step.timing));
        break;
      }
      case 'generation_end': {
        const item = this.#find('assistant', stepId(event.step));
        const step = this.#steps.get(stepId(event.step));
        endThinking(step?.timing, Date.now());
        if (item?.reasoning) this.#showReasoning(item, reasoningView(item.reasoning.text, false, step?.timing));
        break;
      }
      case 'parsed': {
        const item = this.#find('assistant', stepId(event.step));
        if (!item) break;
        // Show the prose only: the calls get their own cards, the reasoning its section.
        item.text = event.parsed.text;
        item.streaming = false;
        this.#showReasoning(item, reasoningView(event.parsed.reasoning, false, this.#steps.get(stepId(event.step))?.timing));
        if (item.text === '' && !item.reasoning) this.#items.splice(this.#items.indexOf(item), 1);
        for (const error of event.parsed.errors) {
          this.#items.push({ kind: 'error', id: nextId(), text: error.message });
        }
        break;
      }
      case 'call_start':
        this.#items.push({
          kind: 'call',
          id: event.callId,
          name: event.call.name,
          args: JSON.stringify(event.call.arguments),
          host: this.#hostFunctions.some((s) => s.name === event.call.name),
          status: 'running',
        });
        break;
      case 'call_end': {
        const item = this.#find('call', event.callId);
        if (!item) break;
        item.status = event.result.ok ? 'ok' : event.result.error.kind === 'declined' ? 'declined' : 'error';
        item.result = event.result.ok ? event.result.json : event.result.error.message;
        break;
      }
      case 'ask_user':
        this.#items.push({ kind: 'assistant', id: nextId(), text: event.message, streaming: false });
        break;
      case 'done':
        if (event.error) this.#items.push({ kind: 'error', id: nextId(), text: event.error.message });
        break;
      default:
        break;
    }
  }
}
