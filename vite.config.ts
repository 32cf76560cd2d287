/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { VitePWA } from 'vite-plugin-pwa';
import { contentSecurityPolicy } from './scripts/cspPlugin.ts';
import { micromarkConstructsOnce } from './scripts/micromarkConstructsOnce.ts';
import { domFreeWorkerModules } from './scripts/domFreeWorkerModules.ts';
import { shellChunkGroups } from './scripts/shellChunks.ts';
import { parseEmbedOriginsSetting, parseModelHostsSetting } from './src/security/contentSecurityPolicy.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The browser tests cannot download model weights, so `vite build --mode e2e` swaps the single
 * module that creates the engine for the scripted test double in tests/doubles/. The production
 * build never sees tests/: there is no runtime switch to flip.
 */
function engineTestDouble(mode: string): Plugin {
  const real = `${root}src/engine/createEngine.ts`;
  const double = `${root}tests/doubles/createEngine.ts`;
  return {
    name: 'callama:engine-test-double',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (mode !== 'e2e') return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (resolved && resolved.id.split('?')[0] === real) return double;
      return null;
    },
  };
}

/**
 * The installable, offline app: a Workbox service worker that precaches the shell (both HTML entries,
 * JS, CSS, the engine worker chunk, icons, eval data) and a manifest whose URLs are all relative, so
 * the build works under any path prefix. Updates wait for the user (registerType 'prompt', see
 * src/ui/state/pwa.svelte.ts). Model weights and model libraries are NOT handled here: web-llm fetches
 * them from huggingface.co / raw.githubusercontent.com into its own Cache API caches (`webllm/model`,
 * `webllm/config`, `webllm/wasm`). There is no runtimeCaching rule, so those requests go straight to
 * the network, and cleanupOutdatedCaches only deletes caches named `…-precache-…` (Workbox's own).
 */
function offlineApp(): Plugin[] {
  return VitePWA({
    registerType: 'prompt',
    // Registered from src/ui/state/pwa.svelte.ts (virtual:pwa-register), not by an injected script.
    injectRegister: false,
    // The icons are in the precache already (globPatterns); listing them twice would only add noise.
    includeManifestIcons: false,
    manifest: {
      id: './',
      name: 'Callama',
      short_name: 'Callama',
      description: 'Run function-calling language models entirely in your browser, on your GPU.',
      start_url: './',
      scope: './',
      display: 'standalone',
      theme_color: '#1f2a44',
      background_color: '#121418',
      lang: 'en',
      icons: [
        { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      ],
    },
    workbox: {
      // Workbox's own build mode; Vite's mode ('e2e') is not one it knows.
      mode: 'production',
      globPatterns: ['**/*.{html,js,mjs,css,wasm,svg,png,ico,json,jsonl}'],
      // The web-llm worker chunk is several MB; the shell must still be cached whole.
      maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
      navigateFallback: 'index.html',
      // embed.html?model=…&welcome=… must hit the precached embed.html, not fall back to index.html.
      ignoreURLParametersMatching: [/.*/],
      cleanupOutdatedCaches: true,
      runtimeCaching: [],
    },
  });
}

/**
 * index.html loads theme.js, a parser-blocking classic script, so the chosen theme applies before the
 * first paint. Written before the module script and modulepreload links Vite adds at the end of
 * <head>, it made the browser fetch the app's JavaScript only once theme.js had arrived and run (one
 * more round trip before anything could start: `npm run bench:shell`). Moved after them, all of it is
 * requested at once; theme.js still runs before <body> is parsed, so before the first paint.
 */
function themeScriptLast(): Plugin {
  // The tag (whatever attributes Vite left on it), with the comment just above it that says why it
  // is there; the comment cannot reach past its own end into the markup before it.
  const tag = /(?:[ \t]*<!--(?:(?!-->)[\s\S])*-->\n)?[ \t]*<script src="\.\/theme\.js"[^>]*><\/script>\n?/;
  return {
    name: 'callama:theme-script-last',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const found = tag.exec(html);
        if (!found) return html;
        return html.replace(tag, '').replace('</head>', `  ${found[0].trim()}\n  </head>`);
      },
    },
  };
}

// Sites allowed to frame embed.html, fixed at deploy time (see src/security/contentSecurityPolicy.ts).
const embedOrigins = parseEmbedOriginsSetting(process.env.CALLAMA_EMBED_ORIGINS);
// Hosts custom models may download from besides the catalog's: they join connect-src (README,
// "Privacy and Content-Security-Policy").
const modelHosts = parseModelHostsSetting(process.env.CALLAMA_MODEL_HOSTS);

export default defineConfig(({ mode }) => ({
  // Relative base: the built site works from any path prefix on any static host.
  base: './',
  plugins: [
    engineTestDouble(mode),
    micromarkConstructsOnce(),
    svelte(),
    offlineApp(),
    contentSecurityPolicy({ embedOrigins, modelHosts }),
    themeScriptLast(),
  ],
  // The widget bounds its URL's allowedOrigins by the same list (src/embed/embedConfig.ts).
  // The page and the engine worker check model URLs against the same connect-src (security/connectPolicy.ts).
  define: {
    __CALLAMA_EMBED_ORIGINS__: JSON.stringify(embedOrigins),
    __CALLAMA_MODEL_HOSTS__: JSON.stringify(modelHosts),
  },
  // Workers have no DOM: packages that use it in their "browser" build get their worker one.
  worker: { format: 'es', plugins: () => [domFreeWorkerModules()] },
  build: {
    outDir: mode === 'e2e' ? (process.env.CALLAMA_E2E_OUT_DIR ?? 'dist-e2e') : 'dist',
    target: 'es2022',
    // Every browser with WebGPU supports <link rel="modulepreload">; the polyfill would be one more
    // request before the first screen.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // The app and the compact widget for iframes (see src/embed/); both are precached by the SW.
      input: { main: `${root}index.html`, embed: `${root}embed.html` },
      // The first screen in a few files, not 19 (scripts/shellChunks.ts).
      output: {
        codeSplitting: {
          groups: shellChunkGroups({ app: `${root}src/main.ts`, widget: `${root}src/embed/main.ts` }),
        },
      },
    },
  },
  server: { port: 5173 },
  preview: { port: 4173 },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    // The property and fuzz tests take a few seconds alone, several times that on a shared machine.
    testTimeout: 30_000,
    // Resolved through Vite, not loaded by Node directly, so micromark's parse gets the remembered
    // combineExtensions here as in the build (scripts/micromarkConstructsOnce.ts).
    server: { deps: { inline: [/[\\/]node_modules[\\/](?:micromark|mdast-util-from-markdown)[\\/]/] } },
  },
}));
