/**
 * The engine worker's network allow-list. A dedicated worker is not bound by its page's
 * Content-Security-Policy (CSP3 and Chromium: it gets the policy of its own script response; checked
 * in Chromium 156, where a worker fetched a host its page's `connect-src` refused). `_headers` gives
 * the worker a static policy, which must allow any https: host; this narrows it like the page's
 * runtime policy does (src/security/runtimePolicy.ts): every model the worker is asked to load or
 * look up must come from an allowed origin, or the request fails with ModelHostNotAllowedError before
 * anything is fetched. web-llm derives every download from a record's `model` and `model_lib` URLs,
 * so checking those two covers them (huggingface.co's redirects go to its CDNs, listed in the policy).
 *
 * The page sends its list as the worker's first message (createWorkerPort); the worker accepts only
 * that first one. Until then it allows the catalog's hosts and loopback.
 */
import { runtimeConnectSrc, urlAllowed } from '../security/contentSecurityPolicy.ts';

export interface ConnectPolicyMessage {
  kind: 'connectPolicy';
  sources: string[];
}

export function isConnectPolicyMessage(data: unknown): data is ConnectPolicyMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as { kind?: unknown; sources?: unknown };
  return m.kind === 'connectPolicy' && Array.isArray(m.sources) && m.sources.every((s) => typeof s === 'string');
}

export class WorkerConnectPolicy {
  #sources: readonly string[] = runtimeConnectSrc([]);
  #fixed = false;
  readonly #selfOrigin: string;

  constructor(selfOrigin: string) {
    this.#selfOrigin = selfOrigin;
  }

  /** Takes the page's list; only the first call counts. */
  fix(sources: readonly string[]): void {
    if (this.#fixed) return;
    this.#fixed = true;
    this.#sources = [...sources];
  }

  allows(url: string): boolean {
    return urlAllowed(url, this.#sources, this.#selfOrigin);
  }
}
