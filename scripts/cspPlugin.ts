/**
 * Build step for the Content-Security-Policy (policy itself: src/security/contentSecurityPolicy.ts).
 *
 * - Puts the page policy as `<meta http-equiv="Content-Security-Policy">` first in the <head> of
 *   index.html and embed.html, so it holds on any static host, even one that sets no headers.
 * - Writes `_headers` (Netlify / Cloudflare Pages syntax) with the same policy plus what a <meta>
 *   cannot carry: `frame-ancestors` ('none' for the app; the deploy-time list for embed.html) and the
 *   engine worker's own policy (a dedicated worker gets its policy from its own response, not from
 *   the page that starts it), the Markdown worker's (it may connect nowhere), and sandbox.html's
 *   `sandbox` and `frame-ancestors` directives.
 *   `_headers` paths are from the host's root: the header file assumes the site is deployed at the
 *   root of its domain; under a sub-path the <meta> policy still applies.
 *
 * Build only: the dev server injects its own client and HMR code, which the policy would refuse.
 */
import type { Plugin } from 'vite';
import {
  embedFrameAncestors,
  engineWorkerDirectives,
  markdownWorkerDirectives,
  pageDirectives,
  sandboxPageDirectives,
  serializePolicy,
} from '../src/security/contentSecurityPolicy.ts';

export const HEADERS_FILE = '_headers';

export interface CspPluginOptions {
  /** Sites allowed to frame embed.html (exact origins or "scheme://host:*"); empty: any site. */
  embedOrigins: readonly string[];
  /** Hosts custom models may download from besides the catalog's (CALLAMA_MODEL_HOSTS); joins connect-src. */
  modelHosts: readonly string[];
}

/**
 * The `_headers` text. `workerFiles` are the engine worker chunks (e.g. "assets/worker-abc.js"),
 * `markdownWorkerFiles` the Markdown worker's ("assets/parseWorker-abc.js").
 */
export function headersFile(
  options: CspPluginOptions,
  workerFiles: readonly string[],
  markdownWorkerFiles: readonly string[] = [],
): string {
  const page = serializePolicy(pageDirectives(options.modelHosts));
  const app = `${page}; frame-ancestors 'none'`;
  const embed = `${page}; frame-ancestors ${embedFrameAncestors(options.embedOrigins).join(' ')}`;
  const rule = (path: string, headers: Record<string, string>) =>
    [path, ...Object.entries(headers).map(([k, v]) => `  ${k}: ${v}`)].join('\n');
  return [
    '# Generated at build time by scripts/cspPlugin.ts from src/security/contentSecurityPolicy.ts.',
    '# Paths are from the root of the host.',
    // Every path, including the ones a host's SPA fallback answers with index.html: those get no
    // rule of their own, so without this line the app could be framed under any unknown path.
    // X-Frame-Options, not a catch-all CSP: both hosts join headers of all matching rules, and a
    // second `frame-ancestors 'none'` policy would also forbid framing embed.html. Browsers ignore
    // X-Frame-Options on a response whose CSP has frame-ancestors (HTML standard, "check a
    // navigation response's adherence to X-Frame-Options"), so embed.html keeps its own list.
    rule('/*', { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' }),
    rule('/', { 'Content-Security-Policy': app }),
    rule('/index.html', { 'Content-Security-Policy': app }),
    rule('/embed.html', { 'Content-Security-Policy': embed }),
    // Cloudflare Pages serves embed.html as /embed.
    rule('/embed', { 'Content-Security-Policy': embed }),
    ...workerFiles.map((f) =>
      rule(`/${f}`, { 'Content-Security-Policy': serializePolicy(engineWorkerDirectives(options.modelHosts)) }),
    ),
    ...markdownWorkerFiles.map((f) =>
      rule(`/${f}`, { 'Content-Security-Policy': serializePolicy(markdownWorkerDirectives()) }),
    ),
    rule('/sw.js', { 'Content-Security-Policy': "default-src 'self'" }),
    // The user-function sandbox: opaque origin however it is loaded, framed only by the app.
    rule('/sandbox.html', { 'Content-Security-Policy': serializePolicy(sandboxPageDirectives()) }),
    rule('/sandbox', { 'Content-Security-Policy': serializePolicy(sandboxPageDirectives()) }),
    '',
  ].join('\n');
}

export function contentSecurityPolicy(options: CspPluginOptions): Plugin {
  return {
    name: 'callama:content-security-policy',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: {
            'http-equiv': 'Content-Security-Policy',
            content: serializePolicy(pageDirectives(options.modelHosts)),
          },
          injectTo: 'head-prepend',
        },
      ],
    },
    generateBundle(_options, bundle) {
      // The engine worker is bundled on its own and arrives here as an emitted file.
      const workerFiles = Object.keys(bundle).filter((f) => /^assets\/worker-[\w-]+\.js$/.test(f));
      const markdownWorkerFiles = Object.keys(bundle).filter((f) => /^assets\/parseWorker-[\w-]+\.js$/.test(f));
      this.emitFile({
        type: 'asset',
        fileName: HEADERS_FILE,
        source: headersFile(options, workerFiles, markdownWorkerFiles),
      });
    },
  };
}
