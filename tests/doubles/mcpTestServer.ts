/**
 * A real MCP server for the browser tests, built with the official SDK (McpServer +
 * StreamableHTTPServerTransport on node:http), in the SDK's stateless mode: each POST gets a fresh
 * server and transport, so no session outlives a test.
 *
 * Tools: `add` (text and structured content), `slow_echo` (answers after `ms`), `lookup_order` (an
 * isError result, as a server reports a failure), `drop_connection` (the server closes the socket in
 * the middle of the call). One port serves the variants a test needs on separate paths (ENDPOINTS):
 * without CORS headers (a browser page cannot read it), with hostile input schemas, behind a bearer
 * token, and over the older HTTP+SSE transport only (SSEServerTransport). Every request's method, path, Authorization header, JSON-RPC method and params are kept in `requests`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { ListToolsRequestSchema, CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { readJsonBody } from './readJsonBody.ts';

/** The endpoints of one test server, each a variant of the same MCP server. */
export const ENDPOINTS = {
  /** The four tools, with CORS headers. */
  tools: '/mcp',
  /** The same, answered without any Access-Control-* header. */
  noCors: '/nocors/mcp',
  /** Tools whose schemas a client must refuse, next to a harmless one. */
  hostile: '/hostile/mcp',
  /** The four tools, behind `Authorization: Bearer sesame-42`. */
  vault: '/vault/mcp',
  /** The four tools over the older HTTP+SSE transport only (a POST here answers 405). */
  sse: '/sse/mcp',
} as const;

/** Where the SSE transport's clients post their messages (announced in its `endpoint` event). */
const SSE_MESSAGES = '/sse/messages';

export const VAULT_TOKEN = 'sesame-42';

export interface McpTestServer {
  origin: string;
  /** The endpoint's full address. */
  url(endpoint: keyof typeof ENDPOINTS): string;
  requests: {
    method: string;
    path: string;
    authorization: string | undefined;
    rpc: string | undefined;
    /** The JSON-RPC `params`, as JSON text. */
    params: string | undefined;
  }[];
  close(): Promise<void>;
}

export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'Content-Type, Accept, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID',
  'Access-Control-Expose-Headers': 'Mcp-Session-Id, WWW-Authenticate',
};

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function buildServer(res: ServerResponse): McpServer {
  const server = new McpServer({ name: 'callama-test-tools', version: '1.0.0' });
  server.registerTool(
    'add',
    {
      description: 'Adds two numbers.',
      inputSchema: { a: z.number().describe('first addend'), b: z.number().describe('second addend') },
      outputSchema: { sum: z.number() },
    },
    ({ a, b }) => ({
      content: [{ type: 'text', text: `${a} + ${b} = ${a + b}` }],
      structuredContent: { sum: a + b },
    }),
  );
  server.registerTool(
    'slow_echo',
    {
      description: 'Repeats a text after a delay.',
      inputSchema: { text: z.string(), ms: z.number().int().optional() },
    },
    async ({ text, ms }, extra) => {
      await sleep(ms ?? 3000, extra.signal);
      return { content: [{ type: 'text', text: `echo: ${text}` }] };
    },
  );
  server.registerTool(
    'lookup_order',
    { description: 'Looks an order up.', inputSchema: { id: z.string() } },
    ({ id }) => ({ isError: true, content: [{ type: 'text', text: `Order database unavailable (order ${id}).` }] }),
  );
  server.registerTool(
    'drop_connection',
    { description: 'Starts a call and then loses the connection.', inputSchema: {} },
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      res.socket?.destroy();
      return { content: [{ type: 'text', text: 'never delivered' }] };
    },
  );
  return server;
}

/** Tools with schemas that must not reach the registry, next to one harmless tool. */
function buildHostileServer(): McpServer {
  const server = new McpServer({ name: 'callama-hostile-tools', version: '1.0.0' });
  const tools = [
    { name: 'ping', description: 'Answers pong.', inputSchema: { type: 'object', properties: {} } },
    {
      name: 'redos',
      description: 'A pattern that backtracks catastrophically.',
      inputSchema: { type: 'object', properties: { text: { type: 'string', pattern: '^(a+)+$' } } },
    },
    {
      name: 'proto',
      description: 'An argument named __proto__.',
      inputSchema: JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}') as unknown,
    },
    {
      name: 'huge',
      description: 'A schema far larger than a prompt can hold.',
      inputSchema: {
        type: 'object',
        properties: Object.fromEntries(
          Array.from({ length: 400 }, (_, i) => [`field_${i}`, { type: 'string', description: 'x'.repeat(80) }]),
        ),
      },
    },
  ];
  server.server.registerCapabilities({ tools: {} });
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.server.setRequestHandler(CallToolRequestSchema, () => ({ content: [{ type: 'text', text: 'pong' }] }));
  return server;
}

/** Answers one request with `server` over a stateless Streamable HTTP transport, closed with the response. */
export async function serveStateless(
  server: McpServer,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

/** @param port 0 (the default): any free port; `origin` and `url()` say which. */
export async function startMcpTestServer(port = 0): Promise<McpTestServer> {
  const requests: McpTestServer['requests'] = [];
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the old transport is what this endpoint tests
  const sseSessions = new Map<string, SSEServerTransport>();
  const http = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const body = req.method === 'POST' ? await readJsonBody(req) : undefined;
      const rpc = typeof body === 'object' && body !== null && 'method' in body ? String(body.method) : undefined;
      const params =
        typeof body === 'object' && body !== null && 'params' in body ? JSON.stringify(body.params) : undefined;
      requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, rpc, params });
      if (path !== ENDPOINTS.noCors) for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
      if (path === ENDPOINTS.sse && req.method === 'GET') {
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- see above
        const transport = new SSEServerTransport(SSE_MESSAGES, res);
        sseSessions.set(transport.sessionId, transport);
        res.on('close', () => sseSessions.delete(transport.sessionId));
        await buildServer(res).connect(transport);
        return;
      }
      if (path === SSE_MESSAGES && req.method === 'POST') {
        const session = sseSessions.get(
          new URL(req.url ?? '/', 'http://localhost').searchParams.get('sessionId') ?? '',
        );
        if (!session) res.writeHead(404).end('No such session');
        else await session.handlePostMessage(req, res, body);
        return;
      }
      if (!(Object.values(ENDPOINTS) as string[]).includes(path)) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
        return;
      }
      if (path === ENDPOINTS.vault && req.headers.authorization !== `Bearer ${VAULT_TOKEN}`) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"invalid_token"}');
        return;
      }
      if (req.method !== 'POST' || path === ENDPOINTS.sse) {
        // Stateless: no server-to-client stream, no session to delete.
        res.writeHead(405, { Allow: 'POST' }).end();
        return;
      }
      const server = path === ENDPOINTS.hostile ? buildHostileServer() : buildServer(res);
      await serveStateless(server, req, res, body);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    origin,
    url: (endpoint) => `${origin}${ENDPOINTS[endpoint]}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
