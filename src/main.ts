/**
 * Entry of index.html and the app's composition root: builds every state object once
 * (ui/state/appContext.ts), mounts the App with the objects in its Svelte context, then starts the
 * outside work (the first screen first). No module creates state when it is imported.
 */
import { mount } from 'svelte';
import App from './App.svelte';
import { createEngine } from './engine/createEngine.ts';
import { RoutingEngine } from './engine/routingEngine.ts';
import { StoreChannel } from './ui/persistence/storeChannel.ts';
import { PwaState } from './ui/state/pwa.svelte.ts';
import { appContextMap, createAppContext, startApp } from './ui/state/appContext.ts';

const app = createAppContext({
  // Browser models (web-llm, or the test double in the e2e build) and server models (real HTTP in every build).
  // The server engine's code loads with the first server model (routingEngine.ts).
  engine: new RoutingEngine(createEngine(), () =>
    import('./engine/server/serverEngine.ts').then((m) => new m.ServerEngine()),
  ),
  storage: globalThis.localStorage,
  channel: new StoreChannel(),
  pwa: new PwaState(),
});

const target = document.getElementById('app');
if (!target) throw new Error('Callama: #app element missing from index.html');
mount(App, { target, context: appContextMap(app) });

void startApp(app);
