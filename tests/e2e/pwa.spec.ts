/**
 * The installable, offline app: manifest and icons, the service worker, chatting with the network
 * off (shell from the service worker, model from the engine double's cache), and the update prompt.
 */
import { test, expect, type Page } from './helpers/test.ts';
import { lastAnswer, loadSuggestedModel, scriptEngine, send } from './chatFixtures.ts';
import { pngSize } from './helpers/pngSize.ts';
import { reloadUnderServiceWorker, serviceWorkerReady } from './helpers/serviceWorker.ts';
import { startStaticServer } from '../../scripts/staticServer.ts';
import { fileURLToPath } from 'node:url';

/** The e2e build that Playwright's web server serves (built before the tests run). */
const distE2e = fileURLToPath(new URL(`../../${process.env.CALLAMA_E2E_OUT_DIR ?? 'dist-e2e'}/`, import.meta.url));

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

async function manifestUrl(page: Page): Promise<string> {
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  return new URL(href ?? '', page.url()).href;
}

test('the web app manifest describes an installable app whose URLs are all relative', async ({ page, request }) => {
  await page.goto('./');
  const url = await manifestUrl(page);
  const response = await request.get(url);
  expect(response.ok()).toBe(true);
  const manifest = (await response.json()) as Record<string, unknown> & { icons: ManifestIcon[] };
  expect(manifest).toMatchObject({
    name: 'Callama',
    short_name: 'Callama',
    start_url: './',
    scope: './',
    display: 'standalone',
  });
  expect(manifest.description).toEqual(expect.stringContaining('browser'));
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);

  const sizes = manifest.icons.map((i) => `${i.sizes}${i.purpose === 'maskable' ? ' maskable' : ''}`);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512', '512x512 maskable']));
  for (const icon of manifest.icons) {
    expect(icon.src).not.toMatch(/^\//);
    const png = await request.get(new URL(icon.src, url).href);
    expect(png.ok(), icon.src).toBe(true);
    const [w, h] = icon.sizes.split('x').map(Number);
    expect(pngSize(await png.body()), icon.src).toEqual({ width: w, height: h });
  }
});

test('the service worker registers for the app scope and leaves model downloads to web-llm', async ({
  page,
  context,
  baseURL,
}) => {
  await page.goto('./');
  const sw = await serviceWorkerReady(page);
  expect(sw.scope).toBe(baseURL);
  expect(sw.script).toBe(`${baseURL}sw.js`);

  // A model file request from a controlled page goes to the network itself, not through the worker.
  await reloadUnderServiceWorker(page);
  const modelFile = 'https://huggingface.co/mlc-ai/Qwen2.5-0.5B-Instruct-q4f32_1-MLC/resolve/main/mlc-chat-config.json';
  await context.route('https://huggingface.co/**', (route) =>
    route.fulfill({ json: { model_type: 'qwen2' }, headers: { 'access-control-allow-origin': '*' } }),
  );
  const [response, body] = await Promise.all([
    page.waitForResponse(modelFile),
    page.evaluate((url) => fetch(url).then((r) => r.text()), modelFile),
  ]);
  expect(JSON.parse(body)).toEqual({ model_type: 'qwen2' });
  expect(response.fromServiceWorker()).toBe(false);
});

test('the service worker registers only once the page has loaded, in the app and in the widget', async ({ page }) => {
  // What the page's state was at each registration (Workbox waits for `load` unless told otherwise).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as Window & { __swRegisteredAt?: string[] }).__swRegisteredAt = seen;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its container as `this`
    const register = ServiceWorkerContainer.prototype.register;
    ServiceWorkerContainer.prototype.register = function (this: ServiceWorkerContainer, ...args) {
      seen.push(document.readyState);
      return register.apply(this, args);
    };
    // An image that takes a while holds the load event back well past the app's start.
    document.addEventListener('DOMContentLoaded', () => {
      const img = document.createElement('img');
      img.src = '/slow-image.png';
      img.alt = '';
      document.body.append(img);
    });
  });
  await page.route('**/slow-image.png', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.fulfill({ status: 404 });
  });
  for (const path of ['./', './embed.html']) {
    await page.goto(path);
    await serviceWorkerReady(page);
    const states = await page.evaluate(() => (window as Window & { __swRegisteredAt?: string[] }).__swRegisteredAt);
    expect(states, path).toEqual(['complete']);
  }
});

test('after a first visit the app starts, loads the cached model by itself and chats with the network off', async ({
  page,
  context,
}) => {
  await scriptEngine(page, [{ match: 'anyone there', reply: 'Yes, still here, offline.' }]);
  await page.goto('./');
  // First visit: the service worker caches the shell; the model goes into the (emulated) model cache.
  await loadSuggestedModel(page);
  await reloadUnderServiceWorker(page);

  // The network is gone: every request that would leave the browser (the page's and the service
  // worker's own) is refused, so what still works is served by the service worker and the caches.
  // (Not navigator.onLine: some Chromium builds keep it true after context.setOffline(true).)
  const refused: string[] = [];
  await context.route('**/*', (route) => {
    refused.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  // No click: the last model is in the browser cache, so the app loads it by itself.
  await expect(page.getByTestId('load-done')).toContainText('from the browser cache');
  await send(page, 'Is anyone there?');
  await expect(lastAnswer(page)).toContainText('Yes, still here, offline.');
  // Whatever the app asked the network for was refused, and it did not need it.
  expect(refused.filter((url) => new URL(url).pathname.endsWith('.html'))).toEqual([]);
});

test('a new version waits for the user: "Later" keeps the old one, "Reload" activates the new one', async ({
  page,
}) => {
  // Its own server, so the test can "deploy" a new version: the same build with a changed sw.js.
  const server = await startStaticServer([{ prefix: '/', dir: distE2e }]);
  try {
    await page.goto(`${server.url()}/`);
    await reloadUnderServiceWorker(page);
    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toHaveCount(0);
    // A model web-llm downloaded earlier, in its own cache.
    const modelFile = 'https://huggingface.co/mlc-ai/m/resolve/main/params_shard_0.bin';
    await page.evaluate(
      async (url) => (await caches.open('webllm/model')).put(url, new Response('weights')),
      modelFile,
    );

    server.rewrite('/sw.js', (text) => `${text}\n// new version\n`);
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });
    await expect(prompt).toContainText('A new version of Callama is ready');

    await prompt.getByRole('button', { name: 'Later' }).click();
    await expect(prompt).toHaveCount(0);
    const waiting = () =>
      page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null);
    expect(await waiting()).toBe('installed');

    // Still waiting after a reload: the prompt comes back.
    await page.reload();
    await expect(prompt).toBeVisible();
    await page.evaluate(() => {
      (window as unknown as { beforeUpdate: boolean }).beforeUpdate = true;
    });
    await prompt.getByRole('button', { name: 'Reload' }).click();
    // The new worker takes over and the page reloads by itself.
    await expect.poll(() => page.evaluate(() => 'beforeUpdate' in window).catch(() => true)).toBe(false);
    await expect.poll(waiting).toBeNull();
    const active = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return { state: registration?.active?.state, controlled: navigator.serviceWorker.controller !== null };
    });
    expect(active).toEqual({ state: 'activated', controlled: true });
    await expect(prompt).toHaveCount(0);
    // The update cleaned up Workbox's caches only: the model is still there.
    const model = await page.evaluate(
      async (url) => (await (await caches.open('webllm/model')).match(url))?.text(),
      modelFile,
    );
    expect(model).toBe('weights');
  } finally {
    await server.close();
  }
});

test('the Install button appears only when the browser offers installation, opens its dialog, and hides once installed', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByRole('banner')).toContainText('Callama');
  const install = page.getByRole('button', { name: 'Install app' });
  await expect(install).toHaveCount(0);

  // Headless Chromium never offers installation; stand in for it with the event Chromium fires.
  const offer = (outcome: 'accepted' | 'dismissed') =>
    page.evaluate((choice) => {
      const event = new Event('beforeinstallprompt', { cancelable: true });
      Object.assign(event, {
        prompt: async () => {
          (window as unknown as { prompted: number }).prompted =
            ((window as unknown as { prompted?: number }).prompted ?? 0) + 1;
        },
        userChoice: Promise.resolve({ outcome: choice, platform: 'web' }),
      });
      window.dispatchEvent(event);
    }, outcome);

  await offer('dismissed');
  await expect(install).toBeVisible();
  await install.click();
  expect(await page.evaluate(() => (window as unknown as { prompted?: number }).prompted)).toBe(1);
  // The offer was used up; the button waits for the browser's next one.
  await expect(install).toHaveCount(0);

  await offer('accepted');
  await expect(install).toBeVisible();
  await page.evaluate(() => window.dispatchEvent(new Event('appinstalled')));
  await expect(install).toHaveCount(0);
});

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('"saved for offline use" appears only once a model is stored, and covers neither the heading nor the composer', async ({
  browser,
  baseURL,
}) => {
  for (const viewport of [
    { width: 375, height: 812 },
    { width: 1280, height: 800 },
  ]) {
    // A fresh context each time: the shell is reported cached when the service worker is first installed.
    const context = await browser.newContext({ viewport, baseURL });
    const page = await context.newPage();
    await scriptEngine(page, [], { loadMs: 200 });
    await page.goto('./');
    await serviceWorkerReady(page);
    const notice = page.getByTestId('offline-ready');
    // The shell alone is not "ready to work offline": there is nothing to chat with yet.
    await page.waitForTimeout(500);
    await expect(notice).toHaveCount(0);

    await loadSuggestedModel(page);
    await expect(notice).toBeVisible();
    await expect(notice).toContainText(/^Qwen3 1\.7B.* is saved for offline use/);
    const boxOf = async (name: string, box: Awaited<ReturnType<typeof notice.boundingBox>>) => {
      expect(box, `${name} is on screen`).toBeTruthy();
      return box ?? { x: 0, y: 0, width: 0, height: 0 };
    };
    const n = await boxOf('the notice', await notice.boundingBox());
    const heading = await boxOf('the heading', await page.getByRole('heading', { level: 1 }).boundingBox());
    const composer = await boxOf('the composer', await page.getByRole('textbox', { name: 'Message' }).boundingBox());
    expect(overlaps(n, heading), `notice ${JSON.stringify(n)} covers the heading ${JSON.stringify(heading)}`).toBe(
      false,
    );
    expect(overlaps(n, composer), `notice ${JSON.stringify(n)} covers the composer ${JSON.stringify(composer)}`).toBe(
      false,
    );
    // Its button is laid out on one line (no "O / K" wrapping).
    const ok = await notice.getByRole('button', { name: 'OK' }).boundingBox();
    expect(ok && ok.height < 2.2 * 16, `OK button box ${JSON.stringify(ok)}`).toBeTruthy();
    await context.close();
  }
});

test('the no-WebGPU page never says the app is ready to work offline', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
  });
  await page.goto('./');
  await serviceWorkerReady(page);
  await expect(page.getByTestId('gpu-unavailable')).toBeVisible();
  await page.waitForTimeout(500);
  await expect(page.getByTestId('offline-ready')).toHaveCount(0);
  await expect(page.getByText(/offline/)).toHaveCount(0);
  await context.close();
});
