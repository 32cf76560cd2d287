/**
 * The UI steps of the real-model smoke test, written as a user would take them (labels and test ids
 * of src/ui/components/models/, layout/SettingsDialog.svelte and functions/FunctionsPanel.svelte).
 * Long waits use `timeout: 0`: the test's own budget (minutes, on SwiftShader) is the only deadline.
 */
import { expect, type Locator, type Page } from '@playwright/test';

declare global {
  interface Window {
    /** Highest aria-valuenow the model-load progress bar ever showed (see watchLoadProgress). */
    __callamaMaxLoadProgress?: number;
  }
}

/**
 * The progress bar disappears as soon as the load ends, so polling could miss its last value. A
 * MutationObserver installed before the app starts records the highest percentage it ever showed.
 */
export async function watchLoadProgress(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const read = () => {
      const bar = document.querySelector('[role="progressbar"][aria-label="Model load progress"]');
      const v = Number(bar?.getAttribute('aria-valuenow'));
      if (Number.isFinite(v)) window.__callamaMaxLoadProgress = Math.max(window.__callamaMaxLoadProgress ?? 0, v);
    };
    new MutationObserver(read).observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-valuenow'],
    });
  });
}

export function maxLoadProgress(page: Page): Promise<number | undefined> {
  return page.evaluate(() => window.__callamaMaxLoadProgress);
}

export async function openModelPicker(page: Page): Promise<Locator> {
  await page.getByTestId('model-button').click();
  const picker = page.getByTestId('model-picker');
  await expect(picker.getByTestId('gpu-summary')).toBeVisible({ timeout: 30_000 });
  return picker;
}

export interface CustomModelFields {
  name: string;
  id: string;
  weightsUrl: string;
  libraryUrl: string;
  formatId: string;
}

/** Fills "Add a custom model", with the online check on, so the app itself reads the served folder. */
export async function addCustomModel(picker: Locator, m: CustomModelFields): Promise<void> {
  await picker.getByText('Add a custom model').click();
  const form = picker.getByTestId('custom-model-form');
  await form.getByLabel('Display name', { exact: true }).fill(m.name);
  await form.getByLabel('Model id', { exact: true }).fill(m.id);
  await form.getByLabel('MLC weights URL', { exact: true }).fill(m.weightsUrl);
  await form.getByRole('radio', { name: 'A library URL' }).check();
  await form.getByLabel('Library URL', { exact: true }).fill(m.libraryUrl);
  await form.getByLabel('Prompt format', { exact: true }).selectOption(m.formatId);
  await form.getByRole('checkbox', { name: /Check now that mlc-chat-config\.json/ }).check();
  await form.getByRole('button', { name: 'Save custom model' }).click();
  const saved = form.getByRole('status').filter({ hasText: `Saved “${m.name}”` });
  const invalid = form.locator('[aria-invalid="true"]');
  await expect(saved.or(invalid).first()).toBeVisible({ timeout: 30_000 });
  // Fail with the form's own words (the errors next to the fields) when it refused the model.
  if (await invalid.count()) throw new Error(`The custom-model form refused the model:\n${await form.innerText()}`);
  await expect(saved).toBeVisible();
}

/** Loads the saved custom model; returns the "loaded in …" text. Fails with the app's error text. */
export async function loadCustomModel(picker: Locator, id: string): Promise<string> {
  await picker
    .locator(`[data-testid="custom-model"][data-model="${id}"]`)
    .getByRole('button', { name: 'Load' })
    .click();
  const done = picker.getByTestId('load-done');
  const failed = picker.getByTestId('load-error');
  await expect(done.or(failed).first()).toBeVisible({ timeout: 0 });
  if (await failed.count()) throw new Error(`The model failed to load: ${await failed.innerText()}`);
  return done.innerText();
}

/** Few tokens and one round of calls: each decoded token costs seconds on SwiftShader. */
export async function applySettings(page: Page, maxTokens: number): Promise<void> {
  await page.getByTestId('open-settings').click();
  const dialog = page.getByTestId('settings-dialog');
  await dialog.getByLabel('Max tokens per generation').fill(String(maxTokens));
  await dialog.getByLabel('Max tokens per generation').press('Tab'); // the setting is saved on change
  await dialog.getByTestId('setting-max-calls').fill('1');
  await dialog.getByTestId('setting-max-calls').press('Tab');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
}

export async function enableCalculator(page: Page): Promise<void> {
  await page.getByTestId('open-functions').click();
  const panel = page.getByTestId('functions-panel');
  const calculator = panel.getByRole('switch', { name: /Calculator \(calculate\)/ });
  if (!(await calculator.isChecked())) await calculator.click();
  await expect(calculator).toBeChecked();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
}
