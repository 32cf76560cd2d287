/// <reference types="svelte" />
/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/vanillajs" />

/** Sites allowed to frame embed.html, set at build time from CALLAMA_EMBED_ORIGINS (vite.config.ts). */
declare const __CALLAMA_EMBED_ORIGINS__: readonly string[];
/** Hosts custom models may download from besides the catalog's, from CALLAMA_MODEL_HOSTS (vite.config.ts). */
declare const __CALLAMA_MODEL_HOSTS__: readonly string[];
