/**
 * The page's second, narrower Content-Security-Policy, added by the first module that runs.
 *
 * The static policy (the <meta> from the build, and `_headers`) must allow every https: host, because
 * the custom model hosts a user adds are unknown at build time. At start the page knows them (they are
 * stored), so it adds `<meta http-equiv="Content-Security-Policy" content="connect-src …">` with only
 * the site, the catalog's model hosts, Hugging Face's download CDNs, loopback and the stored custom
 * model hosts. Browsers enforce every policy they get, so a request must pass both: the narrower one
 * wins. A policy can only be tightened, never widened, so a custom model from a new host needs a
 * reload (the custom-model form says so and offers one).
 *
 * The engine worker is not governed by the page's policy (a dedicated worker gets its policy from its
 * own response); the page hands it the same list (src/engine/workerConnectPolicy.ts).
 */
import { runtimeConnectSrc, urlAllowed } from './contentSecurityPolicy.ts';

let installed: readonly string[] | undefined;

/** Origins of the URLs (invalid ones skipped). */
export function originsOf(urls: readonly string[]): string[] {
  const origins = new Set<string>();
  for (const url of urls) {
    try {
      origins.add(new URL(url).origin);
    } catch {
      // not a URL: nothing to allow
    }
  }
  return [...origins];
}

/** Adds the narrower connect-src policy to `doc` (once); returns its sources. */
export function installConnectPolicy(doc: Document, extraOrigins: readonly string[]): readonly string[] {
  if (installed) return installed;
  const sources = runtimeConnectSrc(extraOrigins);
  const meta = doc.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = `connect-src ${sources.join(' ')}`;
  doc.head.append(meta);
  installed = sources;
  return sources;
}

/** The connect-src sources this page enforces, or undefined when none was installed (unit tests). */
export function connectSourcesNow(): readonly string[] | undefined {
  return installed;
}

/** The page's origin; undefined in Node tests, which have no `location`. */
function pageOrigin(): string | undefined {
  return typeof location === 'undefined' ? undefined : location.origin;
}

/** Can this page connect to `url` without a reload? (true when no narrower policy is installed) */
export function connectAllowedNow(url: string, selfOrigin: string | undefined = pageOrigin()): boolean {
  return installed === undefined || urlAllowed(url, installed, selfOrigin);
}
