/**
 * The build works from any path prefix on a plain static host: the e2e build served by a bare file
 * server under /some/path/ (nothing at /). Every URL the app, the widget, the manifest and the service
 * worker use must resolve below that prefix.
 */
import { test, expect, type Page } from './helpers/test.ts';
import { fileURLToPath } from 'node:url';
import { startStaticServer, type StaticServer } from '../../scripts/staticServer.ts';
import { precacheUrls, serviceWorkerReady } from './helpers/serviceWorker.ts';
import { loadSuggestedModel } from './chatFixtures.ts';

const PREFIX = '/some/path/';
const distE2e = fileURLToPath(new URL(`../../${process.env.CALLAMA_E2E_OUT_DIR ?? 'dist-e2e'}/`, import.meta.url));
let server: StaticServer;
let base: string;

test.beforeAll(async () => {
  server = await startStaticServer([{ prefix: PREFIX, dir: distE2e }]);
  base = `${server.url()}${PREFIX}`;
});
test.afterAll(async () => {
  await server.close();
});
test.beforeEach(() => {
  server.notFound.length = 0;
});

function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  return problems;
}

test('the app shell renders under a sub-path, with its service worker scoped to it and no 404s', async ({ page }) => {
  const problems = collectProblems(page);
  await page.goto(base);
  await expect(page.getByRole('banner')).toContainText('Callama');
  const sw = await serviceWorkerReady(page);
  expect(sw).toEqual({ scope: base, script: `${base}sw.js` });

  // The manifest and its icons resolve below the prefix, and so does the app's start URL.
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifestUrl = new URL(manifestHref ?? '', base).href;
  expect(manifestUrl).toBe(`${base}manifest.webmanifest`);
  const manifest = (await (await page.request.get(manifestUrl)).json()) as {
    start_url: string;
    scope: string;
    icons: { src: string }[];
  };
  expect(new URL(manifest.start_url, manifestUrl).href).toBe(base);
  expect(new URL(manifest.scope, manifestUrl).href).toBe(base);
  for (const icon of manifest.icons) {
    expect((await page.request.get(new URL(icon.src, manifestUrl).href)).status(), icon.src).toBe(200);
  }

  // The shipped evaluation data loads from below the prefix too (the Evaluate view needs a model).
  await loadSuggestedModel(page);
  await page.getByTestId('nav-evaluate').click();
  // (loaded when the view opens)
  await expect(page.getByTestId('eval-loaded')).toContainText(/Loaded \d+ cases/);

  expect(problems).toEqual([]);
  expect(server.notFound).toEqual([]);
});

test('every file the service worker precaches exists below the sub-path', async ({ request }) => {
  const sw = await request.get(`${base}sw.js`);
  expect(sw.ok()).toBe(true);
  const urls = precacheUrls(await sw.text());
  // The shell: both pages, the sandbox, scripts, styles, icons and the evaluation data.
  for (const expected of [
    'index.html',
    'embed.html',
    'sandbox.html',
    'embed.js',
    'manifest.webmanifest',
    'icons/icon-192.png',
  ]) {
    expect(urls).toContain(expected);
  }
  expect(urls.some((u) => u.startsWith('eval/'))).toBe(true);
  expect(urls.some((u) => /^assets\/.+\.js$/.test(u))).toBe(true);
  for (const url of urls) {
    expect(url, 'precache URLs are relative').not.toMatch(/^\/|^https?:/);
    expect((await request.get(new URL(url, base).href)).status(), url).toBe(200);
  }
});

test('the embeddable widget also works under the sub-path', async ({ page }) => {
  const problems = collectProblems(page);
  await page.addInitScript(() => {
    window.__CALLAMA_FAKE__ = { loadMs: 80, rules: [{ match: 'ping', reply: 'pong from a sub-path' }] };
  });
  await page.goto(`${base}embed.html?model=Qwen2.5-0.5B-Instruct-q4f32_1-MLC&welcome=Hello%20from%20the%20widget`);
  await expect(page.getByTestId('embed-welcome')).toHaveText('Hello from the widget');
  await page.getByTestId('embed-load').click();
  await page.getByTestId('embed-input').fill('ping');
  await page.getByTestId('embed-input').press('Enter');
  await expect(page.getByTestId('assistant-message').last()).toHaveText('pong from a sub-path');
  expect(problems).toEqual([]);
  expect(server.notFound).toEqual([]);
});
