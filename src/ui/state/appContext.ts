/**
 * The app's composition root: every state object the UI uses, built once and handed down through
 * Svelte context.
 *
 * Design:
 * - No state module creates an instance when imported (tests/unit/architecture.test.ts checks it).
 *   `createAppContext` builds them all from what the outside world provides (the engine, storage, the
 *   store channel, the PWA object), and wires them to each other through constructor arguments.
 * - What the first screen does not use is built here too, but on first use, with its code loaded by
 *   `import()` then (the evaluator's state; the MCP tool-servers state, through LazyToolServers), so
 *   the shell does not carry it (`npm run bench:shell`).
 * - Constructing starts nothing that reaches the network or the GPU: src/main.ts installs the page's
 *   connect-src policy (it needs the stored custom models, read here), then calls `startApp`, then
 *   mounts. Unit tests build the same graph around a scripted engine and in-memory storage.
 * - Components call `getAppContext()` during their initialisation and take what they need; the
 *   context map comes from `appContextMap` (mount's and svelte/server render's `context` option).
 */
import { getContext } from 'svelte';
import type { Engine } from '../../engine/engine.ts';
import type { GpuReport } from '../../engine/gpu.ts';
import type { ConversationStore } from '../persistence/conversationStore.ts';
import type { StoreChannel } from '../persistence/storeChannel.ts';
import type { ChatState } from './chat.svelte.ts';
import { createAppChat } from './chatState.ts';
import { ConsentState } from './consent.svelte.ts';
import { ConversationsState } from './conversations.svelte.ts';
import { CustomModelsState } from './customModels.svelte.ts';
import { ServerModelsState } from './serverModels.svelte.ts';
import { EngineState, resolveModel, type ModelLookup } from './engine.svelte.ts';
import type { ResolvedModel } from '../../engine/resolveModel.ts';
import type { EvalState } from './eval.svelte.ts';
import { FunctionsState, type FunctionsStateOptions } from './functions.svelte.ts';
import { LastModelStore } from './lastModel.ts';
import { DownloadConsentStore } from './downloadConfirm.ts';
import type { PwaState } from './pwa.svelte.ts';
import { SettingsState } from './settings.svelte.ts';
import { loadOnce } from '../../lib/async/loadOnce.ts';
import { nextTask } from '../../lib/async/nextTask.ts';
import { LazyToolServers } from './lazyToolServers.svelte.ts';

export interface AppContext {
  settings: SettingsState;
  customModels: CustomModelsState;
  /** Models run on a server the user added ("Run on a server"). */
  serverModels: ServerModelsState;
  conversations: ConversationsState;
  functions: FunctionsState;
  consent: ConsentState;
  engine: EngineState;
  chat: ChatState;
  /**
   * The Evaluate view's state, built the first time the view asks for it, with the evaluator's code
   * (the first screen does not carry it); then the same object, so results survive switching views.
   */
  evaluation: () => Promise<EvalState>;
  pwa: PwaState;
  /**
   * MCP tool servers; their tools join `functions.registry`. Their state loads with the first saved
   * server (`load()` gives it to Settings).
   */
  toolServers: LazyToolServers;
  /** Which model an id means: a catalog entry or one of the user's custom models, as the engine loads it. */
  resolveModel: (modelId: string) => ResolvedModel | undefined;
}

export interface AppContextDeps {
  engine: Engine;
  /** localStorage in the app: settings, custom models, toggles, "always allow", the last model. */
  storage: Storage | undefined;
  /** How the tabs of the app tell each other of stored changes. */
  channel: StoreChannel;
  pwa: PwaState;
  /** The conversations' IndexedDB store (default: the app's database). */
  conversationStore?: ConversationStore;
  /** The user functions' store (default: their IndexedDB store). */
  functionStore?: FunctionsStateOptions['store'];
  /** The GPU check (default: the browser's WebGPU adapter). */
  detectGpu?: () => Promise<GpuReport>;
}

/** Builds the app's state objects, wired to each other. Starts nothing; see `startApp`. */
export function createAppContext(deps: AppContextDeps): AppContext {
  const { storage, channel } = deps;
  const settings = new SettingsState(storage, channel);
  const customModels = new CustomModelsState(storage, channel);
  const serverModels = new ServerModelsState(storage, channel);
  const conversations = new ConversationsState(deps.conversationStore, channel, {
    defaultSystem: () => settings.defaultSystem,
  });
  const consent = new ConsentState({ storage, channel });
  const toolServers = new LazyToolServers({
    storage,
    channel,
    create: async () => {
      const { ToolServersState } = await import('./toolServers.svelte.ts');
      return new ToolServersState({
        storage,
        channel,
        takenNames: (): string[] => functions.all.map((f) => f.spec.name),
        revokeConsent: (name) => consent.revoke(name),
      });
    },
  });
  const functions: FunctionsState = new FunctionsState({
    storage,
    channel,
    external: () => toolServers.functions,
    ...(deps.functionStore ? { store: deps.functionStore } : {}),
  });
  const lookup: ModelLookup = {
    formatOverride: (modelId) => settings.formatOverride(modelId),
    findCustom: (modelId) => customModels.find(modelId),
    findServer: (modelId) => serverModels.find(modelId),
  };
  const resolve = (modelId: string) => resolveModel(modelId, lookup);
  const engine = new EngineState({
    engine: deps.engine,
    resolve,
    formatOverride: lookup.formatOverride,
    lastModel: new LastModelStore(storage),
    downloadConsent: new DownloadConsentStore(storage),
    loadLastOnStart: () => settings.loadLastModel,
    ...(deps.detectGpu ? { detectGpu: deps.detectGpu } : {}),
  });
  const chat = createAppChat({ engine, settings, functions, conversations, consent });
  return {
    settings,
    customModels,
    serverModels,
    conversations,
    functions,
    consent,
    engine,
    chat,
    // A chunk missing after an update: the next visit to the view tries again (loadOnce).
    evaluation: loadOnce(async () => new (await import('./eval.svelte.ts')).EvalState()),
    pwa: deps.pwa,
    toolServers,
    resolveModel: resolve,
  };
}

/**
 * The start-up work that reaches outside the page: the install prompt listener and the service worker
 * (registered once the page has loaded), then the stored tool servers and the GPU check followed by
 * loading the last model from the browser cache. Called right after the first screen is mounted. The
 * tool servers and the GPU check wait for the next task, so the first screen answers input without
 * waiting for them: the GPU check alone is a few ms of script, and the screen shows that it is
 * checking until it is done.
 * (The conversations open when the App mounts, with the listeners that flush them on hide.)
 */
export async function startApp(app: AppContext): Promise<void> {
  app.pwa.start();
  await nextTask();
  app.toolServers.start();
  return app.engine.start();
}

const KEY = Symbol('callama:app');

/** The context map for `mount(App, { context })` (or svelte/server `render` in tests). */
export function appContextMap(app: AppContext): Map<symbol, AppContext> {
  return new Map([[KEY, app]]);
}

/**
 * The app's state objects, for a component. Call it during component initialisation (the top of its
 * script), as Svelte's getContext requires.
 * @throws Error when the component was mounted without the app's context
 */
export function getAppContext(): AppContext {
  const app = getContext<AppContext | undefined>(KEY);
  if (!app) throw new Error('Callama: the app context is missing (mount with appContextMap).');
  return app;
}
