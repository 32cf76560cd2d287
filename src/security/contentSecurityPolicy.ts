/**
 * The one definition of Callama's Content-Security-Policy. Used at build time by the Vite plugin
 * (scripts/cspPlugin.ts: the <meta> in index.html and embed.html, and the `_headers` file) and at run
 * time by the page and the engine worker (connectPolicy.ts, the same connect-src). Plain TS, no DOM: it runs in Node.
 *
 * What is allowed, and why:
 * - Scripts only from the site itself: no inline script, no `eval`/`new Function` ('unsafe-eval'
 *   appears nowhere here; public/sandbox.html, which compiles the user's own functions, has its own
 *   policy with 'unsafe-eval' and runs in an opaque origin, so that eval cannot reach the app).
 * - 'wasm-unsafe-eval' only for the engine worker: web-llm compiles tvmjs, the model library (.wasm)
 *   and xgrammar with WebAssembly.instantiate there. The pages themselves never compile WebAssembly
 *   (the GPU check and the fake engine are plain JS), so their policy does not allow it.
 * - Network (connect-src): only the hosts the app downloads from: the site, the catalog's model hosts
 *   (huggingface.co, raw.githubusercontent.com), the download CDNs huggingface.co redirects to,
 *   loopback (local model servers), and the hosts the deployment adds for custom models (env
 *   CALLAMA_MODEL_HOSTS at build time). No `https:` catch-all: a script injected into the page could
 *   not send anything elsewhere. A page cannot widen a header policy later (a <meta> policy is only
 *   ever added to it), so a custom model from another host needs a new build; the custom-model form
 *   says so (src/security/connectPolicy.ts).
 * - Styles only from the site's style sheets, no 'unsafe-inline': the built components write no
 *   `style="…"` attributes and use no CSS transitions (which would add <style> elements); Svelte's
 *   `style:` directive sets properties through the CSSOM, which CSP does not restrict. CodeMirror (the
 *   function editor) is mounted in a shadow root, so its run-time styles are a constructed style sheet
 *   (adoptedStyleSheets), which CSP does not restrict either. The browser
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

/**
 * connect-src: the site, the catalog's model hosts, Hugging Face's download CDNs, loopback and the
 * deployment's own model hosts (`modelHosts`, from CALLAMA_MODEL_HOSTS).
 */
export function connectSources(modelHosts: readonly string[]): string[] {
  return [
    ...new Set(["'self'", ...CATALOG_MODEL_ORIGINS, ...MODEL_REDIRECT_SOURCES, ...LOOPBACK_SOURCES, ...modelHosts]),
  ];
}

/** The policy of both pages (index.html, embed.html), minus the header-only directives. */
export function pageDirectives(modelHosts: readonly string[]): Directives {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': connectSources(modelHosts),
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
export function engineWorkerDirectives(modelHosts: readonly string[]): Directives {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'connect-src': connectSources(modelHosts),
  };
}

/**
 * The Markdown worker's own policy (src/ui/components/markdown/parseWorker.ts): it parses text it is
 * sent and loads nothing but its own script, so it may connect nowhere.
 */
export function markdownWorkerDirectives(): Directives {
  return { 'default-src': ["'none'"], 'script-src': ["'self'"] };
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

/** What the app says about a model host outside connect-src: the custom-model form and the engine's error. */
export function hostNotAllowedMessage(url: string): string {
  let where = url;
  try {
    where = new URL(url).origin;
  } catch {
    // not a URL: name it as given
  }
  return `This site does not allow downloads from ${where}.`;
}
export const HOST_NOT_ALLOWED_ADVICE =
  'Its owner can allow the host by adding it to CALLAMA_MODEL_HOSTS when building the site (see “Privacy and Content-Security-Policy” in the README).';

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

/** Splits a deploy-time list of origins (comma or space separated); empty when unset. */
function parseOriginsSetting(name: string, raw: string | undefined, example: string): string[] {
  const entries = (raw ?? '').split(/[\s,]+/).filter((s) => s !== '');
  const bad = entries.filter((e) => !/^https?:\/\/(\*\.)?([^/:\s]+|\[[^\]]+\])(:(\d+|\*))?$/.test(e));
  if (bad.length > 0) throw new Error(`${name}: not origins: ${bad.join(', ')} (use e.g. ${example})`);
  return entries;
}

/**
 * The deploy-time list of sites allowed to frame embed.html (env CALLAMA_EMBED_ORIGINS, comma or
 * space separated: exact origins or "scheme://host:*"). Empty means any site may embed the widget.
 * @throws Error naming the entries that are not origins, so a typo fails the build instead of the widget.
 */
export function parseEmbedOriginsSetting(raw: string | undefined): string[] {
  return parseOriginsSetting('CALLAMA_EMBED_ORIGINS', raw, 'https://shop.example or http://localhost:*');
}

/**
 * The deploy-time hosts custom models may download from, besides the catalog's (env
 * CALLAMA_MODEL_HOSTS, comma or space separated: origins, "https://*.example.org" for its subdomains,
 * "scheme://host:*" for any port). They join connect-src of the pages and the engine worker.
 * @throws Error naming the entries that are not origins, so a typo fails the build.
 */
export function parseModelHostsSetting(raw: string | undefined): string[] {
  return parseOriginsSetting('CALLAMA_MODEL_HOSTS', raw, 'https://models.example.org or https://*.example.org');
}

/** frame-ancestors for embed.html: the site itself plus the deploy-time list, or any site when none is set. */
export function embedFrameAncestors(embedOrigins: readonly string[]): string[] {
  return embedOrigins.length === 0 ? ['*'] : ["'self'", ...embedOrigins];
}
