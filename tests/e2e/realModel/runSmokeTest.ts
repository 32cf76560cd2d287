/**
 * The smoke test's user journey, from an open browser to a checked answer (see real-model.spec.ts).
 * `origin` serves the app, the model under /models/<id>/resolve/main/ and its library under /libs/.
 */
import { test, expect, type Page } from '@playwright/test';
import { basename } from 'node:path';
import type { RealModelConfig } from './realModelConfig.ts';
import {
  addCustomModel,
  applySettings,
  enableCalculator,
  loadCustomModel,
  maxLoadProgress,
  openModelPicker,
  watchLoadProgress,
} from './appSteps.ts';

export const QUESTION = 'What is 23 × 19?';

export async function runSmokeTest(page: Page, origin: string, config: RealModelConfig): Promise<void> {
  const note = (type: string, description: string) => test.info().annotations.push({ type, description });
  await watchLoadProgress(page);

  await test.step('the production app finds the WebGPU adapter', async () => {
    await page.goto(`${origin}/`);
    await expect(page.getByTestId('gpu-status')).toHaveText(/WebGPU: adapter/, { timeout: 30_000 });
  });

  await test.step('add the model through "Add a custom model" and load it', async () => {
    const picker = await openModelPicker(page);
    await addCustomModel(picker, {
      name: `Local ${config.modelId}`,
      id: config.modelId,
      weightsUrl: `${origin}/models/${config.modelId}/resolve/main/`,
      libraryUrl: `${origin}/libs/${basename(config.modelLib)}`,
      formatId: config.formatId,
    });
    const loaded = await loadCustomModel(picker, config.modelId);
    note('load', loaded);
    expect(loaded).toMatch(/loaded in \d/);
    expect(await maxLoadProgress(page), 'the progress bar reached 100%').toBe(100);
    await page.keyboard.press('Escape');
    await expect(picker).toBeHidden();
  });

  await test.step('limit tokens and chained calls, switch the calculator on', async () => {
    await applySettings(page, config.maxTokens);
    await enableCalculator(page);
  });

  const answer = page.getByTestId('assistant-message').last();
  await test.step(`ask "${QUESTION}" and wait for the whole answer`, async () => {
    // Keyboard, not clicks: the service worker's "ready to work offline" toast (production build
    // only) can sit over the Send button and the inspector's toggle.
    await page.getByTestId('composer-input').fill(QUESTION);
    await page.getByTestId('composer-input').press('Enter');
    await expect(answer).toHaveAttribute('data-status', /^(done|error|stopped)$/, { timeout: 0 });
    // Everything the model saw and wrote, for whoever reads a failure.
    await answer.getByTestId('inspector').locator('summary').press('Enter');
    await test
      .info()
      .attach('inspector', { body: await answer.getByTestId('inspector').innerText(), contentType: 'text/plain' });
    const status = await answer.getAttribute('data-status');
    if (status !== 'done') throw new Error(`The answer ended with status "${status}": ${await answer.innerText()}`);
  });

  await test.step('a calculate call ran, then a final answer followed its result', async () => {
    await expect(answer.getByTestId('inspector')).toContainText(`max tokens ${config.maxTokens}`);
    const call = answer.getByTestId('call-card').first();
    await expect(call.getByTestId('call-name')).toHaveText('calculate');
    const result = answer.getByTestId('result-card').first();
    await expect(result).toHaveAttribute('data-ok', 'true');
    note('calculate result', await result.getByTestId('result-text').innerText());
    const final = answer.locator('[data-testid="result-card"] ~ [data-testid="message-text"]').last();
    await expect(final).toHaveText(/\S/);
    note('final answer', await final.innerText());
  });

  if (config.formatId === 'trelis-v2') {
    await test.step('the raw Trelis v2 prompt starts with the BOS "<s>", exactly once', async () => {
      const prompt = await answer.getByTestId('inspector-prompt').first().innerText();
      expect(prompt.startsWith('<s>'), 'the prompt starts with <s>').toBe(true);
      expect(prompt.split('<s>').length - 1, 'occurrences of <s> in the first prompt').toBe(1);
    });
    await test.step('the real tokenizer turns that <s> into the BOS token, once, at the start', async () => {
      const first = answer.getByTestId('bos-check').first();
      await first.getByTestId('check-tokens').click();
      await expect(first.getByTestId('bos-result')).toHaveText(/appears once, at the start ✓/, { timeout: 60_000 });
    });
  }
}
