import { test, expect } from './helpers/test.ts';

// The GPU check runs against the browser's REAL WebGPU: SwiftShader in the test Chromium, which has
// no shader-f16. Only the engine is a test double; detectGpu and the catalog marking are the app's own.

test('on SwiftShader the picker chooses q4f32 and says once, at the top, that q4f16 builds cannot run', async ({
  page,
}) => {
  await page.goto('./');
  await page.getByTestId('model-button').click();
  const picker = page.getByTestId('model-picker');
  await expect(picker.getByTestId('gpu-summary')).toContainText(/WebGPU is available/);

  const suggested = picker.getByTestId('model-card').filter({ hasText: 'Suggested' });
  await expect(suggested).toHaveCount(1);
  await expect(suggested).toHaveAttribute('data-model', /q4f32_1/);
  await expect(suggested.getByTestId('chosen-variant')).toHaveText('q4f32_1');
  await expect(picker.getByTestId('f16-note')).toHaveCount(1);
  await expect(picker.getByTestId('f16-note')).toContainText(/no shader-f16.*q4f32_1 build instead/);

  // Every card that loads something loads a variant that runs without shader-f16, and none of them
  // repeats the f16 warning.
  const chosen = await picker.getByTestId('chosen-variant').allTextContents();
  expect(chosen.length).toBeGreaterThan(3);
  for (const q of chosen) expect(q).not.toMatch(/f16/);
  const runnable = picker.getByTestId('model-card').filter({ has: page.getByTestId('chosen-variant') });
  await expect(runnable.getByTestId('variant-unavailable')).toHaveCount(0);
  // Only a model with no build for this GPU explains why, on its own card.
  const unavailable = picker.getByTestId('variant-unavailable');
  expect(await unavailable.count()).toBeGreaterThan(0);
  for (const text of await unavailable.allTextContents()) expect(text).toMatch(/f16.*unavailable:.*shader-f16/s);
  const warned = picker.getByTestId('model-card').filter({ has: page.getByTestId('variant-unavailable') });
  const warnedCount = await warned.count();
  expect(warnedCount).toBeGreaterThan(0);
  await expect(warned.filter({ hasText: 'This model cannot run on this GPU.' })).toHaveCount(warnedCount);
});

test('without navigator.gpu the page explains that this browser has no WebGPU and what to do', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
  });
  await page.goto('./');
  const page1 = page.getByTestId('gpu-unavailable');
  await expect(page1.getByRole('heading', { level: 1 })).toHaveText('This browser has no WebGPU');
  await expect(page1.getByTestId('gpu-reason')).toHaveText(/does not offer WebGPU/);
  await expect(page1.getByTestId('gpu-advice')).toContainText(/Chrome or Edge/);
  await expect(page1.getByTestId('gpu-advice')).toContainText('chrome://flags/#enable-unsafe-webgpu');
});

test('when requestAdapter returns null the page says no GPU adapter was found and how to fix it', async ({ page }) => {
  await page.addInitScript(() => {
    const gpu = navigator.gpu as GPU | undefined; // absent where WebGPU is off
    if (gpu)
      Object.defineProperty(Object.getPrototypeOf(gpu), 'requestAdapter', {
        value: async () => null,
        configurable: true,
      });
  });
  await page.goto('./');
  const page1 = page.getByTestId('gpu-unavailable');
  await expect(page1.getByRole('heading', { level: 1 })).toHaveText('No usable GPU was found');
  await expect(page1.getByTestId('gpu-reason')).toHaveText(/no usable GPU adapter/);
  await expect(page1.getByTestId('gpu-advice')).toContainText(/hardware acceleration/);
});
