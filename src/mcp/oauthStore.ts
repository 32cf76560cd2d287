/**
 * What OAuth sign-in keeps per tool server, in localStorage under `callama:mcpOAuth:<server id>`:
 * the client registration the server's authorization server gave Callama, the tokens, and while a
 * sign-in is under way its PKCE code verifier and `state`. Plain storage code without the SDK, so
 * the settings can show "signed in" and sign out without loading it.
 */
export const OAUTH_KEY_PREFIX = 'callama:mcpOAuth:';

export interface OAuthRecord {
  client?: unknown;
  tokens?: { access_token: string; token_type: string; refresh_token?: string; expires_in?: number; scope?: string };
  verifier?: string;
  state?: string;
}

export function readOAuth(storage: Storage | undefined, serverId: string): OAuthRecord {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(OAUTH_KEY_PREFIX + serverId) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

export function writeOAuth(
  storage: Storage | undefined,
  serverId: string,
  change: (r: OAuthRecord) => OAuthRecord,
): void {
  try {
    storage?.setItem(OAUTH_KEY_PREFIX + serverId, JSON.stringify(change(readOAuth(storage, serverId))));
  } catch {
    // Storage full or blocked: the sign-in lasts for this page only (the SDK keeps nothing itself).
  }
}

/** Forgets the tokens and the client registration (Sign out, or the server was removed). */
export function forgetOAuth(storage: Storage | undefined, serverId: string): void {
  try {
    storage?.removeItem(OAUTH_KEY_PREFIX + serverId);
  } catch {
    // blocked storage: nothing was kept
  }
}

export function signedIn(storage: Storage | undefined, serverId: string): boolean {
  return typeof readOAuth(storage, serverId).tokens?.access_token === 'string';
}
