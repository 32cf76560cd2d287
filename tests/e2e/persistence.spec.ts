import { test, expect } from './helpers/test.ts';
import { readFile } from 'node:fs/promises';
import {
  answerSettled,
  lastAnswer,
  openAndLoad,
  scriptEngine,
  send,
  storedConversations,
  toolCall,
} from './chatFixtures.ts';

test.use({ serviceWorkers: 'block' });

const calcRules = [
  { match: '<tool_response>[\\s\\S]*437', reply: '23 × 19 = 437.' },
  { match: 'user(?:: |\\n)What is 23', reply: toolCall('calculate', { expression: '23*19' }) },
];

test('a conversation with its call and result cards survives a reload', async ({ page }) => {
  await scriptEngine(page, calcRules);
  await openAndLoad(page);
  await send(page, 'What is 23*19?');
  await answerSettled(page);
  // The end of a turn is saved at once, but the write takes a moment: a reload within it loses that
  // moment (what SAVE_MS promises), here the whole short turn. Reload once the answer is stored.
  await expect.poll(() => storedConversations(page)).toContain('"status":"done"');
  await page.reload();

  await expect(page.getByTestId('conversation-item')).toHaveCount(1);
  await expect(page.getByTestId('conversation-title')).toHaveText('What is 23*19?');
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute('data-status', 'done');
  await expect(answer.getByTestId('call-name')).toHaveText('calculate');
  await expect(answer.getByTestId('result-card')).toContainText('437');
  await expect(answer).toContainText('23 × 19 = 437.');
  // The history is fed back after the reload, in the model's format. The model comes back by
  // itself: it is in the browser cache from the first load.
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  await send(page, 'What is 23 again?');
  await answerSettled(page);
  const log = await page.evaluate(() => JSON.stringify(window.__CALLAMA_FAKE_LOG__?.at(-1) ?? null));
  expect(log).toContain('What is 23*19?');
});

test('several conversations: new, switch, rename, export as JSON, delete with confirmation', async ({ page }) => {
  await scriptEngine(page, [
    { match: 'first', reply: 'Answer one.' },
    { match: 'second', reply: 'Answer two.' },
  ]);
  await openAndLoad(page);
  await send(page, 'first question');
  await answerSettled(page);
  await page.getByTestId('new-conversation').click();
  await expect(page.getByTestId('welcome')).toBeVisible();
  await send(page, 'second question');
  await answerSettled(page);
  const items = page.getByTestId('conversation-item');
  await expect(items).toHaveCount(2);
  await expect(items.first()).toContainText('second question');

  // Switch back to the first one.
  await items.nth(1).getByTestId('conversation-open').click();
  await expect(lastAnswer(page)).toContainText('Answer one.');

  // Rename it.
  await items.nth(1).getByTestId('conversation-rename').click();
  await page.getByTestId('rename-input').fill('Renamed chat');
  await page.getByTestId('rename-input').press('Enter');
  await expect(page.getByTestId('conversation-title')).toHaveText('Renamed chat');

  // Export it: a JSON file with the whole conversation.
  const renamed = items.filter({ hasText: 'Renamed chat' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    renamed.getByTestId('conversation-export').click(),
  ]);
  expect(download.suggestedFilename()).toBe('callama-renamed-chat.json');
  const file = JSON.parse(await readFile(await download.path(), 'utf8')) as {
    format: string;
    conversation: { title: string; messages: { role: string }[] };
  };
  expect(file.format).toBe('callama-conversation');
  expect(file.conversation.title).toBe('Renamed chat');
  expect(file.conversation.messages.map((m) => m.role)).toEqual(['user', 'assistant']);

  // Delete: cancel first, then confirm.
  await renamed.getByTestId('conversation-delete').click();
  await page.getByTestId('delete-dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(items).toHaveCount(2);
  await renamed.getByTestId('conversation-delete').click();
  await page.getByTestId('confirm-delete').click();
  await expect(items).toHaveCount(1);
  await expect(page.getByTestId('conversation-title')).toHaveText('second question');

  await page.reload();
  await expect(page.getByTestId('conversation-item')).toHaveCount(1);
  await expect(page.getByTestId('conversation-item')).toContainText('second question');
});

test('a long conversation opens at its newest answer, and its older messages fill in above without moving the view', async ({
  page,
}) => {
  const reply = (n: number) =>
    Array.from({ length: 12 }, (_, i) => `Paragraph ${i} of answer ${n}, with **bold** words and more text.`).join(
      '\n\n',
    );
  await scriptEngine(
    page,
    // The prompt holds every question so far: the newest is matched first.
    Array.from({ length: 14 }, (_, n) => ({ match: `Question ${n}\\b`, reply: reply(n) })).reverse(),
    { tokensPerSecond: 'max' },
  );
  await openAndLoad(page);
  for (let n = 0; n < 14; n += 1) {
    await send(page, `Question ${n}`);
    await answerSettled(page);
  }
  await page.getByTestId('new-conversation').click();
  await expect(page.getByTestId('assistant-message')).toHaveCount(0);
  // As a browser without scroll anchoring (Safari) would: the list itself keeps the view in place.
  await page.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('[data-testid="message-list"] { overflow-anchor: none; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  });

  const firstFrame = await page.evaluate(async () => {
    const open = [...document.querySelectorAll<HTMLElement>('[data-testid="conversation-open"]')].find((b) =>
      b.textContent.includes('Question 0'),
    );
    open?.click();
    await new Promise(requestAnimationFrame);
    const answers = document.querySelectorAll('[data-testid="assistant-message"]');
    return answers[answers.length - 1]?.textContent ?? '';
  });
  expect(firstFrame).toContain('Paragraph 11 of answer 13');

  await expect(page.getByTestId('user-message')).toHaveCount(14);
  await expect(page.getByTestId('assistant-message')).toHaveCount(14);
  await expect(page.getByTestId('user-message').first()).toContainText('Question 0');
  const list = page.getByTestId('message-list');
  const distanceFromEnd = () => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
  await expect.poll(distanceFromEnd).toBeLessThan(2);
  await expect(lastAnswer(page)).toBeInViewport();
});

test('an answer cut off by a lost GPU is saved as it streams and kept after a reload', async ({ page }) => {
  const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
  // Paused after word6: the device is lost while the answer streams.
  await scriptEngine(page, [{ match: 'long', reply: words, holdAfter: 'word6' }]);
  await openAndLoad(page);
  await send(page, 'Write something long');
  await expect(lastAnswer(page)).toContainText('word6');
  await page.evaluate(() => window.__callamaFake?.loseDevice('GPU device was lost (test)'));
  await expect(page.getByTestId('device-lost')).toBeVisible();
  // Saved as it streamed: the last word shown is in the stored conversation before the reload.
  const shown = (await lastAnswer(page).getByTestId('message-text').innerText()).trim().split(/\s+/).at(-1) ?? '';
  await expect.poll(() => storedConversations(page)).toContain(shown);
  await page.reload();
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute('data-status', 'stopped');
  await expect(answer.getByTestId('message-text')).toContainText('word6');
  await expect(page.getByTestId('user-message')).toContainText('Write something long');
});

test('a failed model download leaves the conversations untouched', async ({ page }) => {
  await scriptEngine(page, calcRules);
  await openAndLoad(page);
  await send(page, 'What is 23*19?');
  await answerSettled(page);
  await page.addInitScript(() => {
    window.__CALLAMA_FAKE__ = {
      loadError: { name: 'NetworkError', message: 'Failed to fetch https://example.invalid/params_shard_3.bin' },
    };
  });
  await page.reload();
  await page.getByTestId('new-conversation').click();
  await page.getByTestId('load-suggested').click();
  await expect(page.getByTestId('load-error')).toBeVisible();
  await page
    .getByTestId('conversation-item')
    .filter({ hasText: 'What is 23*19?' })
    .getByTestId('conversation-open')
    .click();
  await expect(lastAnswer(page).getByTestId('result-card')).toContainText('437');
  await expect(page.getByTestId('composer-input')).toBeDisabled();
});

test('settings persist: the chained-call limit is kept across reloads', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('open-settings').click();
  await page.getByTestId('setting-max-calls').fill('2');
  await page.getByTestId('setting-max-calls').press('Tab');
  await page.reload();
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('setting-max-calls')).toHaveValue('2');
});
