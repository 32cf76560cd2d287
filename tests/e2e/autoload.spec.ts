/**
 * The last-used model loads by itself on start, but only from the browser cache: an uncached model
 * is never downloaded without a click, the setting turns the behaviour off, and deleting the model
 * from the cache stops it. The engine double emulates the cache with localStorage keys
 * ("callama-fake-cache:<model id>", see tests/doubles/fakeEngine.ts).
 */
import { test, expect, type Page } from './helpers/test.ts';
import { lastAnswer, loadSuggestedModel, scriptEngine, send } from './chatFixtures.ts';

test.use({ serviceWorkers: 'block' });

/** Empties the double's emulated model cache (as if the browser evicted the weights). */
async function clearFakeCache(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage))
      if (key.startsWith('callama-fake-cache:')) localStorage.removeItem(key);
  });
}

/** After a reload: the start-up has decided not to load anything (the Load button is offered). */
async function expectNothingLoaded(page: Page): Promise<void> {
  await expect(page.getByTestId('load-suggested')).toBeVisible();
  await expect(page.getByTestId('load-progress')).toHaveCount(0);
  await expect(page.getByTestId('resuming-model')).toHaveCount(0);
  await expect(page.getByTestId('model-button')).toContainText('Choose a model');
  await expect(page.getByTestId('composer-input')).toBeDisabled();
}

test('a cached last model loads by itself after a reload, from the browser cache', async ({ page }) => {
  await scriptEngine(page, [{ match: 'Hello', reply: 'Hi, loaded by itself.' }], { loadMs: 200 });
  await page.goto('./');
  await loadSuggestedModel(page);
  await page.reload();

  // No click: the welcome says what is happening instead of asking for a model.
  await expect(page.getByTestId('load-done')).toContainText(/loaded in .* \(from the browser cache\)/);
  await expect(page.getByTestId('suggested-model')).toHaveCount(0);
  await expect(page.getByTestId('model-button')).toContainText('Qwen3 1.7B');
  await send(page, 'Hello');
  await expect(lastAnswer(page)).toContainText('Hi, loaded by itself.');
});

test('an uncached last model is not downloaded on start: the Load button waits for the user', async ({ page }) => {
  await scriptEngine(page, [], { loadMs: 200 });
  await page.goto('./');
  await loadSuggestedModel(page);
  await clearFakeCache(page);
  await page.reload();

  await expectNothingLoaded(page);
  // The decision is final, not merely slow: the start-up asked the cache about the last model, and
  // the "resuming" line, shown from before that question until a load it starts has finished, is gone.
  // So the start-up has decided, and it started no load.
  await expect
    .poll(() => page.evaluate(() => window.__callamaFake?.cacheQueries.filter((q) => q.length === 1).length))
    .toBe(1);
  await expect(page.getByTestId('resuming-model')).toHaveCount(0);
  expect(await page.evaluate(() => window.__callamaFake?.loads)).toBe(0);
  await expect(page.getByTestId('load-progress')).toHaveCount(0);
  expect(
    await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('callama-fake-cache:'))),
  ).toEqual([]);

  // The user's click downloads it as on a first visit; then the caret is in the message box and
  // "Model ready" is said politely (a live region that was on the page before the load ended).
  const announcement = page.getByTestId('load-announcement');
  await expect(announcement).toHaveAttribute('aria-live', 'polite');
  await expect(announcement).toHaveText('');
  await page.getByTestId('load-suggested').click();
  await expect(page.getByTestId('load-done')).not.toContainText('from the browser cache');
  await expect(announcement).toHaveText(/^Model ready: Qwen3 1\.7B/);
  await expect(page.getByTestId('composer-input')).toBeFocused();
});

test('the setting "Load the last model on start" turns the auto-load off, and on again', async ({ page }) => {
  await scriptEngine(page, [], { loadMs: 200 });
  await page.goto('./');
  await loadSuggestedModel(page);

  await page.getByTestId('open-settings').click();
  const toggle = page.getByRole('switch', { name: 'Load the last model on start' });
  await expect(toggle).toBeChecked();
  await toggle.uncheck();
  await page.keyboard.press('Escape');
  await page.reload();
  await expectNothingLoaded(page);

  await page.getByTestId('open-settings').click();
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await page.keyboard.press('Escape');
  await page.reload();
  await expect(page.getByTestId('load-done')).toContainText('from the browser cache');
});

test('deleting the last model from the cache stops it loading on start', async ({ page }) => {
  await scriptEngine(page, [], { loadMs: 200 });
  await page.goto('./');
  await loadSuggestedModel(page);
  expect(await page.evaluate(() => localStorage.getItem('callama:lastModel'))).toMatch(/^Qwen3-1\.7B-/);

  await page.getByTestId('model-button').click();
  const cached = page.getByTestId('model-picker').getByTestId('cached-model');
  await expect(cached).toHaveCount(1);
  await cached.getByRole('button', { name: 'Delete…' }).click();
  await cached.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(cached).toHaveCount(0);
  expect(await page.evaluate(() => localStorage.getItem('callama:lastModel'))).toBeNull();

  await page.reload();
  await expectNothingLoaded(page);
});

test('a failed auto-load shows the usual error with Retry, and Retry loads the model', async ({ page }) => {
  await scriptEngine(page, [], { loadMs: 200 });
  await page.goto('./');
  await loadSuggestedModel(page);
  await page.addInitScript(() => {
    window.__CALLAMA_FAKE__ = { loadError: { name: 'QuotaExceededError', message: 'The quota has been exceeded.' } };
  });
  await page.reload();

  const alert = page.getByTestId('load-error');
  await expect(alert).toContainText('Qwen3 1.7B');
  await page.evaluate(() => {
    window.__CALLAMA_FAKE__ = {};
  });
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('load-done')).toContainText('from the browser cache');
  await expect(page.getByTestId('composer-input')).toBeEnabled();
});
