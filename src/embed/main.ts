/**
 * Entry of embed.html and the widget's composition root: the compact chat widget for iframes. It
 * builds the engine, the host bridge, the chat and the PWA object once and hands them to EmbedApp as
 * props (no module creates state when imported). Everything comes from the URL (see embedConfig.ts);
 * host functions arrive over postMessage (see protocol.ts and hostBridge.ts).
 */
import '../ui/styles/app.css';
import './embed.css';
import { mount } from 'svelte';
import EmbedApp from './EmbedApp.svelte';
import { createEngine } from '../engine/createEngine.ts';
import { defaultModelId, findModel } from '../engine/catalog.ts';
import { FORMAT_IDS, getPromptFormat, isFormatId } from '../lib/formats/index.ts';
import { builtinFunctions } from '../functions/index.ts';
import { parseEmbedConfig } from './embedConfig.ts';
import { HostBridge } from './hostBridge.ts';
import { EmbedChat } from './embedChat.svelte.ts';
import { catalogThinkingDefault } from '../ui/state/thinkingChoice.ts';
import { PwaState } from '../ui/state/pwa.svelte.ts';

// Registers the service worker, so the widget (and the cached model) also works offline.
new PwaState().start();

const config = parseEmbedConfig(location.search, {
  formats: FORMAT_IDS,
  functions: builtinFunctions.map((f) => f.id),
  deployOrigins: __CALLAMA_EMBED_ORIGINS__,
});
if (config.theme !== 'auto') document.documentElement.dataset.theme = config.theme;

// Without a model parameter: the catalog default in its q4f32 build, which every WebGPU device runs.
const modelId = config.model ?? defaultModelId({ hasF16: false });
const model = findModel(modelId);
const formatId = config.format ?? model?.formatId;

let chat: EmbedChat | null = null;
const bridge = new HostBridge({
  parent: window.parent !== window ? window.parent : null,
  allowedOrigins: config.allowedOrigins,
  callTimeoutMs: config.callTimeoutMs,
  reservedNames: () => config.functions,
  onChange: (specs) => chat?.setHostFunctions(specs),
});

const thinkingDefault = catalogThinkingDefault(model);
if (model && formatId && isFormatId(formatId)) {
  chat = new EmbedChat({
    engine: createEngine(),
    modelId,
    format: getPromptFormat(formatId),
    builtins: builtinFunctions.filter((f) => config.functions.includes(f.id)),
    bridge,
    modelName: model.displayName,
    ...(model.contextWindow !== undefined ? { contextWindow: model.contextWindow } : {}),
    ...(thinkingDefault !== undefined ? { thinkingDefault } : {}),
  });
}

const target = document.getElementById('embed');
if (!target) throw new Error('Callama: #embed element missing from embed.html');
mount(EmbedApp, {
  target,
  props: {
    chat,
    setupError: `Unknown model "${modelId}": use a model id from Callama's catalog.`,
    modelName: model?.displayName ?? modelId,
    downloadMB: model?.downloadMB,
    welcome: config.welcome,
    autoload: config.autoload,
    problems: config.problems,
  },
});

// Listen before announcing, so the host's first registration is never missed.
window.addEventListener('message', bridge.handleMessage);
bridge.announce();
