/**
 * The engine worker's network allow-list. A dedicated worker is not bound by its page's
 * Content-Security-Policy (CSP3 and Chromium: it gets the policy of its own script response; checked
 * in Chromium 156, where a worker fetched a host its page's `connect-src` refused). `_headers` gives
 * the worker file the same connect-src as the pages, but a host that sends no headers leaves the
 * worker unbound, so the worker checks for itself: every model it is asked to load or look up must
 * come from this build's connect-src (src/security/connectPolicy.ts), or the request fails with
 * ModelHostNotAllowedError before anything is fetched. web-llm derives every download from a
 * record's `model` and `model_lib` URLs, so checking those two covers them (huggingface.co's
 * redirects go to its CDNs, listed in the policy).
 */
import { urlAllowed } from '../security/contentSecurityPolicy.ts';
import { CONNECT_SOURCES } from '../security/connectPolicy.ts';

export class WorkerConnectPolicy {
  readonly #sources: readonly string[];
  readonly #selfOrigin: string;

  /** `sources`: the allowed connect-src (this build's by default). */
  constructor(selfOrigin: string, sources: readonly string[] = CONNECT_SOURCES) {
    this.#selfOrigin = selfOrigin;
    this.#sources = sources;
  }

  allows(url: string): boolean {
    return urlAllowed(url, this.#sources, this.#selfOrigin);
  }
}
