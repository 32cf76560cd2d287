/**
 * OAuth for tool servers that ask for it: the SDK's browser flow (authorization code with PKCE,
 * dynamic client registration), with everything kept per server (oauthStore.ts).
 *
 * The flow leaves the page: Sign in connects with an interactive provider; the SDK discovers the
 * server's authorization server, registers Callama as a public client, and `redirectToAuthorization`
 * sends the whole page there. The authorization server sends the browser back to the app with
 * `?code=…&state=…`; at start-up `completeSignIn` matches `state` to the server that started, trades
 * the code for tokens (with the saved verifier) and removes the query from the address. Later
 * connects use a quiet provider: it offers the stored tokens (and refreshes them), but never leaves
 * the page on its own — when the tokens are no longer accepted the server shows "Sign in" again.
 */
import { auth, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { readOAuth, writeOAuth, OAUTH_KEY_PREFIX } from './oauthStore.ts';

/** Where the authorization server sends the browser back: the app's own page. */
function appUrl(): string {
  return `${location.origin}${location.pathname}`;
}

export class SignInRequiredError extends Error {
  override readonly name = 'SignInRequiredError';
}

export function browserOAuthProvider(serverId: string, interactive: boolean, storage: Storage): OAuthClientProvider {
  return {
    get redirectUrl() {
      return appUrl();
    },
    get clientMetadata(): OAuthClientMetadata {
      return {
        client_name: 'Callama',
        redirect_uris: [appUrl()],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      };
    },
    state: () => {
      const state = crypto.randomUUID();
      writeOAuth(storage, serverId, (r) => ({ ...r, state }));
      return state;
    },
    clientInformation: () => readOAuth(storage, serverId).client as OAuthClientInformationMixed | undefined,
    saveClientInformation: (client) => writeOAuth(storage, serverId, (r) => ({ ...r, client })),
    tokens: () => readOAuth(storage, serverId).tokens,
    saveTokens: (tokens) => writeOAuth(storage, serverId, ({ verifier: _v, state: _s, ...r }) => ({ ...r, tokens })),
    saveCodeVerifier: (verifier) => writeOAuth(storage, serverId, (r) => ({ ...r, verifier })),
    codeVerifier: () => {
      const verifier = readOAuth(storage, serverId).verifier;
      if (!verifier) throw new SignInRequiredError('The sign-in was not started in this browser; sign in again.');
      return verifier;
    },
    redirectToAuthorization: (url) => {
      if (!interactive) throw new SignInRequiredError('The server needs you to sign in (OAuth).');
      location.assign(url.href);
    },
    invalidateCredentials: (scope) =>
      writeOAuth(storage, serverId, (r) => {
        if (scope === 'all') return {};
        if (scope === 'client') return { ...r, client: undefined };
        if (scope === 'tokens') return { ...r, tokens: undefined };
        if (scope === 'verifier') return { ...r, verifier: undefined };
        return r;
      }),
  };
}

/**
 * Finishes a sign-in the authorization server sent the browser back from, if the address carries one
 * for a known server. Returns that server's id (its tokens are stored), or undefined.
 */
export async function completeSignIn(
  servers: readonly { id: string; url: string }[],
  storage: Storage,
  fetchFor: (url: string) => typeof fetch,
): Promise<string | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const state = params.get('state');
  if (!code || !state) return undefined;
  const server = servers.find((s) => readOAuth(storage, s.id).state === state);
  if (!server) return undefined;
  // The code is used once, whatever happens next: take it out of the address (and the history).
  const clean = new URL(location.href);
  for (const key of ['code', 'state', 'iss']) clean.searchParams.delete(key);
  history.replaceState(history.state, '', clean.href);
  await auth(browserOAuthProvider(server.id, false, storage), {
    serverUrl: server.url,
    authorizationCode: code,
    fetchFn: fetchFor(server.url),
  });
  return server.id;
}

export { OAUTH_KEY_PREFIX };
