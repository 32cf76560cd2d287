/**
 * Side effects need consent (issue 6 §1): a call of a function that acts outside the conversation shows
 * its arguments and waits; it runs only after Allow. New tabs are counted with the context's 'page'
 * event, so "no tab opened" is checked on the real browser, not on the app's own account.
 */
import AxeBuilder from '@axe-core/playwright';
import { test, expect, type BrowserContext, type Page } from './helpers/test.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerSettled, lastAnswer, openAndLoad, scriptEngine, send, toolCall } from './chatFixtures.ts';
import { startStaticServer } from '../../scripts/staticServer.ts';

test.use({ serviceWorkers: 'block' });

const PAGE_URL = 'https://example.com/callama-consent';

/** The model opens PAGE_URL when asked to "Open page …", and answers after the result or a refusal. */
const openRules = [
  // Only when the refusal / result is the last message (no user message after it).
  { match: 'declined to run open_url(?![\\s\\S]*(?:\\n|>)user(?:: |\\n))', reply: 'All right, I did not open it.' },
  { match: '"opened"(?![\\s\\S]*(?:\\n|>)user(?:: |\\n))', reply: 'I opened the page for you.' },
  { match: 'user(?:: |\\n)Open page', reply: toolCall('open_url', { url: PAGE_URL }) },
];

/** Serves PAGE_URL locally and records every tab the app opens. */
async function watchTabs(context: BrowserContext): Promise<Page[]> {
  await context.route('https://example.com/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<title>Example</title>' }),
  );
  const opened: Page[] = [];
  context.on('page', (tab) => opened.push(tab));
  return opened;
}

async function tabUrls(opened: Page[]): Promise<string[]> {
  for (const tab of opened) await tab.waitForURL(PAGE_URL);
  return opened.map((tab) => tab.url());
}

test('open_url waits on its card with the URL shown; no tab opens until Allow', async ({ page, context }) => {
  const opened = await watchTabs(context);
  await scriptEngine(page, openRules);
  await openAndLoad(page);
  await send(page, 'Open page one');

  const answer = lastAnswer(page);
  const card = answer.getByTestId('call-card');
  const prompt = card.getByTestId('consent-prompt');
  await expect(prompt).toBeVisible();
  await expect(card).toHaveAttribute('data-status', 'consent');
  await expect(card.getByTestId('call-name')).toHaveText('open_url');
  await expect(card.getByRole('row', { name: /url/ })).toContainText(PAGE_URL);
  await expect(prompt).toContainText('Run open_url?');
  // Paused: one generation so far, nothing run, no tab.
  expect(await page.evaluate(() => window.__CALLAMA_FAKE_LOG__?.length)).toBe(1);
  await expect(answer).toHaveAttribute('data-status', 'streaming');
  expect(opened).toHaveLength(0);

  // Keyboard: the question's buttons are reachable and work with Enter.
  await prompt.getByTestId('consent-allow').focus();
  await page.keyboard.press('Enter');
  await answerSettled(page);
  await expect(prompt).toHaveCount(0);
  expect(await tabUrls(opened)).toEqual([PAGE_URL]);
  await expect(answer.getByTestId('result-card')).toContainText(PAGE_URL);
  await expect(answer).toContainText('I opened the page for you.');
});

test('Deny: no tab, the card says declined, and the model is told the user declined', async ({ page, context }) => {
  const opened = await watchTabs(context);
  await scriptEngine(page, openRules);
  await openAndLoad(page);
  // Sent with the Send button (which then turns into Stop): nobody is typing, so the question takes
  // the focus on its group, not on a button, and the whole answer works from the keyboard.
  await page.getByTestId('composer-input').fill('Open page one');
  await page.getByTestId('send-button').click();
  const answer = lastAnswer(page);
  const prompt = answer.getByTestId('consent-prompt');
  await expect(prompt).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(prompt.getByTestId('consent-allow')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(prompt.getByTestId('consent-deny')).toBeFocused();
  await page.keyboard.press('Enter');
  await answerSettled(page);

  await expect(answer.getByTestId('call-card')).toContainText('Declined');
  await expect(answer.getByTestId('result-card')).toContainText('The user declined to run open_url.');
  await expect(answer).toContainText('All right, I did not open it.');
  const fedBack = await page.evaluate(() => JSON.stringify(window.__CALLAMA_FAKE_LOG__?.at(-1) ?? null));
  expect(fedBack).toContain('The user declined to run open_url.');
  expect(opened).toHaveLength(0);
});

test('"Always allow" runs later calls without asking, still after a reload, until revoked in the Functions view', async ({
  page,
  context,
}) => {
  const opened = await watchTabs(context);
  await scriptEngine(page, openRules);
  await openAndLoad(page);

  await send(page, 'Open page one');
  await lastAnswer(page).getByTestId('consent-always').click();
  await answerSettled(page);
  expect(await tabUrls(opened)).toEqual([PAGE_URL]);

  await send(page, 'Open page two');
  await answerSettled(page);
  await expect(lastAnswer(page)).toContainText('I opened the page for you.');
  await expect(lastAnswer(page).getByTestId('call-card')).toHaveAttribute('data-status', 'done');
  expect(await tabUrls(opened)).toHaveLength(2);

  await page.reload();
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  await send(page, 'Open page three');
  await answerSettled(page);
  await expect(lastAnswer(page)).toContainText('I opened the page for you.');
  expect(await tabUrls(opened)).toHaveLength(3);

  // Revoke: the Functions view lists it; "Ask again" removes it, and the next call asks.
  await page.getByTestId('open-functions').click();
  const allowed = page.getByTestId('always-allowed');
  await expect(allowed.getByTestId('always-allowed-item')).toHaveAttribute('data-name', 'open_url');
  await allowed.getByRole('button', { name: 'Ask again before running open_url' }).click();
  await expect(allowed.getByTestId('always-allowed-item')).toHaveCount(0);
  await page.keyboard.press('Escape');

  await send(page, 'Open page four');
  const prompt = lastAnswer(page).getByTestId('consent-prompt');
  await expect(prompt).toBeVisible();
  expect(opened).toHaveLength(3);
  await prompt.getByTestId('consent-deny').click();
  await answerSettled(page);
  expect(opened).toHaveLength(3);
});

test('Stop while a call waits for consent: nothing runs and the answer is kept as stopped', async ({
  page,
  context,
}) => {
  const opened = await watchTabs(context);
  await scriptEngine(page, openRules);
  await openAndLoad(page);
  await send(page, 'Open page one');
  const answer = lastAnswer(page);
  await expect(answer.getByTestId('consent-prompt')).toBeVisible();
  await page.getByTestId('stop-button').click();
  await expect(answer).toHaveAttribute('data-status', 'stopped');
  await expect(answer.getByTestId('consent-prompt')).toHaveCount(0);
  await expect(answer.getByTestId('result-card')).toContainText('stopped before it finished');
  expect(opened).toHaveLength(0);
  expect(await page.evaluate(() => window.__CALLAMA_FAKE_LOG__?.length)).toBe(1);
});

test('a user function saved with "Ask before running" asks too, and runs after Allow', async ({ page }) => {
  await scriptEngine(page, [
    { match: 'HELLO(?![\\s\\S]*(?:\\n|>)user(?:: |\\n))', reply: 'Shouted.' },
    { match: 'declined to run shout(?![\\s\\S]*(?:\\n|>)user(?:: |\\n))', reply: 'Not shouting.' },
    { match: 'user(?:: |\\n)Shout', reply: toolCall('shout', { text: 'hello' }) },
  ]);
  await openAndLoad(page);
  await page.getByTestId('open-functions').click();
  await page.getByTestId('add-function').click();
  const editor = page.getByTestId('function-editor');
  await editor.getByLabel('Definition (JSON)').fill(
    JSON.stringify({
      name: 'shout',
      description: 'Upper-cases a text.',
      parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    }),
  );
  await editor.getByLabel('JavaScript body').fill('return String(args.text).toUpperCase();');
  await editor.getByLabel('Ask before running').check();
  await editor.getByRole('button', { name: 'Save function' }).click();
  const saved = page.locator('[data-testid="user-function"][data-name="shout"]');
  await expect(saved).toContainText('Asks before each call');
  await page.keyboard.press('Escape');

  await send(page, 'Shout hello');
  const answer = lastAnswer(page);
  const prompt = answer.getByTestId('consent-prompt');
  await expect(prompt).toContainText('Run shout?');
  await expect(answer.getByTestId('call-card').getByRole('row', { name: /text/ })).toContainText('hello');
  await expect(answer.getByTestId('result-card')).toHaveCount(0);
  // No serious accessibility problem on a card with its question (axe opens a page of its own, so
  // this is not done in the tests that count tabs).
  const axe = await new AxeBuilder({ page }).include('[data-testid="call-card"]').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await prompt.getByTestId('consent-allow').click();
  await answerSettled(page);
  await expect(answer.getByTestId('result-card')).toContainText('HELLO');
  await expect(answer).toContainText('Shouted.');
});

test('the embed widget asks before a host function marked confirm: true; the host page sees no call until Allow', async ({
  page,
  baseURL,
}) => {
  const widgetBase = new URL('./', baseURL).href;
  // A host page on its own origin (a local static server), registering one function that needs consent.
  const dir = mkdtempSync(join(tmpdir(), 'callama-consent-'));
  writeFileSync(
    join(dir, 'shop.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body>
<ol id="host-log"></ol><div id="chat"></div>
<script src="${widgetBase}embed.js"></script>
<script>
  const chat = Callama.mount(document.getElementById('chat'), { src: '${widgetBase}embed.html', autoload: true });
  chat.register('place_order', { description: 'Orders an item', confirm: true, parameters: { type: 'object', properties: { item: { type: 'string' } }, required: ['item'] } },
    ({ item }) => { const li = document.createElement('li'); li.textContent = 'place_order(' + item + ')'; document.getElementById('host-log').append(li); return { ordered: item }; });
</script></body></html>`,
  );
  const server = await startStaticServer([{ prefix: '/', dir }]);
  try {
    await checkWidget(page, server.url());
  } finally {
    await server.close();
  }
});

async function checkWidget(page: Page, hostUrl: string): Promise<void> {
  await page.addInitScript(
    (rules) => {
      window.__CALLAMA_FAKE__ = { loadMs: 100, rules };
    },
    [
      { match: 'declined to run place_order(?![\\s\\S]*(?:\\n|>)user(?:: |\\n))', reply: 'No order placed.' },
      { match: '"ordered"(?![\\s\\S]*(?:\\n|>)user(?:: |\\n))', reply: 'Your order is placed.' },
      { match: 'user(?:: |\\n)Order', reply: toolCall('place_order', { item: 'tea' }) },
    ],
  );
  await page.goto(`${hostUrl}/shop.html`);
  const widget = page.frameLocator('iframe[title="Callama chat assistant"]');
  await expect(widget.getByTestId('embed-host-functions')).toHaveText('place_order');
  const ask = async (text: string) => {
    await widget.getByTestId('embed-input').fill(text);
    await widget.getByTestId('embed-input').press('Enter');
  };

  await ask('Order some tea');
  const first = widget.getByTestId('call-card').nth(0);
  await expect(first.getByTestId('consent-prompt')).toContainText('Run place_order?');
  await expect(first.getByRole('row', { name: 'item tea' })).toBeVisible();
  await expect(page.locator('#host-log li')).toHaveCount(0);
  await first.getByTestId('consent-deny').click();
  await expect(first).toHaveAttribute('data-status', 'declined');
  await expect(widget.getByTestId('assistant-message').last()).toHaveText('No order placed.');
  await expect(page.locator('#host-log li')).toHaveCount(0);

  await ask('Order tea after all');
  const second = widget.getByTestId('call-card').nth(1);
  await second.getByTestId('consent-always').click();
  await expect(second).toHaveAttribute('data-status', 'ok');
  await expect(page.locator('#host-log li')).toHaveText(['place_order(tea)']);
  await expect(widget.getByTestId('assistant-message').last()).toHaveText('Your order is placed.');

  // Always allowed for the rest of this visit: the next call goes straight to the host.
  await ask('Order one more tea');
  await expect(page.locator('#host-log li')).toHaveCount(2);
  await expect(widget.getByTestId('call-card').nth(2)).toHaveAttribute('data-status', 'ok');
}
