/**
 * This build's connect-src as a check the code can ask before it fetches: the same list the static
 * policy carries (the <meta> and `_headers`, contentSecurityPolicy.ts), with the deployment's model
 * hosts (CALLAMA_MODEL_HOSTS) baked in at build time.
 *
 * The browser enforces the policy anyway; asking first lets the custom-model form refuse a host the
 * deployment does not allow with a sentence that says so, instead of saving a model that could never
 * download. A page cannot widen its header policy (a <meta> policy is only added to it, and a
 * request must pass both), so such a host needs a new build with the host in CALLAMA_MODEL_HOSTS.
 * The engine worker, which is not bound by the page's policy, checks model URLs against the same
 * list (src/engine/workerConnectPolicy.ts).
 */
import { connectSources, urlAllowed } from './contentSecurityPolicy.ts';

/** connect-src of this build. */
export const CONNECT_SOURCES: readonly string[] = connectSources(__CALLAMA_MODEL_HOSTS__);

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

/** The page's origin; undefined in Node tests, which have no `location`. */
function pageOrigin(): string | undefined {
  return typeof location === 'undefined' ? undefined : location.origin;
}

/** May this build's pages connect to `url`? */
export function connectAllowed(url: string, selfOrigin: string | undefined = pageOrigin()): boolean {
  return urlAllowed(url, CONNECT_SOURCES, selfOrigin);
}
