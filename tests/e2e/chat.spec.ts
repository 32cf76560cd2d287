import { test, expect } from './helpers/test.ts';
import {
  answerSettled,
  lastAnswer,
  loadSuggestedModel,
  openAndLoad,
  scriptEngine,
  send,
  toolCall,
} from './chatFixtures.ts';

// No service worker here: these tests are about the chat, and its "ready offline" toast would cover the composer.
test.use({ serviceWorkers: 'block' });

test('loading a model shows progress, then the chat accepts messages', async ({ page }) => {
  await scriptEngine(page, [{ match: 'Hello', reply: 'Hi! How can I help?' }], { loadMs: 1600 });
  await page.goto('./');
  await expect(page.getByTestId('composer-input')).toBeDisabled();
  await expect(page.getByTestId('composer-hint')).toHaveText(/Load a model/);
  await page.getByTestId('load-suggested').click();
  const progress = page.getByTestId('load-progress');
  await expect(progress).toBeVisible();
  await expect(progress.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /^[1-9]\d*$/);
  await expect(page.getByTestId('composer-hint')).toHaveText(/loading/i);
  await expect(page.getByTestId('load-done')).toBeVisible();
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  await send(page, 'Hello there');
  await expect(lastAnswer(page)).toContainText('Hi! How can I help?');
  await expect(page.getByTestId('user-message').getByTestId('message-text')).toHaveText('Hello there');
});

test('a full turn: the model calls calculate, the result is fed back, and the answer uses it', async ({ page }) => {
  await scriptEngine(page, [
    { match: '<tool_response>[\\s\\S]*437', reply: '23 × 19 = **437**.' },
    { match: 'user(?:: |\\n)What is 23', reply: toolCall('calculate', { expression: '23*19' }) },
  ]);
  await openAndLoad(page);
  await page.getByTestId('composer-input').fill('What is 23*19?');
  await page.getByTestId('send-button').click();
  await answerSettled(page);

  const answer = lastAnswer(page);
  const card = answer.getByTestId('call-card');
  await expect(card.getByTestId('call-name')).toHaveText('calculate');
  await expect(card.getByRole('row', { name: /expression/ })).toContainText('23*19');
  await expect(card).toContainText('Arguments match');
  await expect(card).toHaveAttribute('data-status', 'done');
  await expect(answer.getByTestId('result-card')).toContainText('437');
  await expect(answer.getByTestId('message-text').last()).toHaveText('23 × 19 = 437.');
  await expect(answer.getByTestId('message-text').last().locator('strong')).toHaveText('437');
  // Cards and Markdown chunks out of view are skipped by layout and paint (`.skip-offscreen`).
  for (const part of [card, answer.getByTestId('result-card'), answer.locator('.markdown .chunk').last()])
    await expect(part).toHaveCSS('content-visibility', 'auto');

  // The result really went back to the model in the format's own words.
  const fedBack = await page.evaluate(() => JSON.stringify(window.__CALLAMA_FAKE_LOG__?.[1] ?? null));
  expect(fedBack).toContain('<tool_response>');
  expect(fedBack).toContain('437');

  // The inspector shows the exact prompt, the raw output, the parse, the result and the stats.
  await answer.getByTestId('inspector-toggle').click();
  await expect(answer.getByTestId('inspector-prompt').first()).toContainText('<tools>');
  await expect(answer.getByTestId('inspector-output').first()).toContainText('<tool_call>');
  await expect(answer.getByTestId('inspector-parsed').first()).toContainText('"calculate"');
  await expect(answer.getByTestId('constraint').first()).toContainText(/constrained/i);
  await expect(answer.getByTestId('inspector-stats').first()).toContainText('Time to first token');
  await expect(answer.getByTestId('inspector-stats').first()).toContainText('Decode');

  // Prompt tokens read vs reused: the follow-up's prompt extends the first prompt and its answer, so
  // the engine keeps those tokens and reads only the result (issue 12 §6).
  const tokens = answer.getByTestId('inspector-prompt-tokens');
  await expect(tokens).toHaveCount(2);
  await expect(tokens.nth(0)).toHaveText(/^Prompt: [\d,]+ tokens read, 0 reused$/);
  await expect(tokens.nth(1)).toHaveText(/^Prompt: [\d,]+ tokens read, [1-9][\d,]* reused$/);
  const number = (text: string, word: string) =>
    Number(new RegExp(`([\\d,]+) ${word}`).exec(text)?.[1]?.replace(/,/g, ''));
  const first = await tokens.nth(0).innerText();
  const second = await tokens.nth(1).innerText();
  // Everything the first generation read (all but a partial last token) is reused, and less is read.
  expect(number(second, 'reused')).toBeGreaterThanOrEqual(number(first, 'tokens read') - 1);
  expect(number(second, 'tokens read')).toBeLessThan(number(first, 'tokens read'));
});

test('a chained call: two rounds of calls before the answer', async ({ page }) => {
  await scriptEngine(page, [
    { match: '(<tool_response>[\\s\\S]*){2}', reply: 'First 2 + 3 = 5, then 5 × 4 = 20.' },
    { match: '<tool_response>', reply: toolCall('calculate', { expression: '5*4' }) },
    { match: 'user(?:: |\\n)Add 2 and 3', reply: toolCall('calculate', { expression: '2+3' }) },
  ]);
  await openAndLoad(page);
  await send(page, 'Add 2 and 3, then multiply by 4');
  await answerSettled(page);
  const answer = lastAnswer(page);
  await expect(answer.getByTestId('call-card')).toHaveCount(2);
  await expect(answer.getByTestId('result-card').nth(0)).toContainText('"result": 5');
  await expect(answer.getByTestId('result-card').nth(1)).toContainText('"result": 20');
  await expect(answer).toContainText('then 5 × 4 = 20.');
  await expect(answer.getByTestId('inspector')).toContainText('3 generations · 2 calls');
});

test('at the chained-call limit the follow-up keeps the functions, and a call written anyway is shown, not run', async ({
  page,
}) => {
  await scriptEngine(page, [
    // The last generation allowed still asks for a call: it must not run.
    { match: '<tool_response>', reply: toolCall('calculate', { expression: '5*4' }) },
    { match: 'user(?:: |\\n)Add 2 and 3', reply: toolCall('calculate', { expression: '2+3' }) },
  ]);
  await page.goto('./');
  await page.getByTestId('open-settings').click();
  await page.getByTestId('setting-max-calls').fill('1');
  await page.getByTestId('setting-max-calls').press('Tab');
  await page.keyboard.press('Escape');
  await loadSuggestedModel(page);
  await send(page, 'Add 2 and 3, then multiply by 4');
  await answerSettled(page);
  const answer = lastAnswer(page);
  await expect(answer.getByTestId('result-card')).toHaveCount(1);
  const notRun = answer.getByTestId('error-card');
  await expect(notRun).toHaveCount(1);
  await expect(notRun).toContainText('The call to calculate was not run');
  await expect(notRun).toContainText('the limit of 1 chained call round was reached');
  // The follow-up kept the function list (its prompt extends the first), and a grammar forbade calls.
  const followUp = await page.evaluate(() => JSON.stringify(window.__CALLAMA_FAKE_LOG__?.[1] ?? null));
  expect(followUp).toContain('<tools>');
  await answer.getByTestId('inspector-toggle').click();
  await expect(answer.getByTestId('constraint').nth(1)).toContainText('tool_choice none');
  await expect(answer.getByTestId('inspector-prompt-tokens').nth(1)).toHaveText(/[1-9][\d,]* reused$/);
});

test('Stop ends a streaming answer, keeps the partial text and marks it stopped', async ({ page }) => {
  const words = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
  // Paused after word3 until Stop: the answer is still streaming when Stop is clicked.
  await scriptEngine(page, [{ match: 'Tell me a long story', reply: words, holdAfter: 'word3' }]);
  await openAndLoad(page);
  await send(page, 'Tell me a long story');
  const text = lastAnswer(page).getByTestId('message-text');
  await expect(text).toContainText('word3');
  await expect(page.getByTestId('send-button')).toHaveCount(0);
  await page.getByTestId('stop-button').click();
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'stopped');
  const stoppedAt = await text.innerText();
  // The composer offers Send again once the generation has ended: nothing can stream in after that.
  await expect(page.getByTestId('send-button')).toBeVisible();
  expect(await text.innerText()).toBe(stoppedAt);
  expect(stoppedAt).toContain('word3');
  expect(stoppedAt).not.toContain('word79');
  await expect(lastAnswer(page).getByTestId('stopped-note')).toBeVisible();
  await expect(page.getByTestId('send-button')).toBeVisible();
});

test('a malformed call and an unknown function become error cards, not crashes', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await scriptEngine(page, [
    // The second request carries the first in its history: its rule comes first.
    { match: 'user(?:: |\\n)Launch', reply: toolCall('launch_rockets', { count: 3 }) },
    { match: 'user(?:: |\\n)Break it', reply: 'Sure. <tool_call>\nthe calculator, please\n</tool_call>' },
  ]);
  await openAndLoad(page);
  await send(page, 'Break it');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('error-card')).toContainText(/could not be read/);
  await expect(lastAnswer(page).getByTestId('result-card')).toHaveCount(0);

  await send(page, 'Launch the rockets');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('error-card')).toContainText('Unknown function "launch_rockets"');
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  expect(errors).toEqual([]);
});

test('a call missing a required argument makes the assistant ask for it', async ({ page }) => {
  await scriptEngine(page, [{ match: 'user(?:: |\\n)Calculate something', reply: toolCall('calculate', {}) }]);
  await openAndLoad(page);
  await send(page, 'Calculate something for me');
  await answerSettled(page);
  const ask = lastAnswer(page).getByTestId('ask-user');
  await expect(ask).toContainText('expression');
  await expect(lastAnswer(page).getByTestId('call-card')).toHaveCount(0);
  await expect(lastAnswer(page).getByTestId('result-card')).toHaveCount(0);
});

test('HTML in a function result and in the answer is shown as text, never run', async ({ page }) => {
  const payload = '<img src=x onerror=window.__pwned=1>';
  await scriptEngine(page, [
    { match: '<tool_response>', reply: `Saved your note: ${payload}` },
    { match: 'user(?:: |\\n)Save a note', reply: toolCall('save_note', { text: payload }) },
  ]);
  await openAndLoad(page);
  await send(page, 'Save a note with some HTML');
  await answerSettled(page);
  const answer = lastAnswer(page);
  await expect(answer.getByTestId('result-card')).toContainText(payload);
  await expect(answer.getByTestId('message-text').last()).toContainText(payload);
  await expect(page.getByTestId('message-list').locator('img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
});

test('Enter sends and Shift+Enter adds a new line, the box growing with it; examples fill in or send', async ({
  page,
}) => {
  await scriptEngine(page, [
    { match: 'user(?:: |\\n)line one\\nline two', reply: 'Got two lines.' },
    { match: 'Tokyo', reply: 'It is noon in Tokyo.' },
  ]);
  await page.goto('./');
  // Before a model is ready, an example only fills the composer.
  await page.getByTestId('example').first().click();
  await loadSuggestedModel(page);
  await expect(page.getByTestId('composer-input')).toHaveValue('What time is it in Tokyo?');
  const box = page.getByTestId('composer-input');
  const height = async () => (await box.boundingBox())?.height ?? 0;
  await box.fill('');
  const oneLine = await height();
  await box.pressSequentially('line one');
  await box.press('Shift+Enter');
  await box.pressSequentially('line two');
  await expect(box).toHaveValue('line one\nline two');
  // The box grows with its lines, up to 200 px, and is one line again once the message is sent.
  await expect.poll(height).toBeGreaterThan(oneLine + 10);
  await box.fill(Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n'));
  await expect.poll(height).toBe(200);
  await box.fill('line one\nline two');
  await box.press('Enter');
  await expect(page.getByTestId('user-message').getByTestId('message-text')).toHaveText('line one\nline two');
  await expect(lastAnswer(page)).toContainText('Got two lines.');
  await expect(box).toHaveValue('');
  await expect.poll(height).toBe(oneLine);
});

test("a user function runs in the sandbox and cannot read the app's IndexedDB", async ({ page }) => {
  await scriptEngine(page, [
    { match: '<tool_response>', reply: 'I could not read the app data.' },
    { match: 'user(?:: |\\n)Read the app data', reply: toolCall('read_app_data', {}) },
  ]);
  await openAndLoad(page);
  // Something of the app's own in IndexedDB ('callama') for the function to try to steal.
  await send(page, 'Read the app data? Not yet.');
  await answerSettled(page);

  await page.getByTestId('open-functions').click();
  await page.getByTestId('add-function').click();
  const editor = page.getByTestId('function-editor');
  await editor.getByLabel('Definition (JSON)').fill(
    JSON.stringify({
      name: 'read_app_data',
      description: "Reads the app's saved conversations.",
      parameters: { type: 'object', properties: {}, required: [] },
    }),
  );
  await editor
    .getByLabel('JavaScript body')
    .fill(
      [
        "const request = indexedDB.open('callama');",
        'return await new Promise((resolve, reject) => {',
        '  request.onsuccess = () => resolve(Array.from(request.result.objectStoreNames));',
        '  request.onerror = () => reject(request.error);',
        '});',
      ].join('\n'),
    );
  await editor.getByRole('button', { name: 'Save function' }).click();
  await expect(page.locator('[data-testid="user-function"][data-name="read_app_data"]')).toBeVisible();
  await page.keyboard.press('Escape');

  await send(page, 'Read the app data now');
  await answerSettled(page);
  const answer = lastAnswer(page);
  await expect(answer.getByTestId('call-name')).toHaveText('read_app_data');
  const result = answer.getByTestId('result-card');
  await expect(result).toHaveAttribute('data-ok', 'false');
  await expect(result).toContainText('SecurityError');
  await expect(result).not.toContainText('conversations');
  await expect(answer).toContainText('I could not read the app data.');
});

test('the conversation mode and the prompt-format override reach the prompt, as the inspector shows', async ({
  page,
}) => {
  await scriptEngine(page, [{ match: 'Hello', reply: 'Hi.' }]);
  await openAndLoad(page);
  await page.getByTestId('open-settings').click();
  await page.getByTestId('setting-format').selectOption('generic');
  await page.keyboard.press('Escape');
  await page.getByTestId('conversation-settings').click();
  await page.getByTestId('tool-choice').selectOption({ label: 'None — answer without functions' });
  await send(page, 'Hello');
  await answerSettled(page);
  await lastAnswer(page).getByTestId('inspector-toggle').click();
  await expect(lastAnswer(page).getByTestId('inspector')).toContainText('format generic');
  const sent = await page.evaluate(() => JSON.stringify(window.__CALLAMA_FAKE_LOG__?.at(-1) ?? null));
  expect(sent).not.toContain('<tools>'); // not the hermes format
  await page.reload();
  await page.getByTestId('conversation-settings').click();
  await expect(page.getByTestId('tool-choice')).toHaveValue('none');
});
