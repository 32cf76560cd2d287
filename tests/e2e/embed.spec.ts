/**
 * The embeddable widget: a host page on ANOTHER origin mounts it with public/embed.js, registers a
 * function over postMessage, and the model (the scripted engine double inside the iframe) calls it.
 * Forged messages from origins or frames that are not the trusted host are ignored and logged.
 *
 * Origins: the widget is APP_ORIGIN (Playwright's web server on CALLAMA_E2E_PORT), passed to the fixtures as ?widget=…; the host pages come from a
 * static server on a free port P, as http://localhost:P (the trusted host) and http://127.0.0.1:P
 * (a different origin from the same server).
 */
import { test, expect, type Frame, type Page } from './helpers/test.ts';
import { APP_ORIGIN } from './helpers/origin.ts';
import { watchLoadBar } from './chatFixtures.ts';
import { fileURLToPath } from 'node:url';
import { startStaticServer, type StaticServer } from '../../scripts/staticServer.ts';
import type { FakeScript } from '../doubles/fakeEngine.ts';
import type { GenerateRequest } from '../../src/lib/types/generation.ts';

const WIDGET = APP_ORIGIN;
const fixtures = fileURLToPath(new URL('../fixtures/embed/', import.meta.url));
let server: StaticServer;

test.beforeAll(async () => {
  server = await startStaticServer([{ prefix: '/', dir: fixtures }]);
});
test.afterAll(async () => {
  await server.close();
});

async function script(page: Page, fake: FakeScript): Promise<void> {
  // Runs in every frame, so the widget's iframe gets the script too.
  await page.addInitScript((s) => {
    window.__CALLAMA_FAKE__ = s;
  }, fake);
}

function widgetFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().startsWith(`${WIDGET}/embed.html`));
  if (!frame) throw new Error('the widget frame is not there');
  return frame;
}

async function promptsSeen(page: Page): Promise<string> {
  const log = await widgetFrame(page).evaluate(() => window.__CALLAMA_FAKE_LOG__ ?? []);
  return JSON.stringify(log satisfies GenerateRequest[]);
}

function collectWarnings(page: Page): string[] {
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  return warnings;
}

test('a host page on another origin registers a function that the model calls; the result shows in the chat', async ({
  page,
}) => {
  await script(page, {
    loadMs: 200,
    rules: [
      { match: '4217', reply: 'ACME trades at 4217 dollars.' },
      {
        match: 'price of ACME',
        reply: '<tool_call>\n{"name": "get_stock", "arguments": {"symbol": "ACME"}}\n</tool_call>',
      },
    ],
  });
  await page.goto(`${server.url()}/host.html?widget=${encodeURIComponent(WIDGET)}`);
  const widget = page.frameLocator('iframe[title="Callama chat assistant"]');
  await expect(widget.getByTestId('embed-host-functions')).toHaveText('get_stock');

  await widget.getByTestId('embed-input').fill('What is the price of ACME?');
  await widget.getByTestId('embed-input').press('Enter');

  // The host's own function ran in the host page…
  await expect(page.locator('#host-log li')).toHaveText(['get_stock(ACME)']);
  // …its result is in the conversation, and the model answered with it.
  await expect(widget.getByTestId('call-card')).toHaveAttribute('data-status', 'ok');
  // As the app shows them: the arguments as a table, the result as a result card.
  await expect(widget.getByTestId('call-card').getByRole('row', { name: 'symbol ACME' })).toBeVisible();
  // Skipped by layout and paint when out of view, as in the app (`.skip-offscreen`).
  await expect(widget.getByTestId('call-card')).toHaveCSS('content-visibility', 'auto');
  await expect(widget.getByTestId('result-text')).toHaveText(JSON.stringify({ symbol: 'ACME', price: 4217 }, null, 2));
  await expect(widget.getByTestId('assistant-message').last()).toHaveText('ACME trades at 4217 dollars.');
  // The model was told about the host function.
  expect(await promptsSeen(page)).toContain('get_stock');
});

test('forged registrations and results from other frames are ignored and logged; the pending call times out', async ({
  page,
}) => {
  const warnings = collectWarnings(page);
  await script(page, {
    loadMs: 200,
    rules: [
      { match: 'did not answer', reply: 'Sorry, the shop did not answer.' },
      {
        match: 'Quote my lamp',
        reply: '<tool_call>\n{"name": "slow_quote", "arguments": {"item": "lamp"}}\n</tool_call>',
      },
    ],
  });
  await page.goto(`${server.url()}/silent-host.html?widget=${encodeURIComponent(WIDGET)}`);
  const widget = page.frameLocator('iframe[title="Callama chat assistant"]');
  await expect(widget.getByTestId('embed-host-functions')).toHaveText('slow_quote');
  const forgers = () => page.frames().filter((f) => f.url().endsWith('/forger.html'));
  await expect.poll(() => forgers().length).toBe(2);

  // Both forgers try to register a function of their own.
  for (const forger of forgers()) {
    await forger.evaluate((target) => {
      const spec = { name: 'forged_fn', description: 'forged', parameters: { type: 'object', properties: {} } };
      window.top?.frames[0]?.postMessage({ type: 'callama:register', functions: [spec] }, target);
    }, WIDGET);
  }

  await widget.getByTestId('embed-input').fill('Quote my lamp');
  await widget.getByTestId('embed-input').press('Enter');
  await expect(widget.getByTestId('call-card')).toHaveAttribute('data-status', 'running');
  await expect.poll(() => page.evaluate(() => (window as unknown as { __calls: unknown[] }).__calls.length)).toBe(1);
  const callId = await page.evaluate(() => (window as unknown as { __calls: { id: string }[] }).__calls[0]?.id);

  // They learn the call id (worst case) and answer it themselves.
  for (const forger of forgers()) {
    await forger.evaluate(
      ([target, id]) => window.top?.frames[0]?.postMessage({ type: 'callama:result', id, value: 'FORGED' }, target),
      [WIDGET, callId] as const,
    );
  }

  // The call is still waiting for the real host, then fails on the widget's timeout (1.5 s).
  await expect(widget.getByTestId('call-card')).toHaveAttribute('data-status', 'error');
  await expect(widget.getByTestId('result-text')).toHaveText(
    'slow_quote timed out: The host page did not answer within 1.5 s.',
  );
  await expect(widget.getByTestId('assistant-message').last()).toHaveText('Sorry, the shop did not answer.');

  const prompts = await promptsSeen(page);
  expect(prompts).not.toContain('forged_fn');
  expect(prompts).not.toContain('FORGED');
  expect(prompts).toContain('did not answer');
  for (const host of ['127.0.0.1', 'localhost']) {
    expect(warnings).toContain(`[callama] ignored message from http://${host}:${server.port}`);
  }
});

test('a page that frames the widget but is not an allowed origin cannot register functions', async ({ page }) => {
  const warnings = collectWarnings(page);
  await script(page, { loadMs: 100, rules: [{ match: 'hello', reply: 'Hello there.' }] });
  // A third origin, http://localhost:Q. (Not 127.0.0.1: a cross-SITE frame gets no storage in this
  // Chromium, and the widget needs it for the model cache.) The widget allows http://localhost:P only.
  const third = await startStaticServer([{ prefix: '/', dir: fixtures }]);
  await page.goto(
    `${third.url()}/framer.html?allowed=${encodeURIComponent(server.url())}&widget=${encodeURIComponent(WIDGET)}`,
  );
  await expect.poll(() => warnings).toContain(`[callama] ignored message from ${third.url()}`);

  const widget = page.frameLocator('iframe[title="Callama"]');
  await widget.getByTestId('embed-input').fill('hello');
  await widget.getByTestId('embed-input').press('Enter');
  await expect(widget.getByTestId('assistant-message').last()).toHaveText('Hello there.');
  await expect(widget.getByTestId('embed-host-functions')).toHaveCount(0);
  expect(await promptsSeen(page)).not.toContain('forged_fn');
  // The widget said nothing to this page: `ready` went to the allowed origin only.
  expect(await page.evaluate(() => (window as unknown as { __fromWidget?: unknown[] }).__fromWidget ?? [])).toEqual([]);
  await third.close();
});

test('the widget follows the system theme unless the host forces one with ?theme=', async ({ page }) => {
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = 'rgb(18, 20, 24)';
  const light = 'rgb(255, 255, 255)';

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('./embed.html');
  expect(await background()).toBe(dark);
  await page.goto('./embed.html?theme=light');
  expect(await background()).toBe(light);

  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('./embed.html?theme=dark');
  expect(await background()).toBe(dark);
  await page.goto('./');
  expect(await background()).toBe(light);
});

test('offline, the widget says "You are offline" in the app\'s words, not "Failed to fetch"', async ({
  page,
  context,
}) => {
  await script(page, { fetchConfig: true, loadMs: 200 });
  await page.goto('./embed.html');
  const load = page.getByTestId('embed-load');
  await expect(load).toBeVisible();
  await context.route('https://huggingface.co/**', (route) => route.abort('internetdisconnected'));
  await context.setOffline(true);
  await load.click();
  const error = page.getByTestId('embed-load-error');
  await expect(error).toContainText(/You (are|appear to be) offline/);
  await expect(error).toContainText('huggingface.co');
  await expect(error).not.toContainText('Failed to fetch');
});

test('after a load the widget says "Model ready" politely and puts the caret in the message box, as the app does', async ({
  page,
}) => {
  await script(page, { loadMs: 300 });
  await page.goto('./embed.html');
  await expect(page.getByTestId('embed-model-ready')).toHaveText('');
  await page.getByTestId('embed-load').click();
  await expect(page.getByTestId('embed-model-ready')).toHaveText(/^Model ready: .+\.$/);
  await expect(page.getByTestId('embed-model-ready')).toHaveAttribute('role', 'status');
  await expect(page.getByTestId('embed-input')).toBeFocused();
});

test('the widget shows the load in two labelled steps on one bar that never goes backwards', async ({ page }) => {
  await script(page, { loadMs: 2400 });
  await page.goto('./embed.html');
  await page.getByTestId('embed-load').click();
  await expect(page.getByTestId('embed-loading')).toBeVisible();
  // Watched in the page until the panel goes: web-llm's own fraction restarts near 0 for the shaders.
  const watched = await watchLoadBar(
    page,
    '[data-testid="embed-loading"] [role="progressbar"]',
    '[data-testid="embed-load-step"]',
  );
  expect(watched.values.length).toBeGreaterThanOrEqual(3);
  expect(watched.values).toEqual([...watched.values].sort((a, b) => a - b));
  expect(watched.steps).toEqual(['Step 1 of 2: downloading the model', 'Step 2 of 2: preparing the GPU']);
});
