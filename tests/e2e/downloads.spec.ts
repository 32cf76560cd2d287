/**
 * Downloads the user controls (issue 13 §2), with the engine double (its cache is emulated with
 * localStorage keys, "callama-fake-cache:<id>" for complete models, "callama-fake-partial:<id>" for
 * stopped downloads): the question before a download, with its size, asked once per model; speed and
 * time left; Cancel that stops the load, leaves the model partly downloaded, and Resume; the
 * small-model suggestion on the test browser's real SwiftShader adapter; the widget's messages typed
 * before its model is loaded.
 */
import { test, expect, type Page } from './helpers/test.ts';
import { lastAnswer, scriptEngine, send } from './chatFixtures.ts';

// These tests are about the question, so nobody answers it for them.
test.use({ answerDownloads: false, serviceWorkers: 'block' });

const question = (page: Page) => page.locator('[data-testid="download-confirm"][open]');

test('an uncached model asks first, with its size and GPU memory; Cancel downloads nothing; Download loads it', async ({
  page,
}) => {
  await scriptEngine(page, [{ match: 'Hello', reply: 'Hi.' }], { loadMs: 200 });
  await page.goto('./');
  await page.getByTestId('load-suggested').click();

  await expect(question(page)).toBeVisible();
  await expect(question(page).getByRole('heading')).toHaveText(/^Download Qwen3 1\.7B .*\?$/);
  await expect(page.getByTestId('download-size')).toContainText(/This downloads about 1\.\d GB from huggingface\.co/);
  await expect(page.getByTestId('download-gpu')).toContainText(/It needs 2\.\d GB of GPU memory/);
  // Keyboard: the Download button has the focus; Escape says no and nothing is fetched.
  await expect(page.getByTestId('download-confirm-button')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(question(page)).toHaveCount(0);
  expect(await page.evaluate(() => window.__callamaFake?.loads)).toBe(0);
  await expect(page.getByTestId('load-suggested')).toBeFocused();

  // Enter on the button says yes.
  await page.keyboard.press('Enter');
  await expect(question(page)).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  expect(await page.evaluate(() => window.__callamaFake?.loads)).toBe(1);
  await send(page, 'Hello');
  await expect(lastAnswer(page)).toContainText('Hi.');
});

test('a cached model loads without a question', async ({ page }) => {
  await scriptEngine(page, [], { loadMs: 200 });
  // Both builds of the suggested model are in the (emulated) browser cache, as after an earlier visit
  // on another profile of the same browser; "Load the last model on start" has nothing to load.
  await page.addInitScript(() => {
    for (const id of ['Qwen3-1.7B-q4f32_1-MLC', 'Qwen3-1.7B-q4f16_1-MLC'])
      localStorage.setItem(`callama-fake-cache:${id}`, '1');
  });
  await page.goto('./');
  await page.getByTestId('load-suggested').click();
  await expect(page.getByTestId('load-done')).toContainText('(from the browser cache)');
  await expect(page.getByTestId('download-confirm')).not.toHaveAttribute('open');
  expect(await page.evaluate(() => window.__callamaFake?.loads)).toBe(1);
});

test('"Don\'t ask again" is remembered for that model, across visits, and only for it', async ({ page }) => {
  await scriptEngine(page, [], { loadMs: 200 });
  await page.goto('./');
  await page.getByTestId('load-suggested').click();
  await page.getByTestId('download-remember').check();
  await page.getByTestId('download-confirm-button').click();
  await expect(page.getByTestId('composer-input')).toBeEnabled();

  // The weights are gone (evicted): the next load downloads again, without asking.
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage))
      if (key.startsWith('callama-fake-cache:')) localStorage.removeItem(key);
  });
  await page.reload();
  await page.getByTestId('load-suggested').click();
  await expect(page.getByTestId('load-progress')).toBeVisible();
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  await expect(page.getByTestId('download-confirm')).not.toHaveAttribute('open');
  expect(await page.evaluate(() => window.__callamaFake?.loads)).toBe(1);

  // Another model still asks.
  await page.getByTestId('model-button').click();
  await page.getByTestId('model-picker').getByRole('button', { name: 'Download and load' }).first().click();
  await expect(question(page)).toBeVisible();
  await page.getByTestId('download-cancel').click();
  await expect(question(page)).toHaveCount(0);
});

test('a download shows its speed and time left, "—" until there is enough data', async ({ page }) => {
  // Eight shards over 6 s: the first report comes after 0.75 s, a speed after the reports span 1 s.
  await scriptEngine(page, [], { loadMs: 6000 });
  await page.goto('./');
  await page.getByTestId('load-suggested').click();
  await page.getByTestId('download-confirm-button').click();
  await expect(page.getByTestId('load-speed')).toHaveText('Speed: —');
  await expect(page.getByTestId('load-time-left')).toHaveText('Time left: —');
  await expect(page.getByTestId('load-speed')).toHaveText(/^Speed: \d+(\.\d)? MB\/s$/);
  await expect(page.getByTestId('load-time-left')).toHaveText(/^Time left: (about \d+ s|less than 5 s) left$/);
  // The GPU step has no download speed.
  await expect(page.getByTestId('load-step')).toHaveText('Step 2 of 2: preparing the GPU', { timeout: 15_000 });
  await expect(page.getByTestId('load-speed')).toHaveCount(0);
});

test('Cancel stops the download: no more progress, the model is partly downloaded, and Resume fetches the rest', async ({
  page,
}) => {
  await scriptEngine(page, [{ match: 'Hello', reply: 'Hi after resuming.' }], { loadMs: 4000 });
  await page.goto('./');
  await page.getByTestId('load-suggested').click();
  await page.getByTestId('download-confirm-button').click();
  // Two shards of eight have arrived.
  await expect(page.getByTestId('load-phase')).toContainText(/Fetching param cache\[[2-5]\/8\]/);
  const cancel = page.getByTestId('load-cancel');
  await cancel.focus();
  await page.keyboard.press('Enter');

  const stopped = page.getByTestId('load-stopped');
  await expect(stopped).toContainText(/Download of Qwen3 1\.7B .* stopped\./);
  await expect(stopped).toContainText(/\d+ MB of \d+ MB is kept in the browser \(partly downloaded\)/);
  await expect(page.getByTestId('load-progress')).toHaveCount(0);
  expect(await page.evaluate(() => window.__callamaFake?.cancels)).toBe(1);
  // Keyboard: the focus moved from the vanished Cancel to Resume.
  await expect(page.getByTestId('load-resume')).toBeFocused();
  // Nothing goes on behind the notice: no progress comes back, the header offers a choice again.
  await page.waitForTimeout(1200);
  await expect(page.getByTestId('load-progress')).toHaveCount(0);
  await expect(page.getByTestId('model-button')).toContainText('Choose a model');

  // The picker lists it as partly downloaded, with Resume.
  await page.getByTestId('model-button').click();
  const card = page.getByTestId('model-picker').getByTestId('partly-cached').first();
  await expect(card).toHaveText('Partly downloaded');
  await page.keyboard.press('Escape');

  // Resume: no question (the user agreed already); the load starts after the shards already cached.
  await page.getByTestId('load-resume').click();
  // The first shard the resumed load reports, caught on the frame it appears.
  const first = await page.waitForFunction(
    () => {
      const text = document.querySelector('[data-testid="load-phase"]')?.textContent ?? '';
      return /^Fetching/.test(text) ? text : null;
    },
    null,
    { polling: 'raf' },
  );
  expect(await first.jsonValue()).toMatch(/Fetching param cache\[[3-8]\/8\]/);
  await expect(question(page)).toHaveCount(0);
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  await send(page, 'Hello');
  await expect(lastAnswer(page)).toContainText('Hi after resuming.');
  await page.getByTestId('model-button').click();
  await expect(page.getByTestId('model-picker').getByTestId('partly-cached')).toHaveCount(0);
});

test("on the test browser's SwiftShader adapter, the smallest model that calls functions is suggested, with the reason", async ({
  page,
}) => {
  await scriptEngine(page, [], { loadMs: 200 });
  await page.goto('./');
  const small = page.getByTestId('small-model-suggestion');
  await expect(small).toContainText('Suggested for this device: Qwen2.5 0.5B');
  await expect(page.getByTestId('small-model-reason')).toHaveText(
    /^Your browser is drawing with the CPU \(SwiftShader\), not a graphics card; a small model such as Qwen2\.5 0\.5B Instruct \(\d+ MB\) will answer in minutes, not seconds/,
  );
  await page.getByTestId('load-small-model').click();
  await expect(page.getByTestId('download-size')).toContainText(/about 3\d\d MB/);
  await page.getByTestId('download-confirm-button').click();
  await expect(page.getByTestId('model-button')).toContainText('Qwen2.5 0.5B');
});

test('widget: a visitor types before the model is loaded; the message waits, the download is asked for, then it is answered', async ({
  page,
}) => {
  await scriptEngine(page, [{ match: 'hello', reply: 'Hello from the widget.' }], { loadMs: 600 });
  await page.goto('./embed.html');
  const input = page.getByTestId('embed-input');
  await expect(input).toBeEnabled();
  await input.fill('hello');
  await input.press('Enter');

  await expect(page.getByTestId('user-message').last()).toHaveText('hello');
  await expect(page.getByTestId('embed-message-waiting')).toBeVisible();
  await expect(question(page)).toBeVisible();
  await expect(page.getByTestId('download-size')).toContainText(/This downloads about 1\.\d GB/);
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('embed-loading')).toBeVisible();
  await expect(lastAnswer(page)).toHaveText('Hello from the widget.');
  await expect(page.getByTestId('embed-message-waiting')).toHaveCount(0);
});

test('widget: Cancel stops the download and Resume finishes it', async ({ page }) => {
  await scriptEngine(page, [], { loadMs: 4000 });
  await page.goto('./embed.html');
  await page.getByTestId('embed-load').click();
  await page.getByTestId('download-remember').check();
  await page.getByTestId('download-confirm-button').click();
  await expect(page.getByTestId('embed-load-rate')).toHaveText(/^Speed: .* · Time left: .*$/);
  await page.getByTestId('embed-load-cancel').click();
  await expect(page.getByTestId('embed-load-stopped')).toContainText('stopped');
  expect(await page.evaluate(() => window.__callamaFake?.cancels)).toBe(1);
  await expect(page.getByTestId('embed-load-resume')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('embed-model-ready')).toHaveText(/Model ready/);
});

test('cancelling the download of another model keeps the conversation', async ({ page }) => {
  await scriptEngine(page, [{ match: 'Hello', reply: 'Hi, before the switch.' }], { loadMs: 4000 });
  // The suggested model is cached already, so the chat starts at once.
  await page.addInitScript(() => {
    for (const id of ['Qwen3-1.7B-q4f32_1-MLC', 'Qwen3-1.7B-q4f16_1-MLC'])
      localStorage.setItem(`callama-fake-cache:${id}`, '1');
  });
  await page.goto('./');
  await page.getByTestId('load-suggested').click();
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  await send(page, 'Hello');
  await expect(lastAnswer(page)).toContainText('Hi, before the switch.');

  await page.getByTestId('model-button').click();
  await page.getByTestId('model-picker').getByRole('button', { name: 'Download and load' }).first().click();
  await page.getByTestId('download-confirm-button').click();
  const picker = page.getByTestId('model-picker');
  await expect(picker.getByTestId('load-phase')).toContainText('Fetching param cache');
  await picker.getByTestId('load-cancel').click();
  await expect(picker.getByTestId('load-stopped')).toBeVisible();
  await page.keyboard.press('Escape');

  await expect(page.getByTestId('user-message')).toHaveCount(1);
  await expect(page.getByTestId('user-message')).toContainText('Hello');
  await expect(lastAnswer(page)).toContainText('Hi, before the switch.');
});
