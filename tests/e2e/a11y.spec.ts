import { test, expect, type Page } from './helpers/test.ts';
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import { answerSettled, lastAnswer, scriptEngine, send, toolCall } from './chatFixtures.ts';

test.use({ serviceWorkers: 'block' });
// Each test has its own page and nothing else in common, and axe on every view makes the first two the
// longest of the browser tests: they run on both workers at once, not one after the other on one.
test.describe.configure({ mode: 'parallel' });

const rules = [
  { match: '<tool_response>[\\s\\S]*437', reply: '23 × 19 = **437**.' },
  { match: 'user(?:: |\\n)What is 23', reply: toolCall('calculate', { expression: '23*19' }) },
];

/**
 * Every axe violation, of any impact, best-practice rules included (landmark-unique, region,
 * page-has-heading-one, heading-order…), on the whole page as it is now.
 */
async function violations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'no impact'}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
}

/** Opens a sidebar button, through the menu on a phone. */
async function openFromSidebar(page: Page, testId: string) {
  const menu = page.getByTestId('menu-button');
  if (await menu.isVisible()) await menu.click();
  await page.getByTestId(testId).click();
}

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 800 };

// Two calls of one function in one answer: two cards with the same function name (landmark-unique).
const twoCalls = [
  { match: '<tool_response>[\\s\\S]*437[\\s\\S]*<tool_response>', reply: '23 × 19 = **437** and 2 + 2 = **4**.' },
  {
    match: 'user(?:: |\\n)What is 23',
    reply: `${toolCall('calculate', { expression: '23*19' })}\n${toolCall('calculate', { expression: '2+2' })}`,
  },
];

for (const size of [DESKTOP, PHONE]) {
  test(`axe finds no violations of any impact on any app view at ${size.width}×${size.height}`, async ({ page }) => {
    // Axe on nine views is the longest browser test, several times longer when the machine is shared.
    test.setTimeout(180_000);
    await page.setViewportSize(size);
    await scriptEngine(page, twoCalls, { tokenDelayMs: 1 });
    await page.goto('./');
    await expect(page.getByTestId('gpu-status')).toHaveText(/WebGPU: adapter/);
    expect(await violations(page), 'welcome').toEqual([]);

    await page.getByTestId('load-suggested').click();
    await expect(page.getByTestId('composer-input')).toBeEnabled();
    await send(page, 'What is 23*19 and 2+2?');
    await answerSettled(page);
    await expect(lastAnswer(page).getByTestId('call-card')).toHaveCount(2);
    await expect(lastAnswer(page).getByTestId('result-card')).toHaveCount(2);
    expect(await violations(page), 'chat with calls and results').toEqual([]);
    await lastAnswer(page).screenshot({ path: test.info().outputPath(`message-with-actions-${size.width}.png`) });

    await lastAnswer(page).getByTestId('inspector-toggle').click();
    await expect(lastAnswer(page).getByTestId('inspector').getByRole('region').first()).toBeVisible();
    expect(await violations(page), 'inspector open').toEqual([]);

    await page.getByTestId('model-button').click();
    await expect(page.getByTestId('model-picker')).toBeVisible();
    await expect(page.getByTestId('model-card').first()).toBeVisible();
    expect(await violations(page), 'model picker').toEqual([]);
    await page.getByTestId('model-picker').screenshot({ path: test.info().outputPath(`picker-${size.width}.png`) });
    await page.getByTestId('model-picker').getByText('Add a custom model').click();
    await expect(page.getByTestId('custom-model-form')).toBeVisible();
    expect(await violations(page), 'model picker with the custom-model form').toEqual([]);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    if (size.width < 800) {
      await page.getByTestId('menu-button').click();
      await expect(page.getByTestId('sidebar')).toBeVisible();
      expect(await violations(page), 'phone menu').toEqual([]);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('sidebar')).toBeHidden();
    }

    await openFromSidebar(page, 'open-functions');
    await expect(page.getByTestId('functions-dialog')).toBeVisible();
    expect(await violations(page), 'functions panel').toEqual([]);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await openFromSidebar(page, 'open-settings');
    await expect(page.getByTestId('settings-dialog')).toBeVisible();
    expect(await violations(page), 'settings').toEqual([]);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await openFromSidebar(page, 'nav-evaluate');
    await expect(page.getByTestId('eval-loaded')).toBeVisible();
    await page.getByLabel('Cases per category').fill('1');
    await page.getByRole('button', { name: /^Run 4 cases/ }).click();
    await expect(page.getByRole('button', { name: /^Run / })).toBeEnabled({ timeout: 30_000 });
    await expect(page.getByTestId('eval-results')).toBeVisible();
    expect(await violations(page), 'evaluate with results').toEqual([]);
  });

  test(`axe finds no violations of any impact in the widget at ${size.width}×${size.height}; screenshot saved`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    await scriptEngine(page, twoCalls, { tokenDelayMs: 1 });
    await page.goto('./embed.html?functions=calculate');
    await expect(page.getByTestId('embed-load')).toBeVisible();
    expect(await violations(page), 'widget before a load').toEqual([]);

    await page.getByTestId('embed-load').click();
    await expect(page.getByTestId('embed-input')).toBeEnabled();
    await page.getByTestId('embed-input').fill('What is 23*19 and 2+2?');
    await page.getByTestId('embed-input').press('Enter');
    await expect(page.getByTestId('assistant-message').last()).toContainText('437');
    await expect(page.getByTestId('call-card')).toHaveCount(2);
    await expect(page.getByTestId('embed-send')).toBeVisible();
    expect(await violations(page), 'widget with calls and results').toEqual([]);
    await page.screenshot({ path: test.info().outputPath(`widget-${size.width}.png`) });
  });
}

/** Presses Tab until the element with this test id has focus (at most `max` times). */
async function tabTo(page: Page, testId: string, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testId}`);
}

test('keyboard only: load the suggested model, reach the composer, type and send with Enter, stop with the keyboard', async ({
  page,
}) => {
  const long = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
  // 'Tokyo' is in every prompt (a function description mentions Asia/Tokyo): the story rule comes first.
  await scriptEngine(page, [
    // Paused after a few words until Stop: the story is still streaming whenever the keyboard gets there.
    { match: 'user(?:: |\\n)Tell me a story', reply: long, holdAfter: 'w2' },
    { match: 'user(?:: |\\n)What time is it in Tokyo', reply: 'It is noon in Tokyo.' },
  ]);
  await page.goto('./');
  await expect(page.getByTestId('gpu-status')).toHaveText(/adapter/);
  await tabTo(page, 'load-suggested');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  await tabTo(page, 'composer-input');
  await page.keyboard.type('What time is it in Tokyo?');
  await page.keyboard.press('Enter');
  await expect(lastAnswer(page)).toContainText('It is noon in Tokyo.');
  await answerSettled(page);
  await expect(page.getByTestId('stream-status')).toHaveText('Answer ready.');

  // While an answer streams, Tab from the composer reaches Stop.
  await page.getByTestId('composer-input').focus();
  await page.keyboard.type('Tell me a story');
  await page.keyboard.press('Enter');
  await expect(lastAnswer(page)).toContainText('w2');
  await page.getByTestId('composer-input').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('stop-button')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'stopped');
});

/** Screenshots go to the run's output folder (tests/test-results/screens/), for a person to look at. */
const shot = (name: string) => join(test.info().project.outputDir, 'screens', name);

for (const size of [
  { width: 375, height: 812 },
  { width: 1280, height: 800 },
]) {
  test(`no horizontal scrolling at ${size.width}×${size.height} (welcome and chat); screenshots saved`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    await scriptEngine(page, rules);
    await page.goto('./');
    await expect(page.getByTestId('gpu-status')).toHaveText(/adapter/);
    await page.screenshot({ path: shot(`welcome-${size.width}x${size.height}.png`) });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);

    await page.getByTestId('load-suggested').click();
    await expect(page.getByTestId('composer-input')).toBeEnabled();
    await send(page, 'What is 23*19?');
    await answerSettled(page);
    await page.screenshot({ path: shot(`chat-${size.width}x${size.height}.png`) });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);

    await lastAnswer(page).getByTestId('inspector-toggle').click();
    await page.screenshot({ path: shot(`inspector-${size.width}x${size.height}.png`) });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);

    if (size.width < 800) {
      // The sidebar is a menu on narrow screens.
      await expect(page.getByTestId('sidebar')).toBeHidden();
      await page.getByTestId('menu-button').click();
      await expect(page.getByTestId('sidebar')).toBeVisible();
      await page.screenshot({ path: shot(`menu-${size.width}x${size.height}.png`) });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('sidebar')).toBeHidden();
    } else {
      await expect(page.getByTestId('sidebar')).toBeVisible();
    }
  });
}
