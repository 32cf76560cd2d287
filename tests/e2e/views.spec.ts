import { test, expect, type Page } from './helpers/test.ts';
import { answerSettled, lastAnswer, loadSuggestedModel, scriptEngine, send, toolCall } from './chatFixtures.ts';

/**
 * The smaller views (issue 13 §5): the inspector opening into view, the Evaluate view's defaults,
 * announcement and phone layout, and the Settings theme, default system prompt and token-limit help.
 */

test.use({ serviceWorkers: 'block' });

const DARK = 'rgb(18, 20, 24)';
const LIGHT = 'rgb(255, 255, 255)';
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** Where an element is, against the message list's visible box and the composer. */
function boxes(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const list = document.querySelector('[data-testid="message-list"]');
    const composer = document.querySelector('[data-testid="composer-input"]');
    if (!el || !list || !composer) throw new Error('missing element');
    const r = el.getBoundingClientRect();
    const l = list.getBoundingClientRect();
    return {
      top: r.top,
      bottom: r.bottom,
      listTop: l.top,
      listBottom: l.bottom,
      composerTop: composer.getBoundingClientRect().top,
    };
  }, selector);
}

test('opening the inspector of the last answer scrolls its details into view, above the composer', async ({ page }) => {
  const story = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
  await scriptEngine(
    page,
    [
      { match: '<tool_response>[\\s\\S]*437', reply: '23 × 19 = **437**.' },
      { match: 'user(?:: |\\n)What is 23', reply: toolCall('calculate', { expression: '23*19' }) },
      { match: 'user(?:: |\\n)Tell me', reply: story },
    ],
    { tokenDelayMs: 1 },
  );
  await page.setViewportSize({ width: 1280, height: 700 });
  await page.goto('./');
  await loadSuggestedModel(page);
  // Enough before it that the last answer sits at the bottom of the list, just above the composer.
  for (const n of [1, 2, 3]) {
    await send(page, `Tell me story ${n}`);
    await answerSettled(page);
  }
  await send(page, 'What is 23*19?');
  await answerSettled(page);
  await expect(page.getByTestId('stream-status')).toHaveText('Answer ready.');

  await lastAnswer(page).getByTestId('inspector-toggle').click();
  const details = '[data-testid="assistant-message"]:last-of-type [data-testid="inspector"] .content';
  await expect(lastAnswer(page).getByRole('region', { name: 'Generation 1' })).toBeVisible();
  // Its details start inside the list's visible part (not below it, behind the composer).
  await expect
    .poll(async () => {
      const b = await boxes(page, details);
      return b.top >= b.listTop - 1 && b.top < b.listBottom - 40 && b.listBottom <= b.composerTop;
    })
    .toBe(true);
  await expect(lastAnswer(page).getByTestId('inspector-toggle')).toBeInViewport();
});

test('Evaluate: the shipped set is loaded by default; results scroll into view, are announced, and fit a phone', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await scriptEngine(page, [{ match: 'Lisbon', reply: '{"name": "get_weather", "arguments": {"city": "Lisbon"}}' }], {
    tokenDelayMs: 1,
  });
  await page.goto('./');
  await loadSuggestedModel(page);
  await page.getByTestId('menu-button').click();
  await page.getByTestId('nav-evaluate').click();

  // Chosen and loaded without a click; no conversation sidebar over it.
  await expect(page.getByRole('radio', { name: 'Callama test set' })).toBeChecked();
  await expect(page.getByTestId('eval-loaded')).toContainText(/Loaded \d+ cases from Callama test set/);
  await expect(page.getByTestId('sidebar')).toBeHidden();
  await page.getByTestId('menu-button').click();
  await expect(page.getByTestId('sidebar')).toBeVisible();
  await expect(page.getByTestId('sidebar').getByTestId('new-conversation')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('sidebar')).toBeHidden();

  await page.getByLabel('Cases per category').fill('1');
  await expect(page.getByTestId('eval-announcement')).toHaveText('');
  await page.getByRole('button', { name: /^Run 4 cases × 2 configurations$/ }).click();
  await expect(page.getByRole('button', { name: /^Run / })).toBeEnabled({ timeout: 30_000 });

  const announcement = page.getByTestId('eval-announcement');
  await expect(announcement).toHaveAttribute('role', 'status');
  await expect(announcement).toHaveText(
    /^Evaluation finished\. .*auto \(free\): \d+\.\d% \(\d\/4\); .*required.*: \d+\.\d% \(\d\/4\)\.$/,
  );
  await expect(page.getByTestId('eval-results')).toBeInViewport();

  // The page never scrolls sideways: the table scrolls in its own box, by keyboard too.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('main *')]
      .filter((el) => el.getBoundingClientRect().right > innerWidth + 1 && !el.closest('[role="region"]'))
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  expect(wide).toEqual([]);
  const scroller = page.getByRole('region', { name: 'Accuracy by category' });
  await expect(scroller).toHaveAttribute('tabindex', '0');
  await expect(page.getByTestId('eval-results').getByRole('rowheader').first()).toBeInViewport();
  await page.screenshot({ path: test.info().outputPath('evaluate-375.png') });
});

test('Settings: the theme is kept, applied before the app starts, and "System" follows the device', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('./');
  expect(await background(page)).toBe(LIGHT);
  await page.getByTestId('open-settings').click();
  const theme = page.getByTestId('setting-theme');
  await expect(theme.getByRole('radio', { name: 'System' })).toBeChecked();
  await theme.getByRole('radio', { name: 'Dark' }).check();
  expect(await background(page)).toBe(DARK);

  // Kept, and in place before any of the app's own code runs: its scripts are not even loaded here.
  await page.route('**/assets/*.js', (route) => route.abort());
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background(page)).toBe(DARK);
  await page.unroute('**/assets/*.js');

  await page.reload();
  await page.getByTestId('open-settings').click();
  await expect(theme.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await theme.getByRole('radio', { name: 'System' }).check();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme');
  expect(await background(page)).toBe(LIGHT);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await background(page)).toBe(DARK);
  await theme.getByRole('radio', { name: 'Light' }).check();
  expect(await background(page)).toBe(LIGHT);
});

test('Settings: new conversations start with the default system prompt, and the token limit says what happens', async ({
  page,
}) => {
  await scriptEngine(page, [{ match: 'Answer like a pirate', reply: 'Arr, hello.' }], { tokenDelayMs: 1 });
  await page.goto('./');
  await page.getByTestId('open-settings').click();
  const dialog = page.getByTestId('settings-dialog');
  const maxTokens = dialog.getByRole('spinbutton', { name: 'Max tokens per generation' });
  await expect(maxTokens).toHaveAccessibleDescription(/stops there.*Continue writes on from the cut/);
  await dialog.getByLabel('System prompt for new conversations').fill('Answer like a pirate.');
  await dialog.getByRole('button', { name: 'Done' }).click();

  await loadSuggestedModel(page);
  await page.getByTestId('new-conversation').click();
  await page.locator('.options summary').click();
  await expect(page.getByTestId('system-prompt')).toHaveValue('Answer like a pirate.');
  // It is the conversation's own system prompt: the model gets it.
  await send(page, 'Hello');
  await expect(lastAnswer(page)).toContainText('Arr, hello.');
  await page.getByTestId('new-conversation').click();
  await expect(page.getByTestId('system-prompt')).toHaveValue('Answer like a pirate.');
  await expect(page.getByTestId('user-message')).toHaveCount(0);

  // Kept across visits.
  await page.reload();
  await page.getByTestId('open-settings').click();
  await expect(page.getByLabel('System prompt for new conversations')).toHaveValue('Answer like a pirate.');
});
