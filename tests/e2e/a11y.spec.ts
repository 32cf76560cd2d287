import { test, expect, type Page } from './helpers/test.ts';
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import { answerSettled, lastAnswer, scriptEngine, send, toolCall } from './chatFixtures.ts';

test.use({ serviceWorkers: 'block' });

const rules = [
  { match: '<tool_response>[\\s\\S]*437', reply: '23 × 19 = **437**.' },
  { match: 'user(?:: |\\n)What is 23', reply: toolCall('calculate', { expression: '23*19' }) },
];

async function seriousViolations(page: Page, include?: string) {
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}

test('the welcome, a chat with cards and the inspector, the model picker and the functions panel have no serious axe violations', async ({
  page,
}) => {
  await scriptEngine(page, rules);
  await page.goto('./');
  await expect(page.getByTestId('gpu-status')).toHaveText(/WebGPU: adapter/);
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByTestId('load-suggested').click();
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  await send(page, 'What is 23*19?');
  await answerSettled(page);
  await lastAnswer(page).getByTestId('inspector-toggle').click();
  await page.locator('.options summary').click();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByTestId('model-button').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await seriousViolations(page, 'dialog[open]')).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await page.getByTestId('open-functions').click();
  await expect(page.getByTestId('functions-dialog')).toBeVisible();
  expect(await seriousViolations(page, 'dialog[open]')).toEqual([]);
  await page.keyboard.press('Escape');

  await page.getByTestId('open-settings').click();
  expect(await seriousViolations(page, 'dialog[open]')).toEqual([]);
});

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
  await scriptEngine(
    page,
    [
      { match: 'user(?:: |\\n)Tell me a story', reply: long },
      { match: 'user(?:: |\\n)What time is it in Tokyo', reply: 'It is noon in Tokyo.' },
    ],
    { tokenDelayMs: 60 },
  );
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
