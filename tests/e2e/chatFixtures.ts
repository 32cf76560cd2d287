/**
 * Shared steps for the chat browser tests: script the engine double, load the suggested model from
 * the welcome screen, send a message. The suggested model on SwiftShader is Qwen3-1.7B (qwen3 format,
 * which uses Hermes' tags), so scripted calls are written as `<tool_call>` JSON blocks, and function
 * results come back to the double inside `<tool_response>` (what the rules match on).
 */
import { expect, type Page } from '@playwright/test';
import type { FakeRule, FakeScript } from '../doubles/fakeEngine.ts';

export function toolCall(name: string, args: Record<string, unknown>): string {
  return `<tool_call>\n${JSON.stringify({ name, arguments: args })}\n</tool_call>`;
}

/** Scripts the engine double before the page's own scripts run (also on reloads). */
export async function scriptEngine(
  page: Page,
  rules: FakeRule[],
  options: Omit<FakeScript, 'rules'> = {},
): Promise<void> {
  await page.addInitScript(
    (script) => {
      window.__CALLAMA_FAKE__ = script;
    },
    { ...options, rules },
  );
}

/**
 * Says yes to the download question if it is asked. The `test` fixture answers it on its own page
 * (helpers/test.ts); a page the test opened in a context of its own has no such answerer.
 */
export async function answerDownloadQuestion(page: Page): Promise<void> {
  const question = page.locator('[data-testid="download-confirm"][open]');
  // Either the question, or the load already under way (a cached model asks nothing).
  await expect(question.or(page.getByTestId('load-progress')).or(page.getByTestId('load-done')).first()).toBeVisible();
  if (await question.isVisible()) await question.getByTestId('download-confirm-button').click();
}

export async function loadSuggestedModel(page: Page): Promise<void> {
  await page.getByTestId('load-suggested').click();
  await answerDownloadQuestion(page);
  await expect(page.getByTestId('composer-input')).toBeEnabled();
}

export async function openAndLoad(page: Page): Promise<void> {
  await page.goto('./');
  await loadSuggestedModel(page);
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-input').press('Enter');
}

/** Waits until the engine double has paused its stream (a rule's `holdAfter`). */
export async function streamHeld(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__callamaFake?.held === true);
}

/** Resumes the stream the engine double paused (a rule's `holdAfter`). */
export async function releaseStream(page: Page): Promise<void> {
  expect(await page.evaluate(() => window.__callamaFake?.release() ?? false)).toBe(true);
}

/** The last assistant message. */
export function lastAnswer(page: Page) {
  return page.getByTestId('assistant-message').last();
}

/** Waits until the last answer has finished (done, stopped or failed). */
export async function answerSettled(page: Page): Promise<void> {
  await expect(lastAnswer(page)).toHaveAttribute('data-status', /^(done|stopped|error)$/);
}

/** Every stored conversation as JSON text: what a reload will show, read from IndexedDB. */
export async function storedConversations(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('callama');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const all = open.result.transaction('conversations').objectStore('conversations').getAll();
          all.onerror = () => reject(new Error(String(all.error)));
          all.onsuccess = () => {
            open.result.close();
            resolve(JSON.stringify(all.result));
          };
        };
      }),
  );
}

/**
 * Every message of the open conversation, as text, in order: what it says, without its action
 * buttons (Regenerate, Continue, Edit follow whether the engine can answer now, which is not data).
 */
export async function messageTexts(page: Page): Promise<string[]> {
  return page.locator('[data-testid="user-message"], [data-testid="assistant-message"]').evaluateAll((nodes) =>
    nodes.map((node) => {
      const copy = node.cloneNode(true) as HTMLElement;
      for (const actions of copy.querySelectorAll('[data-testid="answer-actions"], [data-testid="user-actions"]'))
        actions.remove();
      return copy.textContent.replace(/\s+/g, ' ').trim();
    }),
  );
}

/**
 * Watches a model-load progress bar in the page until it goes away: each value it showed (in
 * order, repeats dropped) and each step label. Polled in the page so no value is missed between
 * Playwright round trips.
 */
export function watchLoadBar(page: Page, bar: string, step: string): Promise<{ values: number[]; steps: string[] }> {
  return page.evaluate(
    ({ bar, step }) =>
      new Promise<{ values: number[]; steps: string[] }>((resolve) => {
        const values: number[] = [];
        const steps: string[] = [];
        const timer = setInterval(() => {
          const el = document.querySelector(bar);
          const label = document.querySelector(step)?.textContent ?? '';
          if (!el) {
            clearInterval(timer);
            resolve({ values, steps });
            return;
          }
          const v = Number(el.getAttribute('aria-valuenow'));
          if (values.at(-1) !== v) values.push(v);
          if (label && steps.at(-1) !== label) steps.push(label);
        }, 20);
      }),
    { bar, step },
  );
}
