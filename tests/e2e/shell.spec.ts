import { test, expect } from './helpers/test.ts';

test('the built page loads with no console errors and finds the SwiftShader WebGPU adapter', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto('./');
  await expect(page.getByTestId('gpu-status')).toHaveText(/WebGPU: adapter/);
  expect(problems).toEqual([]);
});

test('the built page asks for its JavaScript at once: theme.js comes after the module script and preloads', async ({
  page,
}) => {
  const html = await (await page.request.get('./')).text();
  const theme = html.indexOf('<script src="./theme.js"');
  expect(theme).toBeGreaterThan(0);
  // Before it, a parser-blocking script would hold every request below it until it had arrived.
  expect(html.indexOf('<script type="module"')).toBeGreaterThan(0);
  expect(html.indexOf('<script type="module"')).toBeLessThan(theme);
  expect(html.lastIndexOf('rel="modulepreload"')).toBeLessThan(theme);
  expect(html.indexOf('</head>')).toBeGreaterThan(theme);
});

test('the first screen comes in a few files, and the widget never fetches the app-only part of them', async ({
  page,
}) => {
  /** The scripts a page asks for until its first button can be used. */
  async function scriptsUntilUsable(path: string, button: string): Promise<string[]> {
    const scripts: string[] = [];
    const record = (r: { url(): string; resourceType(): string }) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname.split('/').pop() ?? '');
    };
    page.on('request', record);
    await page.goto(path);
    await expect(page.getByTestId(button)).toBeEnabled();
    page.off('request', record);
    return scripts;
  }
  // The entry, the two shell chunks (scripts/shellChunks.ts), theme.js, the bundler's runtime helpers
  // (a chunk of their own in this build) and the service-worker registration (started, not awaited):
  // 19 files up front and 21 in all before the start-up modules were grouped.
  const app = await scriptsUntilUsable('./', 'nav-chat');
  expect(app.length, app.join(', ')).toBeLessThanOrEqual(6);
  expect(app.some((f) => f.startsWith('shell-app-'))).toBe(true);

  const widget = await scriptsUntilUsable('./embed.html', 'embed-load');
  expect(widget.length, widget.join(', ')).toBeLessThanOrEqual(5);
  expect(widget.some((f) => f.startsWith('shell-shared-'))).toBe(true);
  expect(widget.filter((f) => f.startsWith('shell-app-'))).toEqual([]);
});
