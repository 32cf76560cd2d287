/**
 * Message actions and conversation basics (issue 13 §1), in the app and in the widget, by keyboard:
 * Regenerate keeps the earlier answer ("2 / 2", previous/next) and the next prompt reads the selected
 * version; Edit and resend drops what followed; Continue resumes an answer the token limit cut; Copy
 * copies. Then: import of a good and a bad file, search, no empty conversation before the first
 * send, and a function switched off for one conversation is not in its prompt (the double logs it).
 */
import type { Frame, Page } from '@playwright/test';
import { test, expect } from './helpers/test.ts';
import { answerSettled, lastAnswer, openAndLoad, scriptEngine, send } from './chatFixtures.ts';
import { promptText } from '../doubles/fakeEngine.ts';

test.use({ serviceWorkers: 'block' });

const RULES = [
  // Continue: the prompt ends with the cut answer, and the model writes on from it.
  { match: 'One, two,$', reply: ' three.' },
  { match: 'Count to three', reply: 'One, two,', truncate: true },
  { match: 'Capital of France', reply: 'Paris.' },
  { match: 'Capital of Italy', reply: 'Rome.' },
];

/** Presses Tab until the focused element matches `selector` (at most 60 times), so the path is the keyboard's. */
async function tabTo(page: Page, target: Page | Frame, selector: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (await target.evaluate((sel) => document.activeElement?.matches(sel) === true, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** The prompt of the last request the engine double received. */
async function lastPrompt(target: Page | Frame): Promise<string> {
  const request = await target.evaluate(() => window.__CALLAMA_FAKE_LOG__?.at(-1) ?? null);
  if (!request) throw new Error('no request');
  return promptText(request);
}

/** The scripted reply of the rule for `match` changes from now on (the double reads its script per request). */
async function setReply(target: Page | Frame, match: string, reply: string): Promise<void> {
  await target.evaluate(
    ([m, r]) => {
      const rule = window.__CALLAMA_FAKE__?.rules?.find((x) => x.match === m);
      if (rule) rule.reply = r;
    },
    [match, reply] as const,
  );
}

const LAST_ANSWER_ACTION = (testid: string) =>
  `[data-testid="assistant-message"]:last-of-type [data-testid="${testid}"]`;

test('app: regenerate with versions, edit and resend, continue and copy, all by keyboard', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await scriptEngine(page, RULES);
  await openAndLoad(page);

  await send(page, 'Capital of France?');
  await answerSettled(page);
  await expect(lastAnswer(page)).toContainText('Paris.');

  // Regenerate: a second version; the first stays reachable.
  await setReply(page, 'Capital of France', 'It is Paris, on the Seine.');
  await tabTo(page, page, LAST_ANSWER_ACTION('regenerate-answer'));
  await page.keyboard.press('Enter');
  await expect(lastAnswer(page)).toContainText('It is Paris, on the Seine.');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('version-label')).toHaveText('2 / 2');
  await tabTo(page, page, LAST_ANSWER_ACTION('version-previous'));
  await page.keyboard.press('Enter');
  await expect(lastAnswer(page).getByTestId('version-label')).toHaveText('1 / 2');
  await expect(lastAnswer(page)).not.toContainText('on the Seine');
  await expect(page.getByTestId('assistant-message')).toHaveCount(1);

  // The next prompt carries the selected version only.
  await send(page, 'And the river?');
  await answerSettled(page);
  const withFirst = await lastPrompt(page);
  expect(withFirst).toContain('Paris.');
  expect(withFirst).not.toContain('on the Seine');

  // Edit and resend the first message: it is replaced, and everything after it is dropped.
  await tabTo(page, page, '[data-testid="edit-message"]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('edit-input')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('Capital of Italy?');
  await page.keyboard.press('Enter');
  await expect(lastAnswer(page)).toContainText('Rome.');
  await answerSettled(page);
  await expect(page.getByTestId('user-message')).toHaveCount(1);
  await expect(page.getByTestId('user-message')).toContainText('Capital of Italy?');
  await expect(page.getByTestId('assistant-message')).toHaveCount(1);
  expect(await lastPrompt(page)).not.toContain('France');

  // Continue an answer the token limit cut: the same answer goes on from its text.
  await send(page, 'Count to three');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('length-note')).toBeVisible();
  await tabTo(page, page, LAST_ANSWER_ACTION('continue-answer'));
  await page.keyboard.press('Enter');
  await expect(lastAnswer(page)).toContainText('One, two, three.');
  await answerSettled(page);
  expect((await lastPrompt(page)).endsWith('One, two,')).toBe(true);
  await expect(page.getByTestId('assistant-message')).toHaveCount(2);
  await expect(lastAnswer(page).getByTestId('length-note')).toHaveCount(0);

  // Copy the answer.
  await tabTo(page, page, LAST_ANSWER_ACTION('copy-message'));
  await page.keyboard.press('Enter');
  await expect(lastAnswer(page).getByTestId('copy-message')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('One, two, three.');
  // Evidence for the issue: a message with its actions.
  await page
    .locator('[data-testid="message-list"]')
    .screenshot({ path: test.info().outputPath('message-actions.png') });
});

test('widget: the same actions by keyboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await scriptEngine(page, RULES);
  await page.goto('./embed.html?autoload=true');
  const input = page.getByTestId('embed-input');
  const answers = page.getByTestId('assistant-message');
  const idle = () => expect(page.getByTestId('embed-send')).toBeVisible();

  await input.fill('Capital of France?');
  await input.press('Enter');
  await expect(answers.last()).toHaveText('Paris.');
  await idle();

  await setReply(page, 'Capital of France', 'It is Paris, on the Seine.');
  await tabTo(page, page, '[data-testid="regenerate-answer"]');
  await page.keyboard.press('Enter');
  await expect(answers.last()).toHaveText('It is Paris, on the Seine.');
  await idle();
  await expect(page.getByTestId('version-label')).toHaveText('2 / 2');
  await tabTo(page, page, '[data-testid="version-previous"]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('version-label')).toHaveText('1 / 2');
  await expect(answers).toHaveText(['Paris.']);

  await tabTo(page, page, '[data-testid="edit-message"]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('edit-input')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('Count to three');
  await page.keyboard.press('Enter');
  await expect(answers.last()).toHaveText('One, two,');
  await idle();
  await expect(page.getByTestId('user-message')).toHaveText(['Count to three']);

  await tabTo(page, page, '[data-testid="continue-answer"]');
  await page.keyboard.press('Enter');
  await expect(answers.last()).toHaveText('One, two, three.');
  await idle();
  expect((await lastPrompt(page)).endsWith('One, two,')).toBe(true);

  await tabTo(page, page, '[data-testid="answer-actions"] [data-testid="copy-message"]');
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('One, two, three.');
});

test('conversations: none listed before the first send, import of a good and a bad file, search', async ({ page }) => {
  await scriptEngine(page, RULES);
  await openAndLoad(page);
  const items = page.getByTestId('conversation-item');
  await expect(items).toHaveCount(0);
  await page.getByTestId('new-conversation').click();
  await expect(items).toHaveCount(0);
  await send(page, 'Capital of France?');
  await answerSettled(page);
  await expect(items).toHaveCount(1);
  await expect(items).toContainText('Capital of France?');

  // A bad file: a clear error, and nothing stored.
  await page.getByTestId('import-file').setInputFiles({
    name: 'notes.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"hello": "world"}'),
  });
  await expect(page.getByTestId('import-error')).toContainText('not a Callama conversation export');
  await expect(page.getByTestId('import-error')).toContainText('Nothing was imported');
  await expect(items).toHaveCount(1);

  // A good file: listed and opened.
  const file = {
    format: 'callama-conversation',
    version: 1,
    exportedAt: new Date().toISOString(),
    conversation: {
      id: 'from-elsewhere',
      title: 'Trip planning',
      createdAt: 1,
      updatedAt: 1,
      system: '',
      toolChoice: 'auto',
      messages: [{ id: 'u1', role: 'user', content: 'Which train goes to Bergen?', createdAt: 1 }],
    },
  };
  await page.getByTestId('import-file').setInputFiles({
    name: 'trip.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(file)),
  });
  await expect(page.getByTestId('import-done')).toContainText('Trip planning');
  await expect(items).toHaveCount(2);
  await expect(page.getByTestId('conversation-title')).toHaveText('Trip planning');
  await expect(page.getByTestId('user-message')).toContainText('Which train goes to Bergen?');

  // Search by title, and by text inside a conversation.
  const search = page.getByTestId('conversation-search');
  await search.fill('trip');
  await expect(items).toHaveCount(1);
  await expect(items).toContainText('Trip planning');
  await search.fill('bergen');
  await expect(items).toHaveText([/Trip planning/]);
  await search.fill('paris');
  await expect(items).toHaveText([/Capital of France/]);
  await search.fill('no such words');
  await expect(items).toHaveCount(0);
  await expect(page.getByTestId('search-empty')).toBeVisible();
  await search.fill('');
  await expect(items).toHaveCount(2);

  // Imported conversations survive a reload.
  await page.reload();
  await expect(items).toHaveCount(2);
});

test('a function switched off for one conversation is not in its prompt, and is in the others', async ({ page }) => {
  await scriptEngine(page, RULES);
  await openAndLoad(page);
  await page.getByTestId('conversation-settings').click();
  const box = page.locator('[data-testid="conversation-function"][data-name="calculate"]');
  await expect(box).toBeChecked();
  await box.uncheck();

  await send(page, 'Capital of France?');
  await answerSettled(page);
  const without = await lastPrompt(page);
  expect(without).not.toContain('"calculate"');
  expect(without).toContain('"get_current_time"');

  await page.getByTestId('new-conversation').click();
  await send(page, 'Capital of Italy?');
  await answerSettled(page);
  expect(await lastPrompt(page)).toContain('"calculate"');

  // The choice is the conversation's own: back in the first one, it still holds.
  await page.getByTestId('conversation-open').last().click();
  await expect(page.getByTestId('conversation-title')).toHaveText('Capital of France?');
  await send(page, 'Capital of France again?');
  await answerSettled(page);
  expect(await lastPrompt(page)).not.toContain('"calculate"');
});
