/**
 * The app's ChatState, wired to the engine, the enabled functions, the settings, the conversations and
 * the consent gate. The composition root (appContext.ts) calls `createAppChat` once with the objects it
 * built; kept apart from chat.svelte.ts, whose class tests build with a scripted generator instead.
 */
import { getPromptFormat, type FormatId } from '../../lib/formats/index.ts';
import { findModel } from '../../engine/catalog.ts';
import type { Conversation } from '../persistence/conversation.ts';
import { ChatState } from './chat.svelte.ts';
import { DEFAULT_STALL_AFTER_MS } from '../../lib/chat/chatSession.ts';
import type { ConsentState } from './consent.svelte.ts';
import type { ConversationsState } from './conversations.svelte.ts';
import type { EngineState, EngineStatus } from './engine.svelte.ts';
import type { FunctionsState } from './functions.svelte.ts';
import type { SettingsState } from './settings.svelte.ts';
import { catalogThinkingDefault, thinkingControl, type ThinkingControl } from './thinkingChoice.ts';

/** Why the composer is disabled, per engine status (null: ready). */
export const BLOCKED_REASONS: Record<EngineStatus, string | null> = {
  checking: 'Checking your GPU…',
  unsupported: 'This browser cannot run models: WebGPU is not available.',
  idle: 'Load a model to start chatting.',
  loading: 'The model is loading…',
  ready: null,
  error: 'No model is loaded: the load failed (see above). Retry it, or choose another model.',
  lost: 'The GPU was lost. Reload the model to continue; your conversation is kept.',
};

/** The format used for the loaded model: the user's override, else the model's own. */
export function activeFormatId(
  engineState: Pick<EngineState, 'model'>,
  settingsState: Pick<SettingsState, 'formatOverride'>,
): FormatId | null {
  const model = engineState.model;
  if (!model) return null;
  return settingsState.formatOverride(model.id) ?? model.formatId;
}

/** The thinking switch (or line) the conversation options show for the loaded model and its format. */
export function activeThinkingControl(
  conversation: Conversation,
  engineState: Pick<EngineState, 'model'>,
  settingsState: Pick<SettingsState, 'formatOverride'>,
): ThinkingControl {
  const model = engineState.model;
  const formatId = activeFormatId(engineState, settingsState);
  if (!model || !formatId) return null;
  return thinkingControl(
    getPromptFormat(formatId).syntax.thinking,
    conversation.thinking,
    catalogThinkingDefault(findModel(model.id)),
  );
}

/** What the app's chat is wired to: the objects the composition root built. */
export interface AppChatDeps {
  engine: EngineState;
  settings: SettingsState;
  functions: FunctionsState;
  conversations: ConversationsState;
  consent: ConsentState;
}

export function createAppChat(deps: AppChatDeps): ChatState {
  const {
    engine: engineState,
    settings: settingsState,
    functions: functionsState,
    conversations: conversationsState,
    consent: consentState,
  } = deps;
  return new ChatState({
    readiness: () => {
      // While the last model is being looked up in the cache (status still 'idle'), say so.
      const blocked =
        engineState.resuming && engineState.status === 'idle'
          ? `Loading ${engineState.resuming.name}, the model you used last…`
          : BLOCKED_REASONS[engineState.status];
      const model = engineState.model;
      const formatId = activeFormatId(engineState, settingsState);
      if (blocked !== null || !model || !formatId) return { blocked: blocked ?? BLOCKED_REASONS.idle ?? '' };
      if (!engineState.renderingMatchesFormat)
        return { blocked: 'The prompt format changed: the model is reloaded for it before the next message.' };
      const engine = engineState.engine;
      const thinkingDefault = catalogThinkingDefault(findModel(model.id));
      // Through engineState.generator: after a worker crash it restarts the engine before generating.
      return {
        generator: engineState.generator,
        modelId: model.id,
        formatId,
        ...(model.contextWindow !== undefined ? { contextWindow: model.contextWindow } : {}),
        ...(engineState.promptRendering === 'raw' ? { canConstrainRaw: true } : {}),
        ...(thinkingDefault !== undefined ? { thinkingDefault } : {}),
        // The loaded model's own tokenizer; if it fails (a restarting worker) fitContext estimates instead.
        countTokens: async (text: string) => (await engine.tokenize(text)).ids.length,
      };
    },
    format: getPromptFormat,
    registry: () => functionsState.registry,
    settings: settingsState,
    conversations: conversationsState,
    confirmCall: consentState.confirm,
    stallAfterMs: e2eStallAfterMs,
    restartEngine: () => engineState.restartEngine(),
  });
}

/**
 * The browser tests cannot wait a minute for the no-progress notice: the e2e build (and only it; the
 * branch is compiled out of the others) reads a shorter delay from localStorage `callama-e2e-stall-ms`.
 */
function e2eStallAfterMs(): number {
  if (import.meta.env.MODE === 'e2e') {
    const ms = Number(localStorage.getItem('callama-e2e-stall-ms'));
    if (ms > 0) return ms;
  }
  return DEFAULT_STALL_AFTER_MS;
}
