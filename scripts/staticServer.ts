/**
 * A tiny static file server: the built app for `npm start` and the browser tests (scripts/serveBuild.ts),
 * and, in the tests, host pages on another port (another origin than the app on CALLAMA_E2E_PORT) and the built
 * app under a sub-path. Listens on a free port on every loopback
 * address, so `http://localhost:<port>` and `http://127.0.0.1:<port>` both reach it — two different
 * origins from one server. A mounted directory with a `_headers` file (the built app) is served with
 * the headers it lists, matched against the path below the mount's prefix, as a static host would.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { headersFor, parseHeadersFile, type HeaderRule } from './headersFile.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/jsonl; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
};

export interface Mount {
  /** URL path prefix, starting and ending with "/", e.g. "/" or "/some/path/". */
  prefix: string;
  /** Directory served under it. */
  dir: string;
}

export interface StaticServer {
  port: number;
  /** Base URL on the given host name (default localhost). */
  url(host?: 'localhost' | '127.0.0.1'): string;
  /** Paths requested that were not found (for "no 404" assertions). */
  notFound: string[];
  /** From now on, serve `pathname` with its text changed by `change` (e.g. a "new version" of sw.js). */
  rewrite(pathname: string, change: (text: string) => string): void;
  close(): Promise<void>;
}

interface Found {
  file: string;
  /** Headers from the mount's `_headers` for this path. */
  headers: Record<string, string>;
}

function headerRules(dir: string): HeaderRule[] {
  const file = join(dir, '_headers');
  return existsSync(file) ? parseHeadersFile(readFileSync(file, 'utf8')) : [];
}

async function resolveFile(mounts: Mount[], rules: HeaderRule[][], pathname: string): Promise<Found | null> {
  for (const [i, { prefix, dir }] of mounts.entries()) {
    if (!pathname.startsWith(prefix)) continue;
    let rel = decodeURIComponent(pathname.slice(prefix.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const root = resolve(dir);
    const file = normalize(join(root, rel));
    // Never serve anything outside the mounted directory.
    if (!file.startsWith(root + sep)) return null;
    try {
      if ((await stat(file)).isFile())
        return { file, headers: headersFor(rules[i] ?? [], `/${pathname.slice(prefix.length)}`) };
    } catch {
      // not here; try the next mount
    }
  }
  return null;
}

/** `port`: a fixed port (the app's own server in playwright.config.ts); default a free one. */
export async function startStaticServer(mounts: Mount[], port = 0): Promise<StaticServer> {
  const notFound: string[] = [];
  const rewrites = new Map<string, (text: string) => string>();
  const rules = mounts.map((m) => headerRules(m.dir));
  const server: Server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    void resolveFile(mounts, rules, pathname).then(async (found) => {
      if (!found) {
        notFound.push(pathname);
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      const { file, headers } = found;
      const raw = await readFile(file);
      const change = rewrites.get(pathname);
      const body = change ? Buffer.from(change(raw.toString('utf8'))) : raw;
      res
        .writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-cache',
          ...headers,
        })
        .end(body);
    });
  });
  // No host: every address, IPv4 and IPv6, so both "localhost" and "127.0.0.1" connect.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: (host = 'localhost') => `http://${host}:${bound}`,
    notFound,
    rewrite: (pathname, change) => {
      rewrites.set(pathname, change);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
