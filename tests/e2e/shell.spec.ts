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
