/**
 * One chat, as the app and the widget both run it: send a user message through the agent loop, fill
 * the answer in from its events, stop it, and decide what a failed or stopped answer leaves for the
 * next prompt (messages.ts `historyTurns`). The views (ui/state/chat.svelte.ts, embed/embedChat.svelte.ts)
 * only add their reactive state and their own storage, so whatever one does on Stop, a failure, a
 * context overflow or a cut-off call, the other does too.
 *
 * Design:
 * - The message array belongs to the view and is passed to `send`: the app passes a conversation's
 *   `$state` proxy (every mutation here is then a fine-grained UI update and reaches its store), the
 *   widget its own `$state` array, Node tests a plain array. The answer is read back from the array
 *   after it is pushed, so mutations go through the proxy.
 * - One answer at a time per session: the engine generates one answer at a time.
 * - Streamed text reaches the message at most once per frame (`frames`, answerUpdates.ts); every
 *   other event, Stop and the end apply what is pending at once.
 * - Stop aborts the AbortSignal (runAgent then interrupts the engine and ends with 'aborted', keeping
 *   the partial answer) and also interrupts the generator directly, in case the loop is between awaits.
 * - `prepare` runs after the user message is shown and before the loop (the widget loads its model
 *   there); what it throws fails the answer like any other failure, so history drops the pair.
 * - A reply that makes no progress is never silent (`progress`): when the engine is still finishing a
 *   stopped generation (web-llm cannot interrupt a prompt while it reads it), the reply says it waits
 *   for that until its first token; when no token arrives for `stallAfterMs` while the model is asked
 *   (a hung engine, seen with a web-llm build whose lock was never released after Stop), it says so
 *   and the view offers `restartEngine`, which stops the reply and gives the engine a fresh worker.
 * - The message actions are here once for both views, which only render their buttons: Regenerate
 *   (a new version of the last answer; the earlier one stays reachable, answerVersions.ts), Continue
 *   (resumes an answer Stop or the token limit cut, where the format's prompt is raw text), and Edit
 *   and resend (replaces a user message and drops what followed it). Copy needs no session.
 * - Plain TypeScript: no Svelte, no DOM, no web-llm (architecture.test.ts).
 */
import type { TextGenerator } from '../types/generation.ts';
import type { AssistantMessage, Message } from '../types/chat.ts';
import type { PromptFormat } from '../formats/promptFormat.ts';
import type { AgentEvent } from '../types/agent.ts';
import type { Turn } from '../types/turn.ts';
import { runAgent, type RunAgentOptions } from '../agent/runAgent.ts';
import { nextTask } from '../async/nextTask.ts';
import type { FunctionRegistry } from '../dispatch/registry.ts';
import { continuation, startVersion } from './answerVersions.ts';
import { DEFAULT_CONTEXT_WINDOW, sizeLimits, userMessageTooLong, type SizeLimits } from '../agent/sizeLimits.ts';
import { AnswerUpdates, type FrameScheduler } from './answerUpdates.ts';
import { failAssistant, finishAssistant, historyTurns, newAssistantMessage, newUserMessage } from './messages.ts';

/** What a send needs from the loaded model. */
export interface ChatReady {
  generator: TextGenerator;
  modelId: string;
  format: PromptFormat;
  /** The loaded model's context window in tokens (default DEFAULT_CONTEXT_WINDOW). */
  contextWindow?: number;
  /** The loaded model's tokenizer, for fitting prompts into the context window. */
  countTokens?: (text: string) => Promise<number>;
  /** The model was loaded for raw prompts, so raw-prompt formats can be grammar-constrained. */
  canConstrainRaw?: boolean;
  /** The model's thinking default, used when the conversation has not chosen. */
  thinkingDefault?: boolean;
}

export interface ChatSessionDeps {
  /** The model to send to, or a sentence saying why the user cannot send yet. */
  readiness: () => ChatReady | { blocked: string };
  /** The functions offered, read once per user message. */
  registry: () => RunAgentOptions['registry'];
  /** Sampling and loop settings, read once per user message (the app's Settings); default DEFAULT_GENERATION. */
  generation?: () => { temperature?: number; maxTokens?: number; maxCalls?: number };
  /** Asks the user before a function marked `confirm` runs; without it such calls are declined. */
  confirmCall?: RunAgentOptions['confirmCall'];
  /** How long one call may run (default runAgent's). */
  callTimeoutMs?: number;
  /** Runs before the loop, after the user message is shown (the widget loads its model here). */
  prepare?: () => Promise<void>;
  /** When streamed text reaches the message: the view's next frame (answerUpdates.ts); default at once. */
  frames?: FrameScheduler;
  /** The answer changed (an event was applied): a good moment to schedule a save. */
  changed?: () => void;
  /** The messages must be saved now (after the user message is pushed, and when the answer ends). */
  save?: () => Promise<void>;
  /** The answer being produced began (its id) or ended (null), for the view's reactive state. */
  running?: (messageId: string | null) => void;
  run?: typeof runAgent;
  /** How long the model may stay silent while asked before the reply says so (default DEFAULT_STALL_AFTER_MS), read per message. */
  stallAfterMs?: () => number;
  /** The reply's waiting state changed (null: no reply running), for the view's reactive state. */
  progress?: (progress: ReplyProgress | null) => void;
  /** Drops the engine's worker and loads the model again (from the browser cache); the messages are the view's and stay. */
  restartEngine?: () => Promise<void>;
}

/** Why the running reply shows no text yet, if it is waiting on something the user should know of. */
export interface ReplyProgress {
  messageId: string;
  /** The engine was still finishing a stopped generation when this reply was sent; until its first token. */
  waitingForStopped: boolean;
  /** No token for this many seconds while the model was asked (then the view offers a restart), else null. */
  stalledS: number | null;
}

/** A minute without a token: far beyond a normal prefill, well under a hung engine's forever. */
export const DEFAULT_STALL_AFTER_MS = 60_000;

/** Restarting waits this long for the stopped reply to settle before dropping the worker under it. */
const RESTART_SETTLE_MS = 1_000;

/** Per-send options the view owns (the app's conversation settings). */
export interface SendOptions {
  system?: string;
  toolChoice?: RunAgentOptions['toolChoice'];
  /** The conversation's thinking choice; else the model's default (ChatReady.thinkingDefault). */
  thinking?: boolean;
  /** Called once both messages are in the array, before anything is generated (to name or tag the conversation). */
  started?: (ready: ChatReady) => void;
  /** Functions switched off for this conversation: left out of the prompt and never run. */
  exclude?: readonly string[];
}

/** How one run of the loop fills in an answer (Continue resumes a cut one). */
interface RunPlan {
  /** The conversation as turns, ending with the user message the answer is for. */
  turns: Turn[];
  /** The format's thinking choice for this answer. */
  thinking: boolean | undefined;
  /** Continue: the cut text the model writes on from, the answer's turns before it, and its steps before it. */
  resume?: { text: string; turnsBefore: Turn[]; stepOffset: number };
}

/**
 * The sampling and loop settings a chat starts with: the app's Settings defaults, and what the widget
 * (which has no Settings) always uses, so the same prompt gets the same kind of answer in both.
 */
export const DEFAULT_GENERATION = { maxCalls: 4, temperature: 0.2, maxTokens: 512 } as const;

export class ChatSession {
  readonly #deps: ChatSessionDeps;
  #controller: AbortController | null = null;
  #generator: TextGenerator | null = null;
  #updates: AnswerUpdates | null = null;
  /** Settles when the running send has ended (restartEngine waits for the stopped reply). */
  #ended: Promise<void> | null = null;

  constructor(deps: ChatSessionDeps) {
    this.#deps = deps;
  }

  /** Whether an answer is being produced. */
  get busy(): boolean {
    return this.#controller !== null;
  }

  /** Size limits for the model; the catalog's 4,096-token window before one is ready. */
  get limits(): SizeLimits {
    const r = this.#deps.readiness();
    return sizeLimits('blocked' in r ? DEFAULT_CONTEXT_WINDOW : r.contextWindow);
  }

  /** Why `text` cannot be sent (too long for the model), or null. */
  refusal(text: string): string | null {
    return userMessageTooLong(text.trim(), this.limits);
  }

  /**
   * Sends a user message and runs the agent loop to its end; never throws. Nothing is sent for empty
   * text, while blocked or busy, or for a message over the size limit (the composer says why first).
   * @returns the assistant message (also in `messages`), or null when nothing was sent.
   */
  async send(messages: Message[], text: string, options: SendOptions = {}): Promise<AssistantMessage | null> {
    const content = text.trim();
    const ready = this.#deps.readiness();
    if (content === '' || this.busy || 'blocked' in ready || this.refusal(content) !== null) return null;
    const turns = [...historyTurns(messages), { role: 'user' as const, content }];
    messages.push(newUserMessage(content));
    const thinking = options.thinking ?? ready.thinkingDefault;
    messages.push(newAssistantMessage(answerMeta(ready, thinking)));
    const message = messages.at(-1);
    if (message?.role !== 'assistant') throw new Error('The answer was not added to the messages.');
    return this.#answer(message, ready, { turns, thinking }, options);
  }

  /**
   * Edit and resend: replaces user message `userMessageId` with `text` and drops every message after
   * it, then sends it as a new message (the answer is generated afresh). Nothing changes when the
   * text cannot be sent (empty, too long, blocked, busy) or the message is not in `messages`.
   * @returns the new answer, or null when nothing was sent
   */
  async editAndResend(
    messages: Message[],
    userMessageId: string,
    text: string,
    options: SendOptions = {},
  ): Promise<AssistantMessage | null> {
    const content = text.trim();
    const ready = this.#deps.readiness();
    if (content === '' || this.busy || 'blocked' in ready || this.refusal(content) !== null) return null;
    const at = messages.findIndex((m) => m.id === userMessageId && m.role === 'user');
    if (at === -1) return null;
    messages.splice(at);
    return this.send(messages, content, options);
  }

  /**
   * Regenerate: answers the last user message again. The earlier answer is kept as a version of the
   * same message (answerVersions.ts), reachable with `selectVersion`; the new one is shown, and the next
   * prompt reads it. Only the conversation's last message can be regenerated (later messages were
   * answers to it).
   * @returns the message with its new version, or null when nothing was generated
   */
  async regenerate(
    messages: Message[],
    messageId: string,
    options: SendOptions = {},
  ): Promise<AssistantMessage | null> {
    const target = this.#lastAnswer(messages, messageId);
    if (!target || this.busy) return null;
    const { ready, message } = target;
    const turns = historyTurns(messages.slice(0, -1));
    if (turns.at(-1)?.role !== 'user') return null;
    const thinking = options.thinking ?? ready.thinkingDefault;
    startVersion(message, answerMeta(ready, thinking));
    return this.#answer(message, ready, { turns, thinking }, options);
  }

  /**
   * Whether `message` can be continued now (see answerVersions.ts `continuation`: an answer cut by Stop
   * or the token limit, a raw-prompt format, the same format as the loaded one, nothing running).
   */
  canContinue(messages: readonly Message[], message: AssistantMessage): boolean {
    const ready = this.#deps.readiness();
    if (this.busy || 'blocked' in ready || messages.at(-1)?.id !== message.id) return false;
    if (message.formatId !== undefined && message.formatId !== ready.format.id) return false;
    return continuation(message, ready.format.api) !== null;
  }

  /**
   * Continue: resumes the last answer from where Stop or the token limit cut it. The cut generation is
   * replaced by one that starts with its text (the prompt ends with it, see runAgent `continueFrom`),
   * so the answer reads as one; calls it then makes run as in any answer.
   * @returns the message, or null when it cannot be continued (`canContinue`)
   */
  async continueAnswer(
    messages: Message[],
    messageId: string,
    options: SendOptions = {},
  ): Promise<AssistantMessage | null> {
    const target = this.#lastAnswer(messages, messageId);
    if (!target || !this.canContinue(messages, target.message)) return null;
    const { ready, message } = target;
    const resume = continuation(message, ready.format.api);
    if (!resume) return null;
    const turns = [...historyTurns(messages.slice(0, -1)), ...resume.turnsBefore];
    message.steps.pop();
    message.turns = resume.turnsBefore;
    message.status = 'streaming';
    delete message.stopReason;
    delete message.error;
    const plan: RunPlan = {
      turns,
      // The same choice as the answer's start, so the prompt opens the answer the same way.
      thinking: message.thinking ?? options.thinking ?? ready.thinkingDefault,
      resume: { text: resume.text, turnsBefore: resume.turnsBefore, stepOffset: message.steps.length },
    };
    return this.#answer(message, ready, plan, options);
  }

  /** The conversation's last message when it is the answer `messageId` and a model is ready for it. */
  #lastAnswer(messages: Message[], messageId: string): { ready: ChatReady; message: AssistantMessage } | null {
    const ready = this.#deps.readiness();
    const message = messages.at(-1);
    if ('blocked' in ready || message?.id !== messageId || message.role !== 'assistant') return null;
    return { ready, message };
  }

  /** Runs the loop into `message` (already in the view's array) to its end; never throws. */
  async #answer(
    message: AssistantMessage,
    ready: ChatReady,
    plan: RunPlan,
    options: SendOptions,
  ): Promise<AssistantMessage> {
    const { format } = ready;
    const { turns, thinking, resume } = plan;
    const controller = new AbortController();
    this.#controller = controller;
    options.started?.(ready);
    this.#generator = ready.generator;
    let endRun = (): void => undefined;
    this.#ended = new Promise<void>((resolve) => (endRun = resolve));
    this.#deps.running?.(message.id);
    void this.#deps.save?.();
    const watch = new ProgressWatch(
      message.id,
      ready.generator.finishingStopped(),
      this.#deps.stallAfterMs?.() ?? DEFAULT_STALL_AFTER_MS,
      (p) => this.#deps.progress?.(p),
    );

    const registry = withoutFunctions(this.#deps.registry(), options.exclude ?? []);
    // The offered functions, once per answer: the live call preview of every delta needs their names.
    const functions = registry.specs();
    const updates = new AnswerUpdates(message, functions, this.#deps.frames, () => this.#deps.changed?.());
    this.#updates = updates;
    const settings = this.#deps.generation?.() ?? DEFAULT_GENERATION;
    const ask = this.#deps.confirmCall;
    // The call (already in the message, as running) is stored before the question, not within the
    // throttled save: the question may wait for minutes, and a reload meanwhile must read the call back
    // as interrupted. Only here: a save per call would copy the conversation per call.
    const confirmCall: RunAgentOptions['confirmCall'] = ask
      ? (request) => {
          void this.#deps.save?.();
          return ask(request);
        }
      : undefined;
    const generation = {
      ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
      ...(settings.maxTokens !== undefined ? { maxTokens: settings.maxTokens } : {}),
    };
    try {
      // The sent message and the empty answer render (and may paint) in the task of the click; the
      // prompt is built in a task of its own. As one task, a session's first send took 55–125 ms on
      // this machine (`npm run bench:stream`): first render of the messages, then fitting the prompt.
      await nextTask();
      await this.#deps.prepare?.();
      if (controller.signal.aborted) {
        finishAssistant(message, { reason: 'aborted', turns: [] });
        return message;
      }
      const outcome = await (this.#deps.run ?? runAgent)({
        generator: ready.generator,
        format,
        registry,
        turns,
        ...(options.system?.trim() ? { system: options.system } : {}),
        ...(options.toolChoice !== undefined ? { toolChoice: options.toolChoice } : {}),
        ...(thinking !== undefined ? { thinking } : {}),
        ...(settings.maxCalls !== undefined ? { maxCalls: settings.maxCalls } : {}),
        ...(ready.canConstrainRaw ? { canConstrainRaw: true } : {}),
        ...(confirmCall ? { confirmCall } : {}),
        ...(this.#deps.callTimeoutMs !== undefined ? { callTimeoutMs: this.#deps.callTimeoutMs } : {}),
        ...(resume ? { continueFrom: resume.text } : {}),
        generation,
        // Each prompt is fitted into the window; the messages themselves keep everything.
        context: {
          windowTokens: ready.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
          ...(ready.countTokens ? { countTokens: ready.countTokens } : {}),
        },
        signal: controller.signal,
        onEvent: (event) => {
          watch.event(event.type);
          updates.event(resume ? resumedEvent(event, resume) : event);
        },
      });
      updates.flush();
      finishAssistant(message, resume ? { ...outcome, turns: [...resume.turnsBefore, ...outcome.turns] } : outcome);
    } catch (e) {
      // runAgent promises never to reject, but `prepare` may, and a bug still must not lose the message.
      updates.flush();
      failAssistant(message, e);
    } finally {
      watch.end();
      this.#updates = null;
      this.#controller = null;
      this.#generator = null;
      this.#deps.running?.(null);
      this.#deps.progress?.(null);
      endRun();
      await this.#deps.save?.();
    }
    return message;
  }

  /**
   * Stops the running reply (kept as stopped, like Stop) and restarts the engine: a fresh worker, the
   * model loaded again from the browser cache. Every message stays; the next one goes to the new engine.
   */
  async restartEngine(): Promise<void> {
    const ended = this.#ended;
    this.stop();
    // The stopped reply settles as 'aborted' first (the engine's interrupt answers at once); only a
    // generator that ignores interrupt is cut by the restart itself (its reply then fails).
    if (ended) await Promise.race([ended, new Promise<void>((resolve) => setTimeout(resolve, RESTART_SETTLE_MS))]);
    await this.#deps.restartEngine?.();
  }

  /** Stops the running answer; what was generated so far is kept and marked stopped. */
  stop(): void {
    // What streamed until now shows at once, not at the next frame.
    this.#updates?.flush();
    this.#controller?.abort();
    this.#generator?.interrupt();
  }
}

/** What a new answer (or version) records of the model that writes it. */
function answerMeta(
  ready: ChatReady,
  thinking: boolean | undefined,
): { modelId: string; formatId: string; thinking?: boolean } {
  const { format } = ready;
  // Recorded (and shown by the inspector) only where the format can switch it: others ignore it.
  const asked = thinking !== undefined && format.syntax.thinking?.switchable === true ? { thinking } : {};
  return { modelId: ready.modelId, formatId: format.id, ...asked };
}

/** The registry without the functions a conversation switched off (the registry itself is left alone). */
function withoutFunctions(registry: FunctionRegistry, names: readonly string[]): FunctionRegistry {
  return names.some((name) => registry.has(name)) ? registry.without(names) : registry;
}

/** A continued answer's event: its steps come after the ones kept, its turns after theirs. */
function resumedEvent(event: AgentEvent, resume: NonNullable<RunPlan['resume']>): AgentEvent {
  if (event.type === 'done') return { ...event, turns: [...resume.turnsBefore, ...event.turns] };
  return { ...event, step: event.step + resume.stepOffset };
}

/**
 * One reply's waiting state: whether it waits behind a stopped generation (until its first token),
 * and a watchdog that runs while the model is asked (generation_start to generation_end) and fires
 * when no token came for `stallAfterMs`. Calls running in between are not the model's silence.
 */
class ProgressWatch {
  #waitingForStopped: boolean;
  #stalledS: number | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #ended = false;
  /** When the model was last heard from (generation_start or a token), by Date.now(). */
  #heardAt = 0;

  constructor(
    private readonly messageId: string,
    waitingForStopped: boolean,
    private readonly stallAfterMs: number,
    private readonly report: (p: ReplyProgress | null) => void,
  ) {
    this.#waitingForStopped = waitingForStopped;
    if (waitingForStopped) this.#report();
  }

  event(type: AgentEvent['type']): void {
    if (this.#ended) return;
    if (type === 'generation_start') {
      this.#heardAt = Date.now();
      this.#arm(this.stallAfterMs);
    } else if (type === 'delta') {
      // A token only notes the time: the armed timer looks at it when it fires. Re-arming a timer for
      // every token cost ~7 µs a token on the page's thread (bench:stream --profile, 16k tokens).
      this.#heardAt = Date.now();
      this.#clear();
      if (this.#timer === undefined) this.#arm(this.stallAfterMs);
    } else if (type === 'generation_end') {
      this.#clear();
      this.#disarm();
    }
  }

  /** The model answered: it no longer waits behind a stopped generation, nor is it silent. */
  #clear(): void {
    const changed = this.#waitingForStopped || this.#stalledS !== null;
    this.#waitingForStopped = false;
    this.#stalledS = null;
    if (changed) this.#report();
  }

  end(): void {
    this.#ended = true;
    this.#disarm();
  }

  /** Fires after `afterMs`: stalled if the model has been silent for stallAfterMs by then, else again when it would be. */
  #arm(afterMs: number): void {
    this.#disarm();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const silentMs = Date.now() - this.#heardAt;
      if (silentMs < this.stallAfterMs) {
        this.#arm(this.stallAfterMs - silentMs);
        return;
      }
      this.#stalledS = Math.round(this.stallAfterMs / 1000);
      this.#report();
    }, afterMs);
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #report(): void {
    this.report({ messageId: this.messageId, waitingForStopped: this.#waitingForStopped, stalledS: this.#stalledS });
  }
}
