import { test, expect, type Page } from './helpers/test.ts';
import AxeBuilder from '@axe-core/playwright';

// Functions panel against the e2e build (FakeEngine). What the model is told is read from
// window.__CALLAMA_FAKE_LOG__, the requests the engine actually received.

async function openFunctions(page: Page) {
  // By keyboard: the "ready to work offline" toast can cover this button on narrow screens.
  await page.getByTestId('open-functions').press('Enter');
  const panel = page.getByTestId('functions-panel');
  await expect(panel).toBeVisible();
  return panel;
}

async function loadSuggestedModel(page: Page) {
  await page.getByTestId('model-button').click();
  const picker = page.getByTestId('model-picker');
  await picker
    .getByTestId('model-card')
    .filter({ hasText: 'Suggested' })
    .getByRole('button', { name: /load/i })
    .click();
  await expect(picker.getByTestId('load-done')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(picker).toBeHidden();
}

async function lastPrompt(page: Page, count: number): Promise<string> {
  await expect.poll(() => page.evaluate(() => window.__CALLAMA_FAKE_LOG__?.length ?? 0)).toBeGreaterThanOrEqual(count);
  return page.evaluate(() => JSON.stringify(window.__CALLAMA_FAKE_LOG__?.at(-1)));
}

async function send(page: Page, text: string) {
  const input = page.getByTestId('composer-input');
  await input.fill(text);
  // Enter sends (the composer's documented shortcut); the offline-ready toast may cover the Send button.
  await input.press('Enter');
  await expect(input).toHaveValue('');
}

test('switching a built-in off removes it from the prompt the engine receives, and stays off after reload', async ({
  page,
}) => {
  await page.addInitScript(() => {
    window.__CALLAMA_FAKE__ = { loadMs: 200, tokenDelayMs: 1 };
  });
  await page.goto('./');
  await loadSuggestedModel(page);

  await send(page, 'Hello');
  const before = await lastPrompt(page, 1);
  expect(before).toContain('get_current_time');
  expect(before).toContain('calculate');

  const panel = await openFunctions(page);
  const toggle = panel.getByRole('switch', { name: /Current time \(get_current_time\)/ });
  await expect(toggle).toBeChecked();
  await toggle.press('Space');
  await expect(toggle).not.toBeChecked();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();

  await expect(page.getByTestId('send-button')).toBeVisible();
  await send(page, 'Hello again');
  const after = await lastPrompt(page, 2);
  expect(after).not.toContain('get_current_time');
  expect(after).toContain('calculate');

  // The reload loads the model again; the panel is opened meanwhile, and keeps the focus when the
  // load ends (the caret moves to the message box only if the focus has not moved since).
  await page.reload();
  const again = await openFunctions(page);
  await expect(again.getByRole('switch', { name: /Current time \(get_current_time\)/ })).not.toBeChecked();
  await expect(again.getByRole('switch', { name: /Calculator \(calculate\)/ })).toBeChecked();
});

test('an invalid function definition is refused with the reasons', async ({ page }) => {
  await page.goto('./');
  const panel = await openFunctions(page);
  await panel.getByTestId('add-function').click();
  const editor = panel.getByTestId('function-editor');
  await expect(editor.getByLabel('Definition (JSON)')).toBeFocused();

  // A name that is not an identifier, a "required" argument that does not exist, and broken code.
  await editor
    .getByLabel('Definition (JSON)')
    .fill(JSON.stringify({ name: 'word count', parameters: { type: 'object', properties: {}, required: ['text'] } }));
  await editor.getByLabel('JavaScript body').fill('return {');
  await editor.getByRole('button', { name: 'Save function' }).click();
  const errors = editor.getByTestId('function-errors');
  await expect(errors).toContainText('The name "word count" is not valid');
  await expect(errors).toContainText('The required argument "text" is not in "properties"');
  await expect(errors).toContainText('The code does not compile');
  await expect(editor.getByLabel('Definition (JSON)')).toHaveAttribute('aria-invalid', 'true');

  // A name already taken by a built-in is refused too.
  await editor
    .getByLabel('Definition (JSON)')
    .fill(JSON.stringify({ name: 'calculate', parameters: { type: 'object', properties: {} } }));
  await editor.getByLabel('JavaScript body').fill('return 1;');
  await editor.getByRole('button', { name: 'Save function' }).click();
  await expect(errors).toContainText('A function named "calculate" already exists');
  await expect(panel.getByTestId('user-function')).toHaveCount(0);
});

test('a valid user function (Trelis v2 metadata) is saved, survives a reload, and can be deleted', async ({ page }) => {
  await page.goto('./');
  const panel = await openFunctions(page);
  await panel.getByTestId('add-function').click();
  const editor = panel.getByTestId('function-editor');
  await editor.getByLabel('Trelis v2 metadata').check();
  await editor.getByLabel('Definition (JSON)').fill(
    JSON.stringify({
      function: 'shout',
      description: 'Returns the text in capitals.',
      arguments: [{ name: 'text', type: 'string', description: 'The text to shout' }],
    }),
  );
  await editor.getByLabel('JavaScript body').fill('return String(args.text).toUpperCase();');
  await editor.getByRole('button', { name: 'Save function' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Saved “shout”' })).toBeVisible();
  await expect(panel.getByTestId('add-function')).toBeFocused();

  await page.reload();
  const again = await openFunctions(page);
  const saved = again.getByTestId('user-function').filter({ hasText: 'shout' });
  await expect(saved).toHaveCount(1);
  await expect(saved.getByRole('switch', { name: 'shout' })).toBeChecked();
  await expect(again).toContainText('functions on');

  await saved.getByRole('button', { name: 'Delete…' }).click();
  await saved.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(again.getByTestId('user-function')).toHaveCount(0);
  await page.reload();
  await expect((await openFunctions(page)).getByTestId('user-function')).toHaveCount(0);
});

test('the functions panel passes axe and fits a 375 px screen', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto('./');
  // Below 800 px the sidebar is a drawer behind the menu button.
  await page.getByTestId('menu-button').click();
  const panel = await openFunctions(page);
  await panel.getByTestId('add-function').click();
  await expect(panel.getByTestId('function-editor')).toBeVisible();
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="functions-panel"] *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  expect(wide).toEqual([]);
  const axe = await new AxeBuilder({ page }).include('[data-testid="functions-panel"]').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});
