import { test, expect, type Page } from './helpers/test.ts';

/**
 * The custom-model form's messages: what to check when the server cannot be read (said once, not
 * next to the same help again), a one-line success, and the model id as the name when none is given.
 */

const FOLDER = 'http://127.0.0.1:9/Local-Model-q4f32_1-MLC/resolve/main/';
const LIBRARY = 'http://127.0.0.1:9/libs/Local-Model-q4f32_1-v0_2_86-webgpu.wasm';

async function openForm(page: Page) {
  await page.goto('./');
  await page.getByTestId('model-button').click();
  const picker = page.getByTestId('model-picker');
  await picker.getByText('Add a custom model').click();
  return picker.getByTestId('custom-model-form');
}

/** How often `text` appears in the visible text of `form`. */
async function occurrences(page: Page, text: string): Promise<number> {
  const all = await page.getByTestId('custom-model-form').innerText();
  return all.split(text).length - 1;
}

test('a server that cannot be read: one message says what to check, and the folder help is not repeated', async ({
  page,
}) => {
  const form = await openForm(page);
  await form.getByLabel('Model id').fill('local-model');
  const url = form.getByLabel('MLC weights URL');
  await url.fill(FOLDER);
  await form.getByRole('textbox', { name: 'Library URL' }).fill(LIBRARY);
  await form.getByLabel('Check now that mlc-chat-config.json and tensor-cache.json answer').check();
  // Port 9 (discard) has no web server: the browser's fetch fails as it does for a stopped server.
  await form.getByRole('button', { name: 'Save custom model' }).click();

  const error = page.locator('#cm-url-error');
  await expect(error).toContainText(`Could not read ${FOLDER}mlc-chat-config.json`);
  await expect(error).toContainText('the server is running');
  await expect(error).toContainText('Access-Control-Allow-Origin');
  await expect(error).toContainText('…/resolve/main/');
  await expect(url).toBeFocused();
  expect(await occurrences(page, 'Access-Control-Allow-Origin')).toBe(1);
  // web-llm's folder rule is the field's help, shown once, not pasted into the error as well.
  expect(await occurrences(page, 'web-llm reads model files from')).toBe(1);
  await expect(form.getByRole('status')).toHaveCount(0);
});

test('a saved model: a one-line success, and an empty display name becomes the model id', async ({ page }) => {
  // The check online answers as an MLC weights folder served with CORS would.
  await page.route('http://127.0.0.1:9/**', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      headers: { 'Access-Control-Allow-Origin': '*' },
      body: route.request().url().endsWith('mlc-chat-config.json') ? '{"model_type":"llama"}' : '{"records":[]}',
    }),
  );
  const form = await openForm(page);
  await expect(form.getByLabel('Display name')).toHaveValue('');
  await form.getByLabel('Model id').fill('local-model');
  await form.getByLabel('MLC weights URL').fill(FOLDER);
  await form.getByRole('textbox', { name: 'Library URL' }).fill(LIBRARY);
  await form.getByLabel('Check now that mlc-chat-config.json and tensor-cache.json answer').check();
  await form.getByRole('button', { name: 'Save custom model' }).click();

  const status = form.getByRole('status');
  await expect(status).toHaveText('Saved “local-model”: it is listed with your models.');
  // One line: its height is one line of its own text.
  const box = await status.evaluate((el) => ({
    height: el.getBoundingClientRect().height,
    line: parseFloat(getComputedStyle(el).lineHeight),
  }));
  expect(box.height).toBeLessThan(box.line * 1.5);
  await expect(page.getByTestId('custom-model')).toContainText('local-model');
});
