/**
 * The app's chat view (ui/state/chat.svelte.ts) and the widget's (embed/embedChat.svelte.ts), built
 * over the same scripted engine and functions, behind one small interface — so a test can run the same
 * conversation through both and compare what each stored, showed and sent.
 */
import 'fake-indexeddb/auto';
import { ChatState } from '../../../src/ui/state/chat.svelte.ts';
import { ConsentState } from '../../../src/ui/state/consent.svelte.ts';
import { ConversationsState } from '../../../src/ui/state/conversations.svelte.ts';
import { SettingsState } from '../../../src/ui/state/settings.svelte.ts';
import { ConversationStore } from '../../../src/ui/persistence/conversationStore.ts';
import { EmbedChat } from '../../../src/embed/embedChat.svelte.ts';
import { HostBridge } from '../../../src/embed/hostBridge.ts';
import { FunctionRegistry } from '../../../src/lib/dispatch/registry.ts';
import { getPromptFormat } from '../../../src/lib/formats/index.ts';
import { InertEngine } from '../../doubles/inertEngine.ts';
import type { GenerateRequest, GenerateResult } from '../../../src/lib/types/generation.ts';
import type { RegisteredFunction } from '../../../src/lib/types/dispatch.ts';
import type { Message } from '../../../src/lib/types/chat.ts';
import type { FormatId } from '../../../src/lib/formats/index.ts';
import { AgreedDownloads } from '../../doubles/agreedDownloads.ts';

/** One scripted reply: its text, how it ends, or the error the generation throws. */
export interface Reply {
  text?: string;
  finishReason?: 'stop' | 'length';
  fail?: Error;
  /** Once the streamed text contains this, the test's `atStopPoint` runs (it presses Stop). */
  stopAt?: string;
}

/** Streams each reply in small chunks and honours interrupt(), like the worker engine. */
export class ScriptedStream extends InertEngine {
  requests: GenerateRequest[] = [];
  atStopPoint: () => void = () => {};
  #interrupted = false;
  constructor(private readonly replies: Reply[]) {
    super();
  }

  override interrupt(): void {
    this.#interrupted = true;
  }
  override async generate(request: GenerateRequest, onDelta?: (d: string, t: string) => void): Promise<GenerateResult> {
    this.requests.push(request);
    const reply = this.replies.shift() ?? { text: 'OK.' };
    if (reply.fail) throw reply.fail;
    this.#interrupted = false;
    let text = '';
    for (const chunk of (reply.text ?? '').match(/[\s\S]{1,5}/g) ?? []) {
      await new Promise((r) => setTimeout(r, 0));
      text += chunk;
      onDelta?.(chunk, text);
      if (reply.stopAt !== undefined && text.includes(reply.stopAt)) this.atStopPoint();
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- interrupt() sets it during the await
      if (this.#interrupted) return { text, finishReason: 'abort' };
    }
    return { text, finishReason: reply.finishReason ?? 'stop' };
  }
}

export const CALCULATE: RegisteredFunction = {
  spec: {
    name: 'calculate',
    description: 'Arithmetic.',
    parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] },
  },
  handler: (args) => ({ result: String(args.expression) === '23*19' ? 437 : 0 }),
};
export const ORDER: RegisteredFunction = {
  spec: {
    name: 'place_order',
    confirm: true,
    parameters: { type: 'object', properties: { item: { type: 'string' } }, required: ['item'] },
  },
  handler: () => ({ ordered: true }),
};

/** What a test does with either view. */
export interface ChatView {
  name: 'app' | 'widget';
  engine: ScriptedStream;
  consent: ConsentState;
  send(text: string): Promise<void>;
  stop(): void;
  messages(): Message[];
  /** The message actions, as each view's buttons call them. */
  regenerate(messageId: string): Promise<void>;
  continueAnswer(messageId: string): Promise<void>;
  editAndResend(messageId: string, text: string): Promise<void>;
  selectVersion(messageId: string, index: number): void;
}

export interface ViewOptions {
  functions?: RegisteredFunction[];
  contextWindow?: number;
  /** Default 'hermes'. */
  formatId?: FormatId;
}

let n = 0;

export async function appView(replies: Reply[], options: ViewOptions = {}): Promise<ChatView> {
  const engine = new ScriptedStream(replies);
  const registry = new FunctionRegistry();
  for (const fn of options.functions ?? []) registry.register(fn.spec, fn.handler);
  const conversations = new ConversationsState(new ConversationStore(`chat-parity-${++n}`));
  await conversations.init();
  const consent = new ConsentState();
  const chat = new ChatState({
    readiness: () => ({
      generator: engine,
      modelId: 'm',
      formatId: options.formatId ?? 'hermes',
      // As the app loads a raw-prompt format's model (engine.svelte.ts promptRendering 'raw') and the widget too.
      ...(getPromptFormat(options.formatId ?? 'hermes').api === 'completion' ? { canConstrainRaw: true } : {}),
      ...(options.contextWindow ? { contextWindow: options.contextWindow } : {}),
    }),
    format: getPromptFormat,
    registry: () => registry,
    settings: new SettingsState(undefined),
    conversations,
    confirmCall: consent.confirm,
  });
  const conversation = conversations.current;
  if (!conversation) throw new Error('no conversation');
  return {
    name: 'app',
    engine,
    consent,
    send: async (text) => {
      await chat.send(conversation, text);
    },
    stop: () => chat.stop(),
    messages: () => conversation.messages,
    regenerate: async (id) => {
      await chat.regenerate(conversation, id);
    },
    continueAnswer: async (id) => {
      await chat.continueAnswer(conversation, id);
    },
    editAndResend: async (id, text) => {
      await chat.editAndResend(conversation, id, text);
    },
    selectVersion: (id, index) => {
      const m = conversation.messages.find((x) => x.id === id);
      if (m?.role === 'assistant') chat.selectVersion(conversation, m, index);
    },
  };
}

export async function widgetView(replies: Reply[], options: ViewOptions = {}): Promise<ChatView> {
  const engine = new ScriptedStream(replies);
  const bridge = new HostBridge({ parent: null, allowedOrigins: [], callTimeoutMs: 1000, warn: () => {} });
  const consent = new ConsentState();
  const chat = new EmbedChat({
    engine,
    modelId: 'm',
    format: getPromptFormat(options.formatId ?? 'hermes'),
    builtins: options.functions ?? [],
    bridge,
    consent,
    downloadConsent: new AgreedDownloads(),
    ...(options.contextWindow ? { contextWindow: options.contextWindow } : {}),
  });
  return {
    name: 'widget',
    engine,
    consent,
    send: (text) => chat.send(text),
    stop: () => chat.stop(),
    messages: () => chat.messages,
    regenerate: (id) => chat.regenerate(id),
    continueAnswer: (id) => chat.continueAnswer(id),
    editAndResend: (id, text) => chat.editAndResend(id, text),
    selectVersion: (id, index) => chat.selectVersion(id, index),
  };
}
