/**
 * Entry of index.html and the app's composition root: builds every state object once
 * (ui/state/appContext.ts), starts the outside work, and mounts the App with the objects in its
 * Svelte context. No module creates state when it is imported.
 */
import { mount } from 'svelte';
import App from './App.svelte';
import { createEngine } from './engine/createEngine.ts';
import { StoreChannel } from './ui/persistence/storeChannel.ts';
import { PwaState } from './ui/state/pwa.svelte.ts';
import { appContextMap, createAppContext, startApp } from './ui/state/appContext.ts';

const app = createAppContext({
  engine: createEngine(),
  storage: globalThis.localStorage,
  channel: new StoreChannel(),
  pwa: new PwaState(),
});

void startApp(app);

const target = document.getElementById('app');
if (!target) throw new Error('Callama: #app element missing from index.html');
mount(App, { target, context: appContextMap(app) });
