import { test, expect, type Page } from './helpers/test.ts';
import AxeBuilder from '@axe-core/playwright';
import { answerDownloadQuestion, watchLoadBar } from './chatFixtures.ts';

// The engine is the scripted FakeEngine (tests/doubles/fakeEngine.ts): its load reports progress like
// web-llm, remembers loaded models in localStorage as its "cache", and can be told to fail.

async function openPicker(page: Page) {
  await page.getByTestId('model-button').click();
  const picker = page.getByTestId('model-picker');
  await expect(picker.getByTestId('gpu-summary')).toBeVisible();
  return picker;
}

test('a load shows real progress, then how long it took; after a reload the model loads from the cache by itself', async ({
  page,
}) => {
  await page.addInitScript(() => {
    window.__CALLAMA_FAKE__ = { loadMs: 3200 };
  });
  await page.goto('./');
  const picker = await openPicker(page);
  const card = picker.getByTestId('model-card').filter({ hasText: 'Suggested' });
  await expect(card.getByTestId('space-needed')).toContainText(/needs about \d/);
  await card.getByRole('button', { name: 'Download and load' }).click();

  const bar = picker.getByRole('progressbar', { name: 'Model load progress' });
  await expect(bar).toBeVisible();
  await expect(picker.getByTestId('load-step')).toHaveText('Step 1 of 2: downloading the model');
  await expect(picker.getByTestId('load-phase')).toContainText('Fetching param cache');
  await expect(picker.getByTestId('load-bytes')).toContainText(/MB of 440 MB/);
  // The bar is watched in the page for the whole load, through the GPU step, whose own fraction
  // starts again near 0 (web-llm's shader compilation): it must never go backwards.
  const watched = await watchLoadBar(
    page,
    '[role="progressbar"][aria-label="Model load progress"]',
    '[data-testid="load-step"]',
  );
  expect(watched.values.length).toBeGreaterThanOrEqual(3);
  expect(watched.values).toEqual([...watched.values].sort((a, b) => a - b));
  expect(watched.values.at(-1)).toBeGreaterThan(85);
  expect(watched.steps).toEqual(['Step 1 of 2: downloading the model', 'Step 2 of 2: preparing the GPU']);

  const done = picker.getByTestId('load-done');
  await expect(done).toContainText(/loaded in \d+(\.\d)? s\./);
  await expect(done).not.toContainText('from the browser cache');
  await expect(picker.getByTestId('load-announcement')).toHaveText(/^Model ready: /);
  // The load ran in the picker: closing it puts the caret in the message box.
  await page.keyboard.press('Escape');
  await expect(picker).not.toBeVisible();
  await expect(page.getByTestId('composer-input')).toBeFocused();

  // Same model again, after a page reload: it loads by itself, and the weights are read from the
  // cache, not downloaded.
  await page.reload();
  const again = await openPicker(page);
  await expect(again.getByTestId('load-done')).toContainText(/loaded in .* \(from the browser cache\)/);
  await expect(again.getByTestId('model-card').filter({ hasText: 'Suggested' }).getByTestId('in-cache')).toBeVisible();
});

test('a button the user focuses while the model loads keeps the focus when the load ends', async ({ page }) => {
  await page.addInitScript(() => {
    window.__CALLAMA_FAKE__ = { loadMs: 1500 };
  });
  await page.goto('./');
  await page.getByTestId('load-suggested').click();
  await answerDownloadQuestion(page);
  await expect(page.getByTestId('load-progress')).toBeVisible();
  const functionsButton = page.getByTestId('open-functions');
  await functionsButton.focus();

  // The load ends; the focus stays on the button, so a key pressed now acts on it.
  await expect(page.getByTestId('load-announcement')).toHaveText(/^Model ready: /);
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  await expect(functionsButton).toBeFocused();
  await expect(page.getByTestId('composer-input')).not.toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('functions-panel')).toBeVisible();
  await expect(page.getByTestId('composer-input')).toHaveValue('');
});

test('a library built for another web-llm version fails in plain words, and Retry loads it', async ({ page }) => {
  await page.addInitScript(() => {
    window.__CALLAMA_FAKE__ = {
      loadMs: 400,
      loadError: {
        name: 'LinkError',
        message:
          'WebAssembly.instantiate(): Import #12 "env" "TVMFFIEnvSetStream": function import requires a callable',
      },
    };
  });
  await page.goto('./');
  const picker = await openPicker(page);
  await picker
    .getByTestId('model-card')
    .filter({ hasText: 'Suggested' })
    .getByRole('button', { name: 'Download and load' })
    .click();

  const alert = picker.getByTestId('load-error');
  await expect(alert).toContainText('compiled for a different web-llm version');
  await expect(alert).toContainText('TVMFFIEnvSetStream');
  await expect(alert).toContainText('0.2.86');
  await expect(alert).not.toContainText('WebAssembly.instantiate');

  await page.evaluate(() => {
    window.__CALLAMA_FAKE__ = { loadMs: 400 };
  });
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(picker.getByTestId('load-done')).toContainText(/loaded in/);
  await expect(picker.getByTestId('load-error')).toHaveCount(0);
});

test('the custom-model form refuses a bad URL next to the field, and keeps a valid 127.0.0.1 model across visits', async ({
  page,
}) => {
  await page.goto('./');
  const picker = await openPicker(page);
  await picker.getByText('Add a custom model').click();
  const form = picker.getByTestId('custom-model-form');
  await expect(form).toContainText('resolve/main/');
  await expect(form).toContainText('web-llm 0.2.86');

  await form.getByLabel('Display name').fill('Trelis Llama 2 local');
  const url = form.getByLabel('MLC weights URL');
  await url.fill('ftp://example.com/model');
  await form.getByRole('button', { name: 'Save custom model' }).click();
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  const urlError = page.locator('#cm-url-error');
  await expect(urlError).toContainText('Unsupported scheme "ftp:"');
  await expect(url).toHaveAttribute('aria-describedby', /cm-url-error/);
  await expect(url).toBeFocused();
  await expect(form.getByRole('textbox', { name: 'Library URL' })).toHaveAttribute('aria-invalid', 'true');

  await url.fill('http://127.0.0.1:8123/Llama-2-7b-chat-hf-function-calling-v2-q4f32_1-MLC/resolve/main/');
  await form
    .getByRole('textbox', { name: 'Library URL' })
    .fill('http://127.0.0.1:8123/libs/Llama-2-7b-chat-hf-q4f32_1-ctx4k_cs1k-v0_2_86-webgpu.wasm');
  await form.getByLabel('Prompt format').selectOption('trelis-v2');
  await form.getByRole('button', { name: 'Save custom model' }).click();
  await expect(form.getByRole('status')).toContainText('Saved “Trelis Llama 2 local”');
  await expect(url).not.toHaveAttribute('aria-invalid', 'true');

  await page.reload();
  const again = await openPicker(page);
  const saved = again.getByTestId('custom-model');
  await expect(saved).toHaveCount(1);
  await expect(saved).toContainText('Trelis Llama 2 local');
  await expect(saved).toContainText('format trelis-v2');
  await expect(saved).toContainText(
    'http://127.0.0.1:8123/Llama-2-7b-chat-hf-function-calling-v2-q4f32_1-MLC/resolve/main/',
  );

  // It loads through the same path as catalog models.
  await saved.getByRole('button', { name: 'Load' }).click();
  await expect(again.getByTestId('load-done')).toContainText('Trelis Llama 2 local loaded in');
});

test('a lost GPU device says so, keeps the conversation, and offers to reload the model', async ({ page }) => {
  await page.addInitScript(() => {
    window.__CALLAMA_FAKE__ = { loadMs: 200, tokenDelayMs: 1 };
  });
  await page.goto('./');
  const picker = await openPicker(page);
  await picker
    .getByTestId('model-card')
    .filter({ hasText: 'Suggested' })
    .getByRole('button', { name: /load/i })
    .click();
  await expect(picker.getByTestId('load-done')).toBeVisible();
  await page.keyboard.press('Escape');
  const input = page.getByTestId('composer-input');
  await input.fill('Remember this message');
  await input.press('Enter');
  const userMessage = page.getByTestId('user-message').filter({ hasText: 'Remember this message' });
  await expect(userMessage).toBeVisible();

  await page.evaluate(() => window.__callamaFake?.loseDevice('Device was lost: out of memory'));
  const lost = page.getByTestId('device-lost');
  await expect(lost).toContainText('The GPU stopped responding');
  await expect(lost).toContainText('Your conversation is kept');
  await expect(userMessage).toBeVisible();
  await lost.getByRole('button', { name: 'Reload model' }).click();
  await expect(page.getByTestId('device-lost')).toHaveCount(0);
  await expect(page.getByTestId('model-button')).toContainText('Qwen3 1.7B');
});

test('the picker works by keyboard, fits a 375 px screen and passes axe', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto('./');
  const button = page.getByTestId('model-button');
  await button.focus();
  await page.keyboard.press('Enter');
  const picker = page.getByTestId('model-picker');
  await expect(picker.getByTestId('gpu-summary')).toBeVisible();
  await picker.getByText('Add a custom model').click();
  // Storage usage and quota come from navigator.storage.estimate().
  await expect(picker.getByTestId('storage-usage')).toContainText(
    /Using \S+ \w+ of \S+ \w+ \(\d+%\);\s+\S+ \w+ free\./,
  );
  await expect(picker.getByRole('button', { name: /request persistent storage/ })).toBeVisible();

  const overflow = await page.evaluate(() => {
    const dialog = document.querySelector('[data-testid="model-picker"]');
    return {
      page: document.documentElement.scrollWidth - window.innerWidth,
      dialog: dialog ? dialog.getBoundingClientRect().right - window.innerWidth : 0,
      wide: [...(dialog?.querySelectorAll('*') ?? [])]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .map((el) => el.outerHTML.slice(0, 80)),
    };
  });
  expect(overflow.page).toBeLessThanOrEqual(0);
  expect(overflow.dialog).toBeLessThanOrEqual(0);
  expect(overflow.wide).toEqual([]);

  const axe = await new AxeBuilder({ page }).include('[data-testid="model-picker"]').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  await page.keyboard.press('Escape');
  await expect(picker).toBeHidden();
  await expect(button).toBeFocused();
});
