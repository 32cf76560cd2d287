/**
 * One connection to an MCP tool server, over the official SDK's client. This module (and with it the
 * SDK) is loaded with a dynamic import, only once a server is configured: the app shell stays small.
 *
 * Design:
 * - Streamable HTTP first; if that fails, the older HTTP+SSE transport, as the SDK's
 *   streamableHttpWithSseFallbackClient example does. When both fail, the first failure is explained
 *   (connectFailure.ts): it is the one a current server gives.
 * - Every request the transports make goes through `guardedFetch`: only the server's own origin is
 *   contacted, whatever a server's answer points to (an SSE `endpoint` event elsewhere, an OAuth
 *   metadata link). The page's CSP would block most such hosts too; this also covers other loopback
 *   ports and the deployment's model hosts, which the CSP allows.
 * - The tool list is read with a plain `tools/list` request, not `Client.listTools`, and its tools are
 *   taken as the server sent them (RAW_TOOL_LIST), for lib/mcp/admitTools.ts to check. The SDK's own
 *   Tool schema would quietly drop a `__proto__` key the user should hear about, and `listTools`
 *   compiles each tool's `outputSchema` into a validator: output schemas are not used at all (a
 *   hostile `pattern` there could freeze the page on the next result).
 * - A bearer token, when the user gave one, is sent as `Authorization: Bearer …` on every request.
 */
import './zodWithoutEval.ts';
import * as z from 'zod/v4';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import { CallToolResultSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { MAX_TOOLS_PER_SERVER, type McpToolListing } from '../lib/mcp/admitTools.ts';
import { describeConnectFailure, type Probe } from './connectFailure.ts';
import { browserOAuthProvider, completeSignIn } from './oauthProvider.ts';
import { signedIn } from './oauthStore.ts';

export interface ConnectOptions {
  url: string;
  token?: string | undefined;
  /** How long connecting and listing may take, ms. */
  timeoutMs: number;
  probe?: Probe;
  /**
   * OAuth for this server (used when no bearer token is given): `interactive` may leave the page to
   * sign in (the user pressed Sign in); otherwise only stored tokens are offered.
   */
  oauth?: { serverId: string; interactive: boolean; storage: Storage } | undefined;
}

export interface ServerConnection {
  transport: 'streamable-http' | 'sse';
  /** The server's own name and version, as it introduced itself. */
  serverInfo: string | undefined;
  tools: McpToolListing[];
  /** @throws McpCallError with a message for the card; `name` ends in TimeoutError on a timeout. */
  callTool(tool: string, args: Record<string, unknown>, signal: AbortSignal, timeoutMs: number): Promise<unknown>;
  close(): Promise<void>;
}

/** A failed connect, with the sentence the settings show. */
export class McpConnectError extends Error {
  override readonly name = 'McpConnectError';
  /** The server answered 401: a token or an OAuth sign-in is needed. */
  readonly unauthorized: boolean;

  constructor(message: string, unauthorized: boolean) {
    super(message);
    this.unauthorized = unauthorized;
  }
}

/** A tool call the server could not answer (lost connection, JSON-RPC error). */
export class McpCallError extends Error {
  override readonly name = 'McpCallError';
}

/** The server did not answer a call in time; the dispatcher reports `timeout` for names ending so. */
export class McpTimeoutError extends Error {
  override readonly name = 'McpTimeoutError';
}

const CLIENT_INFO = { name: 'callama', version: '1' };

/** A `tools/list` result with each tool exactly as parsed from JSON (own `__proto__` keys included). */
const RAW_TOOL_LIST = z.looseObject({ tools: z.array(z.unknown()), nextCursor: z.string().optional() });

export function guardedFetch(origin: string): typeof fetch {
  return (input, init) => {
    const target = new URL(input instanceof Request ? input.url : String(input));
    if (target.origin !== origin) {
      return Promise.reject(
        new TypeError(`Callama only contacts the tool server's own address (${origin}), not ${target.origin}.`),
      );
    }
    return fetch(input, init);
  };
}

/**
 * Connects, lists the tools, and keeps the connection for calls.
 * @throws McpConnectError whose message says why the server could not be used.
 */
export async function connectServer(options: ConnectOptions): Promise<ServerConnection> {
  const url = new URL(options.url);
  const headers: Record<string, string> = options.token ? { Authorization: `Bearer ${options.token}` } : {};
  // OAuth only once the user pressed Sign in, or with tokens from an earlier sign-in: connecting never
  // registers Callama with an authorization server on its own.
  const authProvider =
    !options.token &&
    options.oauth &&
    (options.oauth.interactive || signedIn(options.oauth.storage, options.oauth.serverId))
      ? browserOAuthProvider(options.oauth.serverId, options.oauth.interactive, options.oauth.storage)
      : undefined;
  const common = {
    fetch: guardedFetch(url.origin),
    requestInit: { headers },
    ...(authProvider ? { authProvider } : {}),
  };
  const client = () => new Client(CLIENT_INFO, { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() });
  const requestOptions = { timeout: options.timeoutMs };

  let first: unknown;
  for (const kind of ['streamable-http', 'sse'] as const) {
    const c = client();
    const transport =
      kind === 'streamable-http'
        ? new StreamableHTTPClientTransport(url, common)
        : // The older transport, for servers that have not moved to Streamable HTTP yet (the SDK's advice).
          // eslint-disable-next-line @typescript-eslint/no-deprecated
          new SSEClientTransport(url, { ...common, eventSourceInit: { fetch: common.fetch } });
    try {
      await c.connect(transport, requestOptions);
      return openConnection(c, kind, await listTools(c, requestOptions));
    } catch (error) {
      first ??= error;
      await c.close().catch(() => undefined);
      // A server that answered "not authorized" was found: the old transport would only ask again.
      if (isUnauthorized(error)) break;
    }
  }
  throw new McpConnectError(await describeConnectFailure(first, url, options.probe), isUnauthorized(first));
}

/** Finishes an OAuth sign-in the page came back from (oauthProvider.ts); returns the server's id. */
export function finishSignIn(
  servers: readonly { id: string; url: string }[],
  storage: Storage,
): Promise<string | undefined> {
  return completeSignIn(servers, storage, (serverUrl) => guardedFetch(new URL(serverUrl).origin));
}

/** Every page of the tool list, up to one tool more than is ever admitted (so the excess is reported). */
async function listTools(client: Client, options: { timeout: number }): Promise<McpToolListing[]> {
  const tools: McpToolListing[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.request(
      { method: 'tools/list', ...(cursor === undefined ? {} : { params: { cursor } }) },
      RAW_TOOL_LIST,
      options,
    );
    for (const tool of page.tools)
      tools.push(isRecord(tool) ? (tool as unknown as McpToolListing) : { name: undefined });
    cursor = page.nextCursor;
  } while (cursor !== undefined && tools.length <= MAX_TOOLS_PER_SERVER);
  return tools;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUnauthorized(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'UnauthorizedError' ||
      error.name === 'SignInRequiredError' ||
      (error as { code?: unknown }).code === 401)
  );
}

function openConnection(
  client: Client,
  transport: ServerConnection['transport'],
  tools: McpToolListing[],
): ServerConnection {
  const info = client.getServerVersion();
  return {
    transport,
    serverInfo: info ? `${info.name} ${info.version}` : undefined,
    tools,
    async callTool(tool, args, signal, timeoutMs) {
      try {
        return await client.request(
          { method: 'tools/call', params: { name: tool, arguments: args } },
          CallToolResultSchema,
          { signal, timeout: timeoutMs },
        );
      } catch (error) {
        throw callFailure(error, timeoutMs);
      }
    },
    close: () => client.close(),
  };
}

/** The SDK's own JSON-RPC codes for a request that got no answer in time, or whose connection closed. */
const TIMED_OUT: number = ErrorCode.RequestTimeout;
const CONNECTION_CLOSED: number = ErrorCode.ConnectionClosed;

function callFailure(error: unknown, timeoutMs: number): Error {
  if (error instanceof McpError) {
    if (error.code === TIMED_OUT) {
      return new McpTimeoutError(`the server did not answer within ${Math.round(timeoutMs / 1000)} s.`);
    }
    if (error.code === CONNECTION_CLOSED) {
      return new McpCallError('the connection to the server closed before it answered.');
    }
    return new McpCallError(`the server answered with error ${error.code}: ${error.message}`);
  }
  if (error instanceof TypeError) {
    return new McpCallError(`the connection to the server was lost before it answered (${error.message}).`);
  }
  return new McpCallError(error instanceof Error ? error.message : String(error));
}
