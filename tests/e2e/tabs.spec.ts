/**
 * Two tabs of the app in one browser profile (issue 11 §4): what one tab stores is never lost to the
 * other's older copy, a revoked "Always allow" holds in the other tab from its next call, a deleted
 * conversation stays deleted, and a call cut off by a reload is never shown as done.
 */
import { test, expect, type BrowserContext, type Page } from './helpers/test.ts';
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

const PAGE_URL = 'https://example.com/callama-tabs';

const rules = [
  { match: 'declined to run open_url(?![\\s\\S]*(?:\\n|>)user(?:: |\\n))', reply: 'All right, I did not open it.' },
  { match: '"opened"(?![\\s\\S]*(?:\\n|>)user(?:: |\\n))', reply: 'I opened the page for you.' },
  { match: 'user(?:: |\\n)Open page', reply: toolCall('open_url', { url: PAGE_URL }) },
  { match: 'user(?:: |\\n)third question(?![\\s\\S]*(?:\\n|>)user(?:: |\\n))', reply: 'Answer three.' },
  { match: 'user(?:: |\\n)second question(?![\\s\\S]*(?:\\n|>)user(?:: |\\n))', reply: 'Answer two.' },
  { match: 'user(?:: |\\n)first question', reply: 'Answer one.' },
];

/** A second tab of the same profile: it opens the latest conversation and loads the cached model itself. */
async function secondTab(context: BrowserContext): Promise<Page> {
  const tab = await context.newPage();
  await scriptEngine(tab, rules);
  await tab.goto('./');
  await expect(tab.getByTestId('composer-input')).toBeEnabled();
  return tab;
}

async function firstTab(page: Page, context: BrowserContext): Promise<void> {
  // Pages open_url opens are served locally (never the network).
  await context.route('https://example.com/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<title>Example</title>' }),
  );
  await scriptEngine(page, rules);
  await openAndLoad(page);
}

test('"Ask again" in one tab: the other tab asks before its very next call', async ({ page, context }) => {
  await firstTab(page, context);
  await send(page, 'Open page one');
  await lastAnswer(page).getByTestId('consent-always').click();
  await answerSettled(page);

  const other = await secondTab(context);
  await other.getByTestId('open-functions').click();
  await expect(other.getByTestId('always-allowed-item')).toHaveAttribute('data-name', 'open_url');
  await other.keyboard.press('Escape');

  await page.getByTestId('open-functions').click();
  await page.getByRole('button', { name: 'Ask again before running open_url' }).click();
  await page.keyboard.press('Escape');

  // No reload in the other tab: its next call asks.
  await send(other, 'Open page two');
  const prompt = lastAnswer(other).getByTestId('consent-prompt');
  await expect(prompt).toBeVisible();
  await prompt.getByTestId('consent-deny').click();
  await answerSettled(other);
  await expect(lastAnswer(other)).toContainText('All right, I did not open it.');
  await other.getByTestId('open-functions').click();
  await expect(other.getByTestId('always-allowed-item')).toHaveCount(0);
});

test('both tabs on one conversation: nothing either tab wrote is lost; a delete holds in both', async ({
  page,
  context,
}) => {
  await firstTab(page, context);
  await send(page, 'first question');
  await answerSettled(page);

  const other = await secondTab(context);
  await expect(lastAnswer(other)).toContainText('Answer one.');
  await send(other, 'second question');
  await answerSettled(other);
  // The first tab shows the other's turn without a reload, and its next turn keeps it.
  await expect(lastAnswer(page)).toContainText('Answer two.');
  await send(page, 'third question');
  await answerSettled(page);
  await expect(lastAnswer(other)).toContainText('Answer three.');

  for (const tab of [page, other]) {
    await tab.reload();
    await expect(tab.getByTestId('user-message')).toHaveText([/first question/, /second question/, /third question/]);
  }

  const item = page.getByTestId('conversation-item').filter({ hasText: 'first question' });
  await item.getByTestId('conversation-delete').click();
  await page.getByTestId('confirm-delete').click();
  await expect(other.getByTestId('conversation-item').filter({ hasText: 'first question' })).toHaveCount(0);
  // The other tab writes on (a new conversation); the deleted one never comes back.
  await send(other, 'first question');
  await answerSettled(other);
  // A reload while the new conversation's first write is still in flight would lose it (a fraction of
  // a second, as persistence.spec says): reload once it is stored.
  await expect.poll(() => storedConversations(other)).toContain('"status":"done"');
  await other.reload();
  await page.reload();
  for (const tab of [page, other]) {
    await expect(tab.getByTestId('conversation-item')).toHaveCount(1);
    await expect(tab.getByTestId('user-message')).toHaveText([/first question/]);
  }
});

test('a call whose consent question was open at a reload shows "Not run (interrupted)", never Done', async ({
  page,
  context,
}) => {
  await firstTab(page, context);
  await send(page, 'Open page one');
  await expect(lastAnswer(page).getByTestId('consent-prompt')).toBeVisible();
  // The waiting call is stored, as running (only a call has that status): the name alone may be the
  // streamed text of an earlier save.
  await expect.poll(() => storedConversations(page)).toContain('"status":"running"');
  await page.reload();

  const card = lastAnswer(page).getByTestId('call-card');
  await expect(card).toHaveAttribute('data-status', 'interrupted');
  await expect(card).toContainText('Not run (interrupted)');
  await expect(card).not.toContainText('Done');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'stopped');
});
