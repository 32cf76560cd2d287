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
