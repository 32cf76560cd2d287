import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CATALOG_MODEL_ORIGINS,
  embedFrameAncestors,
  engineWorkerDirectives,
  originMatches,
  pageDirectives,
  parseEmbedOriginsSetting,
  connectSources,
  parseModelHostsSetting,
  serializePolicy,
  urlAllowed,
} from '../../../src/security/contentSecurityPolicy.ts';
import { headersFile } from '../../../scripts/cspPlugin.ts';
import { parseHeadersFile, headersFor } from '../../../scripts/headersFile.ts';
import { CATALOG } from '../../../src/engine/catalog.ts';

describe('the Content-Security-Policy', () => {
  it("lets the pages run only the site's own scripts: no inline script, no eval, no WebAssembly", () => {
    const page = pageDirectives([]);
    expect(page['script-src']).toEqual(["'self'"]);
    expect(page['object-src']).toEqual(["'none'"]);
    expect(serializePolicy(page)).not.toMatch(/unsafe-eval|wasm-unsafe-eval/);
  });

  it("allows 'wasm-unsafe-eval' in the engine worker only, and 'unsafe-eval' nowhere", () => {
    expect(engineWorkerDirectives([])['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(serializePolicy(engineWorkerDirectives([]))).not.toContain("'unsafe-eval'");
  });

  it('derives the model hosts from every catalog record (weights and libraries)', () => {
    const used = new Set(CATALOG.flatMap((m) => [new URL(m.modelUrl).origin, new URL(m.modelLibUrl).origin]));
    expect(new Set(CATALOG_MODEL_ORIGINS)).toEqual(used);
    expect(CATALOG_MODEL_ORIGINS).toEqual(['https://huggingface.co', 'https://raw.githubusercontent.com']);
  });

  it('limits connect-src to the site, the catalog, its CDNs, loopback and the deployment hosts (issue 14)', () => {
    const sources = connectSources(['https://models.example']);
    expect(sources).not.toContain('https:');
    const allowed = (url: string) => urlAllowed(url, sources, 'https://callama.example');
    expect(allowed('https://callama.example/eval/callama-eval.jsonl')).toBe(true);
    expect(allowed('https://huggingface.co/mlc-ai/x/resolve/main/mlc-chat-config.json')).toBe(true);
    expect(allowed('https://cdn-lfs-us-1.hf.co/repos/ab/cd/params_shard_0.bin')).toBe(true);
    expect(allowed('https://cas-bridge.xethub.hf.co/xet-bridge-us/abc')).toBe(true);
    expect(allowed('https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/a.wasm')).toBe(true);
    expect(allowed('http://127.0.0.1:8000/my-model/resolve/main/')).toBe(true);
    expect(allowed('https://models.example/m/resolve/main/')).toBe(true);
    expect(allowed('https://example.com/collect?data=1')).toBe(false);
    expect(allowed('https://huggingface.co.evil.example/')).toBe(false);
    expect(allowed('http://huggingface.co/')).toBe(false);
  });

  it('matches CSP-style origin patterns exactly (scheme, host, port)', () => {
    expect(originMatches('http://localhost:*', 'http://localhost:5173')).toBe(true);
    expect(originMatches('http://localhost:*', 'http://127.0.0.1:5173')).toBe(false);
    expect(originMatches('https://shop.example', 'https://shop.example')).toBe(true);
    expect(originMatches('https://shop.example', 'https://shop.example:8443')).toBe(false);
    expect(originMatches('https://shop.example', 'http://shop.example')).toBe(false);
    expect(originMatches('https://*.hf.co', 'https://hf.co')).toBe(false);
  });

  it('reads the deploy-time embed origins and refuses a typo at build time', () => {
    expect(parseEmbedOriginsSetting(undefined)).toEqual([]);
    expect(parseEmbedOriginsSetting(' https://a.example, http://localhost:* ')).toEqual([
      'https://a.example',
      'http://localhost:*',
    ]);
    expect(() => parseEmbedOriginsSetting('https://a.example/path')).toThrow(/not origins: https:\/\/a.example\/path/);
    expect(parseModelHostsSetting(undefined)).toEqual([]);
    expect(parseModelHostsSetting('https://models.example.org https://*.cdn.example')).toEqual([
      'https://models.example.org',
      'https://*.cdn.example',
    ]);
    expect(() => parseModelHostsSetting('https:')).toThrow(/CALLAMA_MODEL_HOSTS: not origins: https:/);
    expect(() => parseModelHostsSetting('models.example.org')).toThrow(/not origins: models.example.org/);
    expect(embedFrameAncestors([])).toEqual(['*']);
    expect(embedFrameAncestors(['https://a.example'])).toEqual(["'self'", 'https://a.example']);
  });
});

describe('the generated _headers file', () => {
  const modelHosts = ['https://models.example.org'];
  const rules = parseHeadersFile(
    headersFile(
      { embedOrigins: ['https://shop.example'], modelHosts },
      ['assets/worker-abc123.js'],
      ['assets/parseWorker-def456.js'],
    ),
  );
  const csp = (path: string) => headersFor(rules, path)['content-security-policy'] ?? '';
  const connectSrc = (policy: string) =>
    policy
      .split(';')
      .map((d) => d.trim().split(' '))
      .find(([name]) => name === 'connect-src')
      ?.slice(1);

  it('gives the app the page policy and forbids framing it', () => {
    expect(csp('/')).toBe(`${serializePolicy(pageDirectives(modelHosts))}; frame-ancestors 'none'`);
    expect(csp('/index.html')).toBe(csp('/'));
  });

  it('lets the pages and the engine worker connect only to the model hosts and the deployment host (issue 14)', () => {
    const expected = [
      "'self'",
      'https://huggingface.co',
      'https://raw.githubusercontent.com',
      'https://*.huggingface.co',
      'https://*.hf.co',
      'http://localhost:*',
      'http://127.0.0.1:*',
      'https://models.example.org',
    ];
    for (const path of ['/', '/index.html', '/embed.html', '/embed', '/assets/worker-abc123.js'])
      expect(connectSrc(csp(path)), path).toEqual(expected);
    // Without the setting: the same list minus the deployment host.
    const plain = parseHeadersFile(headersFile({ embedOrigins: [], modelHosts: [] }, []));
    expect(connectSrc(headersFor(plain, '/')['content-security-policy'] ?? '')).toEqual(expected.slice(0, -1));
  });

  it('lets only the deploy-time origins frame embed.html', () => {
    expect(csp('/embed.html')).toMatch(/; frame-ancestors 'self' https:\/\/shop.example$/);
  });

  it("gives the engine worker its own policy with 'wasm-unsafe-eval'", () => {
    expect(csp('/assets/worker-abc123.js')).toBe(serializePolicy(engineWorkerDirectives(modelHosts)));
  });

  it('gives the Markdown worker a policy that loads only its own script and connects nowhere', () => {
    expect(csp('/assets/parseWorker-def456.js')).toBe("default-src 'none'; script-src 'self'");
  });

  it('forces sandbox.html into an opaque origin, framed only by the app, with the policy of its own <meta>', () => {
    const header = csp('/sandbox.html');
    expect(header).toMatch(/^sandbox allow-scripts; /);
    expect(header).toMatch(/; frame-ancestors 'self'$/);
    expect(csp('/sandbox')).toBe(header);
    // The header repeats the page's <meta> policy, so the two cannot drift apart.
    const html = readFileSync(fileURLToPath(new URL('../../../public/sandbox.html', import.meta.url)), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeTruthy();
    for (const directive of (meta ?? '').split(';').map((d) => d.trim())) expect(header).toContain(directive);
  });

  it('covers every path: an SPA fallback serving index.html for an unknown path cannot be framed (issue 14)', () => {
    expect(rules.some((r) => r.pattern === '/*')).toBe(true);
    for (const path of ['/chat/42', '/unknown', '/a/b/c.html', '/embed.html/x', '/index.html?x=1']) {
      const headers = headersFor(rules, path);
      expect(headers['x-frame-options'], path).toBe('DENY');
      expect(headers['x-content-type-options'], path).toBe('nosniff');
    }
    // Pages that may be framed carry frame-ancestors, which makes browsers ignore X-Frame-Options.
    expect(csp('/embed.html')).toContain('frame-ancestors');
    expect(csp('/embed')).toContain('frame-ancestors');
    expect(csp('/sandbox.html')).toContain('frame-ancestors');
  });

  it('sends one CSP header per path, never two joined', () => {
    for (const path of ['/', '/index.html', '/embed.html', '/assets/worker-abc123.js', '/sw.js', '/sandbox.html'])
      expect(csp(path)).not.toContain(', ');
  });
});
