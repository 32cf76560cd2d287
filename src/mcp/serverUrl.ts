/**
 * Checks a tool-server address before it is saved, and suggests the server's name.
 *
 * The page may only connect where this build's connect-src allows (security/connectPolicy.ts):
 * the site, loopback and the deployment's CALLAMA_MODEL_HOSTS. A server elsewhere is refused here,
 * with the reason, rather than saved and then blocked by the browser on every connect; the static
 * policy is not widened for tool servers (a page cannot widen its header policy anyway).
 */
import { connectAllowed } from '../security/connectPolicy.ts';
import { HOST_NOT_ALLOWED_ADVICE } from '../security/contentSecurityPolicy.ts';
import { SERVER_NAME_PATTERN } from '../lib/mcp/admitTools.ts';

export type ServerUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

export function checkServerUrl(text: string, selfOrigin?: string): ServerUrlCheck {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, reason: 'Enter the server’s full address, e.g. http://localhost:3000/mcp.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: 'Tool servers are reached over http:// or https://.' };
  }
  if (url.username || url.password) {
    return { ok: false, reason: 'Leave the user name and password out of the address; use the token field.' };
  }
  const allowed = selfOrigin === undefined ? connectAllowed(url.href) : connectAllowed(url.href, selfOrigin);
  if (!allowed) {
    return {
      ok: false,
      reason: `This site may not connect to ${url.origin}: it only reaches localhost, 127.0.0.1 and the hosts its owner allowed. ${HOST_NOT_ALLOWED_ADVICE}`,
    };
  }
  url.hash = '';
  return { ok: true, url: url.href };
}

/** A name for the server's tools (`<name>__<tool>`) from its address: the host's first label, made unique. */
export function suggestServerName(url: string, taken: readonly string[]): string {
  let base = 'mcp';
  try {
    const label = new URL(url).hostname.split('.')[0]?.replace(/[^a-zA-Z0-9_]/g, '_') ?? '';
    if (/^[a-zA-Z]/.test(label)) base = label.slice(0, 20);
    else if (label !== '') base = `mcp_${label}`.slice(0, 20);
  } catch {
    // not a URL: the generic name
  }
  if (!SERVER_NAME_PATTERN.test(base)) base = 'mcp';
  let name = base;
  for (let n = 2; taken.includes(name); n++) name = `${base}${n}`;
  return name;
}
