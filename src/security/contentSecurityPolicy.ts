/**
 * The one definition of Callama's Content-Security-Policy. Used at build time by the Vite plugin
 * (scripts/cspPlugin.ts: the <meta> in index.html and embed.html, and the `_headers` file) and at run
 * time by the page (runtimePolicy.ts: the narrower connect-src). Plain TS, no DOM: it runs in Node.
 *
 * What is allowed, and why:
 * - Scripts only from the site itself: no inline script, no `eval`/`new Function` ('unsafe-eval'
 *   appears nowhere here; public/sandbox.html, which compiles the user's own functions, has its own
 *   policy with 'unsafe-eval' and runs in an opaque origin, so that eval cannot reach the app).
 * - 'wasm-unsafe-eval' only for the engine worker: web-llm compiles tvmjs, the model library (.wasm)
 *   and xgrammar with WebAssembly.instantiate there. The pages themselves never compile WebAssembly
 *   (the GPU check and the fake engine are plain JS), so their policy does not allow it.
 * - Network (connect-src): the site, the model hosts of the catalog, the download CDNs huggingface.co
 *   redirects to, and loopback (local model servers). A static policy cannot know the custom model
 *   hosts a user adds later, so the static one also allows any https: host; the page narrows that at
 *   start to the catalog + the stored custom models (runtimePolicy.ts). A browser enforces every
 *   policy it is given, so the narrower one wins.
 * - Styles only from the site's style sheets, no 'unsafe-inline': the built components write no
 *   `style="…"` attributes and use no CSS transitions (which would add <style> elements); Svelte's
 *   `style:` directive sets properties through the CSSOM, which CSP does not restrict. The browser
 *   tests fail on any violation, so a component that needs inline styles shows up there.
 */
import generated from '../engine/catalog.generated.json' with { type: 'json' };

/** Origins the catalog's model records download from (weights and model libraries). */
export const CATALOG_MODEL_ORIGINS: readonly string[] = [
  ...new Set(generated.variants.flatMap((v) => [new URL(v.model).origin, new URL(v.modelLib).origin])),
].sort();

/**
 * huggingface.co answers `…/resolve/main/params_shard_N.bin` with a redirect to its download CDNs
 * (cdn-lfs.huggingface.co, cdn-lfs-us-1.huggingface.co, cdn-lfs-eu-1.huggingface.co, cdn-lfs.hf.co,
 * cdn-lfs-us-1.hf.co, cas-bridge.xethub.hf.co for Xet-stored files). connect-src is checked on every
 * redirect hop, so they must be allowed; wildcards on Hugging Face's own two domains survive a new CDN
 * name without letting any third party in.
 */
export const MODEL_REDIRECT_SOURCES: readonly string[] = ['https://*.huggingface.co', 'https://*.hf.co'];

/**
 * A model server on the user's own machine (custom models may be served from http://127.0.0.1:PORT).
 * CSP has no syntax for an IPv6 literal host (Chromium ignores 'http://[::1]:*'), so [::1] is not listed.
 */
export const LOOPBACK_SOURCES: readonly string[] = ['http://localhost:*', 'http://127.0.0.1:*'];

export type Directives = Record<string, readonly string[]>;

/** connect-src of the static policy: custom model hosts are unknown at build time, hence https:. */
export const STATIC_CONNECT_SRC: readonly string[] = ["'self'", 'https:', ...LOOPBACK_SOURCES];

/** The policy of both pages (index.html, embed.html), minus the header-only directives. */
export function pageDirectives(): Directives {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': STATIC_CONNECT_SRC,
    // The engine worker and the service worker are files of the site.
    'worker-src': ["'self'"],
    // The user-function sandbox (sandbox.html) is the only frame the app shows.
    'frame-src': ["'self'"],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
  };
}

/** The engine worker's own policy (a dedicated worker does NOT inherit the page's; see README). */
export function engineWorkerDirectives(): Directives {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'connect-src': STATIC_CONNECT_SRC,
  };
}

/**
 * sandbox.html's policy as a header. The page's own <meta> (public/sandbox.html) forbids the network
 * and allows 'unsafe-eval' for the user's code; the header adds what a <meta> cannot carry:
 * - `sandbox allow-scripts`: the page gets an opaque origin however it is loaded. Without it, another
 *   site could frame (or open) sandbox.html WITHOUT the sandbox attribute, so that it runs in the app's
 *   origin, and send it code that reads the app's IndexedDB (conversations, notes) over the port.
 * - `frame-ancestors 'self'`: only the app's own pages may frame it.
 * (The page also refuses to serve unless its origin is opaque, for hosts that send no headers.)
 */
export function sandboxPageDirectives(): Directives {
  return {
    sandbox: ['allow-scripts'],
    'default-src': ["'none'"],
    'script-src': ["'unsafe-inline'", "'unsafe-eval'"],
    'worker-src': ['blob:'],
    'frame-ancestors': ["'self'"],
  };
}

/** The narrower connect-src the page adds at start: site + catalog + redirect CDNs + loopback + `extraOrigins`. */
export function runtimeConnectSrc(extraOrigins: readonly string[]): string[] {
  return [
    ...new Set(["'self'", ...CATALOG_MODEL_ORIGINS, ...MODEL_REDIRECT_SOURCES, ...LOOPBACK_SOURCES, ...extraOrigins]),
  ];
}

/** Serializes directives as a policy string ("a b; c d"). */
export function serializePolicy(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/**
 * Does `origin` (e.g. "http://localhost:5000") match a CSP-style origin `pattern`: an exact origin,
 * or one with a wildcard port ("http://localhost:*") or a wildcard first label ("https://*.hf.co")?
 */
export function originMatches(pattern: string, origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const m = /^(https?):\/\/(\*\.)?([^/:]+|\[[^\]]+\])(?::(\d+|\*))?$/.exec(pattern);
  if (!m) return false;
  const [, scheme, wildcardHost, host = '', port] = m;
  if (url.protocol !== `${scheme}:`) return false;
  const hostOk = wildcardHost ? url.hostname.endsWith(`.${host}`) : url.hostname === host;
  if (!hostOk) return false;
  if (port === '*') return true;
  const defaultPort = scheme === 'https' ? '443' : '80';
  return (url.port || defaultPort) === (port ?? defaultPort);
}

/** Is the URL's origin one of `sources` ('self' matching `selfOrigin`)? */
export function urlAllowed(url: string, sources: readonly string[], selfOrigin?: string): boolean {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return false;
  }
  return sources.some((s) => (s === "'self'" ? origin === selfOrigin : originMatches(s, origin)));
}

/**
 * The deploy-time list of sites allowed to frame embed.html (env CALLAMA_EMBED_ORIGINS, comma or
 * space separated: exact origins or "scheme://host:*"). Empty means any site may embed the widget.
 * @throws Error naming the entries that are not origins, so a typo fails the build instead of the widget.
 */
export function parseEmbedOriginsSetting(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(/[\s,]+/).filter((s) => s !== '');
  const bad = entries.filter((e) => !/^https?:\/\/(\*\.)?([^/:\s]+|\[[^\]]+\])(:(\d+|\*))?$/.test(e));
  if (bad.length > 0)
    throw new Error(
      `CALLAMA_EMBED_ORIGINS: not origins: ${bad.join(', ')} (use e.g. https://shop.example or http://localhost:*)`,
    );
  return entries;
}

/** frame-ancestors for embed.html: the site itself plus the deploy-time list, or any site when none is set. */
export function embedFrameAncestors(embedOrigins: readonly string[]): string[] {
  return embedOrigins.length === 0 ? ['*'] : ["'self'", ...embedOrigins];
}
