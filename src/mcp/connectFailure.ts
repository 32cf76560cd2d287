/**
 * Why a tool server could not be reached, in a sentence the user can act on.
 *
 * An HTTP answer carries its status (the SDK's StreamableHTTPError / SseError `code`). A request the
 * browser would not let the page read fails as a bare TypeError ("Failed to fetch") for every cause
 * alike: no CORS headers, nothing listening, no network. To tell them apart, `probe` asks the
 * address once more in `no-cors` mode, which needs no CORS headers: if that answers, the server is
 * there and only its CORS headers are missing; if it fails too, nothing answers at that address.
 */
export type Probe = (url: URL) => Promise<'answered' | 'unreachable' | 'offline'>;

/** The browser's own probe: an opaque no-cors request to the server's address. */
export const browserProbe: Probe = async (url) => {
  if (typeof navigator !== 'undefined' && !navigator.onLine) return 'offline';
  try {
    await fetch(url, { mode: 'no-cors', cache: 'no-store', credentials: 'omit' });
    return 'answered';
  } catch {
    return 'unreachable';
  }
};

export async function describeConnectFailure(error: unknown, url: URL, probe: Probe = browserProbe): Promise<string> {
  const code = httpStatus(error);
  if (error instanceof Error && (error.name === 'UnauthorizedError' || error.name === 'SignInRequiredError')) {
    return unauthorized();
  }
  if (code !== undefined) {
    if (code === 401) return unauthorized();
    if (code === 403) return 'The server refused the connection (403 Forbidden): the token may lack a permission.';
    if (code === 404) {
      return `Nothing answers MCP at ${url.pathname} on this server (404 Not Found): check the path (often /mcp or /sse).`;
    }
    if (code === 405)
      return `The server does not take MCP requests at ${url.pathname} (405 Method Not Allowed): check the path.`;
    return `The server answered ${code}${messageOf(error)}.`;
  }
  if (error instanceof TypeError) {
    if (/only contacts the tool server/.test(error.message)) return error.message;
    switch (await probe(url)) {
      case 'offline':
        return 'You are offline: the browser has no network connection.';
      case 'answered':
        return `The server at ${url.origin} answered, but without the CORS headers that let this page read its answers. Have it send Access-Control-Allow-Origin (this page's origin or *), allow the Content-Type, Authorization, Mcp-Session-Id and Mcp-Protocol-Version request headers, and expose Mcp-Session-Id.`;
      default:
        return `Nothing answers at ${url.origin}: the connection was refused or the server is down. Check that it runs and listens on that port.`;
    }
  }
  if (error instanceof Error && /timed out/i.test(error.message)) {
    return `The server at ${url.origin} did not answer in time.`;
  }
  return `The server could not be used: ${error instanceof Error ? error.message : String(error)}`;
}

function unauthorized(): string {
  return 'The server needs authorization (401 Unauthorized): sign in, or enter the bearer token it expects.';
}

/** The HTTP status an SDK transport error carries, if the failure was an HTTP answer. */
function httpStatus(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  // McpError codes are negative JSON-RPC codes; HTTP statuses are 100–599.
  return typeof code === 'number' && code >= 100 && code <= 599 ? code : undefined;
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return '';
  const text = error.message.replace(/^Streamable HTTP error: /, '').trim();
  return text ? ` (${text.slice(0, 200)})` : '';
}
