/**
 * An MCP server that asks for OAuth, for the browser tests: the SDK's own pieces on express — its
 * authorization-server router (metadata, dynamic client registration, /authorize, /token with PKCE)
 * over the SDK's demo in-memory provider, which approves every authorization at once (no login page),
 * and its bearer-token middleware in front of the same four tools as mcpTestServer.ts. Authorization
 * and resource server share one origin, as the app contacts only the origin the user added.
 */
import { createRequire } from 'node:module';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mcpAuthRouter, getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { DemoInMemoryAuthProvider } from '@modelcontextprotocol/sdk/examples/server/demoInMemoryOAuthProvider.js';
import { buildServer, CORS_HEADERS, serveStateless } from './mcpTestServer.ts';
import { readJsonBody } from './readJsonBody.ts';

/** The little of express the SDK's router needs (express ships no types, and @types/express is not installed). */
interface ExpressApp {
  (req: IncomingMessage, res: ServerResponse): void;
  use(handler: unknown): void;
}
const express = createRequire(import.meta.url)('express') as () => ExpressApp;

export interface McpOAuthServer {
  url: string;
  /** Authorization header of each request to the MCP endpoint. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** @param port 0 (the default): any free port; `url` says which. */
export async function startMcpOAuthServer(port = 0): Promise<McpOAuthServer> {
  // The OAuth routes name the server's own origin, so they are set up once it listens.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => void res.writeHead(503).end();
  const http = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const mcpUrl = new URL('/oauth/mcp', origin);
  const provider = new DemoInMemoryAuthProvider();
  const authorizations: (string | undefined)[] = [];
  const auth = express();
  auth.use(mcpAuthRouter({ provider, issuerUrl: new URL(origin), resourceServerUrl: mcpUrl }));

  handle = (req, res) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    if (path !== mcpUrl.pathname) {
      auth(req, res);
      return;
    }
    void (async () => {
      authorizations.push(req.headers.authorization);
      for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
      if (req.method !== 'POST') return void res.writeHead(405).end();
      // What the SDK's bearer middleware answers: 401 pointing at the protected-resource metadata.
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const valid = token
        ? await provider.verifyAccessToken(token).then(
            () => true,
            () => false,
          )
        : false;
      if (!valid) {
        res.setHeader(
          'WWW-Authenticate',
          `Bearer error="invalid_token", resource_metadata="${getOAuthProtectedResourceMetadataUrl(mcpUrl)}"`,
        );
        return void res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"invalid_token"}');
      }
      const body = await readJsonBody(req);
      const server = buildServer(res);
      await serveStateless(server, req, res, body);
    })();
  };
  return {
    url: mcpUrl.href,
    authorizations,
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
