import { mount } from 'svelte';
import App from './App.svelte';
import { customModelsState } from './ui/state/customModels.svelte.ts';
import { installConnectPolicy, originsOf } from './security/runtimePolicy.ts';

// Before anything can fetch: narrow connect-src to the catalog and the stored custom model hosts
// (src/security/runtimePolicy.ts). Module code that ran during the imports makes no requests but
// the service worker registration, which stays on this origin.
installConnectPolicy(document, originsOf(customModelsState.all.flatMap((m) => [m.modelUrl, m.modelLibUrl])));

const target = document.getElementById('app');
if (!target) throw new Error('Callama: #app element missing from index.html');
mount(App, { target });
