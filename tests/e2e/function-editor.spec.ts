import { readFile } from 'node:fs/promises';
import { test, expect, type Locator, type Page } from './helpers/test.ts';

// The function editor (issue 13 §4): CodeMirror loaded only when the editor opens, errors marked at the
// user's own line and column, every schema error at once, and saved functions edited, duplicated,
// exported, imported and tried with arguments. No model is needed: the body runs in the sandbox.

async function openFunctions(page: Page) {
  await page.getByTestId('open-functions').press('Enter');
  const panel = page.getByTestId('functions-panel');
  await expect(panel).toBeVisible();
  return panel;
}

const shoutSpec = {
  name: 'shout',
  description: 'Upper-cases a text.',
  parameters: {
    type: 'object',
    properties: {
      text: { type: 'string', description: 'What to shout' },
      times: { type: 'integer' },
      loud: { type: 'boolean' },
      mood: { type: 'string', enum: ['calm', 'angry'] },
      extra: { type: 'object', properties: { suffix: { type: 'string' } } },
    },
    required: ['text'],
  },
};
const shoutCode = [
  "if (args.text === 'boom') throw new Error('boom went the function');",
  "const word = String(args.text).toUpperCase().repeat(args.times ?? 1) + (args.extra?.suffix ?? '');",
  "return { word, loud: args.loud ?? false, mood: args.mood ?? 'none' };",
].join('\n');

async function addFunction(panel: Locator, definition: string, code: string) {
  await panel.getByTestId('add-function').click();
  const editor = panel.getByTestId('function-editor');
  await editor.getByLabel('Definition (JSON)').fill(definition);
  await editor.getByLabel('JavaScript body').fill(code);
  await editor.getByRole('button', { name: 'Save function' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
}

test('CodeMirror is loaded only when the editor is first opened', async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.goto('./');
  const panel = await openFunctions(page);
  await expect(panel.getByTestId('add-function')).toBeVisible();
  // The first screen and the panel itself do without the editor's chunk.
  expect(requested.filter((p) => /FunctionEditor-[\w-]+\.js$/.test(p))).toEqual([]);

  await panel.getByTestId('add-function').click();
  const editor = panel.getByTestId('function-editor');
  // A real code editor: line numbers and highlighted tokens, not a textarea.
  await expect(editor.locator('.cm-editor')).toHaveCount(2);
  await expect(editor.locator('.cm-lineNumbers').first()).toContainText('11');
  await expect(editor.locator('textarea')).toHaveCount(0);
  expect(requested.filter((p) => /FunctionEditor-[\w-]+\.js$/.test(p))).toHaveLength(1);
});

test('errors are marked at their place: the body at the user’s line and column, every schema error at once', async ({
  page,
}, testInfo) => {
  await page.goto('./');
  const panel = await openFunctions(page);
  await panel.getByTestId('add-function').click();
  const editor = panel.getByTestId('function-editor');
  // A nested typo ("objct") next to a second nested error and a required argument that does not exist.
  const definition = JSON.stringify(
    {
      name: 'weather',
      parameters: {
        type: 'object',
        properties: { city: { type: 'objct' }, days: { type: 'integer', minimum: 'one' } },
        required: ['city', 'country'],
      },
    },
    null,
    2,
  );
  await editor.getByLabel('Definition (JSON)').fill(definition);
  await editor.getByLabel('JavaScript body').fill('const a = 1;\n  let b = (2;\nreturn a;');
  await editor.getByRole('button', { name: 'Save function' }).click();

  const errors = editor.getByTestId('function-errors');
  await expect(errors).toBeFocused();
  await expect(errors.locator('li')).toHaveCount(4);
  await expect(errors).toContainText('Line 16, column 7: The required argument "country" is not in "properties".');
  await expect(errors).toContainText(
    'Line 7, column 17: The parameters schema is not valid JSON Schema: "properties.city.type" must be one of',
  );
  await expect(errors).toContainText('"properties.days.minimum" must be a number (got "one")');
  // The user's own line 2, column 13 (the `;` after `(2`), not a position in the sandbox's wrapper.
  await expect(errors).toContainText(
    "JavaScript body: The code does not compile at line 2, column 13: SyntaxError: Unexpected token ';'",
  );

  // The same places are marked in the editors.
  const code = editor.locator('.code-editor[data-language="javascript"]');
  await expect(code.locator('.cm-lintRange-error')).toHaveText(';');
  const json = editor.locator('.code-editor[data-language="json"]');
  await expect(json.locator('.cm-lintRange-error')).toHaveText(['"objct"', '"one"', '"country"']);
  await expect(editor.getByLabel('JavaScript body')).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: testInfo.outputPath('function-editor-error.png'), fullPage: true });
  await testInfo.attach('function-editor-error', {
    path: testInfo.outputPath('function-editor-error.png'),
    contentType: 'image/png',
  });

  // An unclosed block is reported at the end of the user's code, not at the wrapper's `)`.
  await editor.getByLabel('JavaScript body').fill('if (args.x) {\n  return 1;');
  await editor.getByRole('button', { name: 'Save function' }).click();
  await expect(errors).toContainText(
    'The code does not compile at line 2, column 12: SyntaxError: the code ends before a bracket, string or comment is closed',
  );

  // A JSON syntax error is marked at its line and column as it is typed.
  await editor.getByLabel('Definition (JSON)').fill('{\n  "name": "x",\n  "parameters": {,}\n}');
  // A point mark: JSON.parse names one position.
  await expect(json.locator('.cm-lintRange-error, .cm-lintPoint-error')).toHaveCount(1);
  await editor.getByRole('button', { name: 'Save function' }).click();
  await expect(errors).toContainText(/The definition is not valid JSON: .*line 3 column 18/);
});

test('saved functions: edit, duplicate, export and import (all or nothing)', async ({ page }) => {
  await page.goto('./');
  const panel = await openFunctions(page);
  await addFunction(panel, JSON.stringify(shoutSpec), shoutCode);
  const shout = panel.locator('[data-testid="user-function"][data-name="shout"]');

  // Edit: the editor opens with the saved text; the change is saved in place.
  await shout.getByRole('button', { name: 'Edit' }).click();
  const editor = shout.getByTestId('function-editor');
  await expect(editor.getByLabel('Definition (JSON)')).toContainText('"name": "shout"');
  await expect(editor.getByLabel('JavaScript body')).toContainText('boom went the function');
  await editor.getByLabel('JavaScript body').fill('return String(args.text).toUpperCase() + "!";');
  await editor.getByRole('button', { name: 'Save changes' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Saved “shout”.' })).toBeVisible();
  await expect(shout.getByRole('button', { name: 'Edit' })).toBeFocused();
  expect(await shout.locator('details pre').last().textContent()).toBe('return String(args.text).toUpperCase() + "!";');

  // Duplicate: a copy under a free name, switched off so the prompt does not list it twice.
  await shout.getByRole('button', { name: 'Duplicate' }).click();
  const copy = panel.locator('[data-testid="user-function"][data-name="shout_copy"]');
  await expect(copy.getByRole('switch', { name: 'shout_copy' })).not.toBeChecked();
  await expect(shout.getByRole('switch', { name: 'shout' })).toBeChecked();

  // Export: a download of both.
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-functions').click()]);
  expect(download.suggestedFilename()).toBe('callama-functions.json');
  const file = JSON.parse(await readFile(await download.path(), 'utf8')) as {
    format: string;
    functions: { spec: { name: string }; code: string; enabled: boolean }[];
  };
  expect(file.format).toBe('callama-functions');
  expect(file.functions.map((f) => [f.spec.name, f.enabled])).toEqual([
    ['shout', true],
    ['shout_copy', false],
  ]);

  // Import into the same list: both names are taken, so both are refused and nothing is stored.
  const importFile = panel.getByTestId('import-file');
  const asFile = (content: unknown) => ({
    name: 'functions.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(content)),
  });
  await importFile.setInputFiles(asFile(file));
  const importErrors = panel.getByTestId('import-errors');
  await expect(importErrors).toContainText('2 functions were refused, so nothing was imported.');
  await expect(importErrors.locator('li')).toHaveCount(2);
  await expect(importErrors).toContainText('shout: Line 1, column 9: A function named "shout" already exists.');
  // As it reads: the name and its reasons on one line (innerText follows the layout).
  await expect(importErrors.locator('li').first()).toHaveText(
    'shout: Line 1, column 9: A function named "shout" already exists.',
    { useInnerText: true },
  );

  // Delete both, then a file with one good and one broken function: still nothing is stored.
  for (const name of ['shout', 'shout_copy']) {
    const item = panel.locator(`[data-testid="user-function"][data-name="${name}"]`);
    await item.getByRole('button', { name: 'Delete…' }).click();
    await item.getByRole('button', { name: 'Delete', exact: true }).click();
  }
  await expect(panel.getByTestId('user-function')).toHaveCount(0);
  const broken = {
    ...file,
    functions: [file.functions[0], { spec: { name: 'bad', parameters: {} }, code: 'return (' }],
  };
  await importFile.setInputFiles(asFile(broken));
  await expect(importErrors).toContainText('One function was refused, so nothing was imported.');
  await expect(importErrors).toContainText('bad: ');
  await expect(importErrors).toContainText('The parameters schema must have "type": "object".');
  await expect(importErrors).toContainText('The code does not compile');
  await expect(panel.getByTestId('user-function')).toHaveCount(0);

  // The exported file imports back whole, and survives a reload.
  await importFile.setInputFiles(asFile(file));
  await expect(panel.getByRole('status').filter({ hasText: 'Imported “shout”, “shout_copy”.' })).toBeVisible();
  await page.reload();
  const again = await openFunctions(page);
  await expect(again.getByTestId('user-function')).toHaveCount(2);
  await expect(again.getByRole('switch', { name: 'shout_copy' })).not.toBeChecked();
});

test('Run with arguments… runs the body in the sandbox with a form from the schema, and shows the result or the error', async ({
  page,
}) => {
  await page.goto('./');
  const panel = await openFunctions(page);
  await addFunction(panel, JSON.stringify(shoutSpec), shoutCode);
  const shout = panel.locator('[data-testid="user-function"][data-name="shout"]');
  await shout.getByRole('button', { name: 'Run with arguments…' }).click();
  const form = shout.getByTestId('run-function');

  // One field per argument, of the kind its schema says.
  await expect(form.getByRole('textbox', { name: 'text (required)' })).toBeVisible();
  await expect(form.getByRole('checkbox', { name: 'loud' })).toBeVisible();
  await expect(form.getByRole('combobox', { name: 'mood' })).toBeVisible();
  await expect(form.getByText('What to shout')).toBeVisible();

  // A required field left empty and a bad whole number are caught before anything runs.
  await form.getByRole('textbox', { name: 'times' }).fill('1.5');
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(form.getByTestId('run-error')).toContainText('"text" is required.');
  await expect(form.getByTestId('run-error')).toContainText('"times" must be a whole number.');

  await form.getByRole('textbox', { name: 'text (required)' }).fill('hi');
  await form.getByRole('textbox', { name: 'times' }).fill('2');
  await form.getByRole('checkbox', { name: 'loud' }).check();
  await form.getByRole('combobox', { name: 'mood' }).selectOption('angry');
  await form.getByRole('textbox', { name: 'extra' }).fill('{"suffix": "?!"}');
  await form.getByRole('button', { name: 'Run' }).click();
  const result = form.getByTestId('run-result');
  await expect(result).toContainText('"word": "HIHI?!"');
  await expect(result).toContainText('"loud": true');
  await expect(result).toContainText('"mood": "angry"');

  // What the body throws is shown as the error.
  await form.getByRole('textbox', { name: 'text (required)' }).fill('boom');
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(form.getByTestId('run-error')).toContainText('Error: boom went the function');
  await expect(result).toBeHidden();

  // Arguments the schema refuses are refused as a model's call would be.
  await form.getByRole('textbox', { name: 'extra' }).fill('{"suffix": 3}');
  await form.getByRole('textbox', { name: 'text (required)' }).fill('hi');
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(form.getByTestId('run-error')).toContainText('"extra.suffix" must be a string');

  await form.getByRole('button', { name: 'Close' }).click();
  await expect(form).toBeHidden();
  await expect(shout.getByRole('button', { name: 'Run with arguments…' })).toBeFocused();
});

test('keyboard only: open the editor, move through it with Tab (never trapped), fix and save', async ({ page }) => {
  await page.goto('./');
  const panel = await openFunctions(page);
  await panel.getByTestId('add-function').focus();
  await page.keyboard.press('Enter');
  const editor = panel.getByTestId('function-editor');
  const definition = editor.getByLabel('Definition (JSON)');
  await expect(definition).toBeFocused();

  // Type into the definition: select all and replace the example's name.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(
    JSON.stringify({ name: 'double', parameters: { type: 'object', properties: { n: { type: 'number' } } } }),
  );
  // Tab leaves the editor for the next field instead of indenting.
  await page.keyboard.press('Tab');
  const body = editor.getByLabel('JavaScript body');
  await expect(body).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('return args.n * 2;');
  await page.keyboard.press('Tab');
  await expect(editor.getByLabel('Ask before running')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(body).toBeFocused();

  // Ctrl+] indents the line without leaving the editor.
  await page.keyboard.press('Control+BracketRight');
  await expect(body).toBeFocused();
  await expect(body).toContainText('return args.n * 2;');

  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(editor.getByRole('button', { name: 'Save function' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('status').filter({ hasText: 'Saved “double”' })).toBeVisible();
  await expect(panel.getByTestId('add-function')).toBeFocused();
  const saved = panel.locator('[data-testid="user-function"][data-name="double"]');
  expect(await saved.locator('details pre').last().textContent()).toBe('  return args.n * 2;');
});
