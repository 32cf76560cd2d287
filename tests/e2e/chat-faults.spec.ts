/**
 * Issue 6 §2, the chat side: what the user sees when an answer runs into a limit, and that the
 * conversation survives each fault (it is read back from IndexedDB after a reload).
 *
 * - a call cut off by the token limit → an error card naming the function and the limit; not run
 * - a conversation longer than the context window → the oldest exchanges are left out of the prompt
 *   (the engine double logs what it received), with a notice; a message that alone does not fit →
 *   an error card and no generation
 * - a user message over the size limit → refused in the composer, the text kept
 * - a function result over the size limit → cut, with a notice on its card and a marker for the model
 * - a user function that loops forever → killed after its timeout, an error card, and the next call
 *   of a user function works in a rebuilt sandbox
 */
import type { Page } from '@playwright/test';
import { test, expect } from './helpers/test.ts';
import { answerSettled, lastAnswer, openAndLoad, scriptEngine, send, toolCall } from './chatFixtures.ts';
import { recordReliability } from '../reliability/record.ts';

// No service worker: its "ready offline" toast would cover the composer.
test.use({ serviceWorkers: 'block' });

const MESSAGES = '[data-testid="user-message"], [data-testid="assistant-message"]';

/** Messages on screen now; after a reload they come from IndexedDB. */
async function messageCount(page: Page): Promise<number> {
  return page.locator(MESSAGES).count();
}

/**
 * Reloads and measures what the fault cost: messages shown before minus messages read back after.
 * Records the figure for the README and asserts it is zero.
 */
async function assertNothingLost(page: Page, fault: string): Promise<void> {
  const before = await messageCount(page);
  expect(before).toBeGreaterThan(0);
  await page.reload();
  await expect(page.locator(MESSAGES).first()).toBeVisible();
  await expect.poll(() => messageCount(page)).toBeGreaterThanOrEqual(before);
  const dataLost = before - (await messageCount(page));
  recordReliability({ kind: 'fault', fault, dataLost });
  expect(dataLost).toBe(0);
}

async function requestsSent(page: Page): Promise<string[]> {
  return page.evaluate(() => (window.__CALLAMA_FAKE_LOG__ ?? []).map((r) => JSON.stringify(r)));
}

/** Adds a user function through the functions panel (JSON Schema definition + body). */
async function addUserFunction(page: Page, definition: object, code: string): Promise<void> {
  await page.getByTestId('open-functions').press('Enter');
  const panel = page.getByTestId('functions-panel');
  await expect(panel).toBeVisible();
  await panel.getByTestId('add-function').click();
  const editor = panel.getByTestId('function-editor');
  await editor.getByLabel('Definition (JSON)').fill(JSON.stringify(definition));
  await editor.getByLabel('JavaScript body').fill(code);
  await editor.getByRole('button', { name: 'Save function' }).click();
  await expect(panel.getByRole('status').filter({ hasText: /Saved/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
}

test('a call cut off by the token limit becomes an error card naming the function and the limit; it is not run', async ({
  page,
}) => {
  await scriptEngine(page, [
    {
      match: 'user(?:: |\\n)What is 23',
      reply: 'Let me work that out. <tool_call>\n{"name": "calculate", "arguments": {"expression": "23*',
      truncate: true,
    },
  ]);
  await openAndLoad(page);
  await send(page, 'What is 23 × 19?');
  await answerSettled(page);
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute('data-status', 'done');
  const card = answer.getByTestId('error-card');
  await expect(card).toHaveCount(1);
  await expect(card.getByRole('heading')).toHaveText(/The call to calculate was cut off by the token limit/);
  await expect(card).toContainText(
    'The answer hit the token limit (512 tokens) in the middle of a call to calculate; the call was not run. Raise the maximum answer length in Settings',
  );
  // Not run: no result card, no half call shown as a call, and no second generation.
  await expect(answer.getByTestId('result-card')).toHaveCount(0);
  await expect(answer.getByTestId('call-card')).toHaveCount(0);
  await expect(answer.getByTestId('message-text')).toHaveText('Let me work that out.');
  expect(await requestsSent(page)).toHaveLength(1);
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  await assertNothingLost(page, 'Generation stopped at max tokens in the middle of a call');
});

test('a prose answer cut by the token limit says it may be unfinished', async ({ page }) => {
  await scriptEngine(page, [{ match: 'user(?:: |\\n)Tell me', reply: 'Once upon a time there was a', truncate: true }]);
  await openAndLoad(page);
  await send(page, 'Tell me a story');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('length-note')).toHaveText(
    /The answer hit the token limit \(512 tokens\) and may be unfinished/,
  );
  await expect(lastAnswer(page).getByTestId('error-card')).toHaveCount(0);
});

/** About `n` tokens for the engine double's tokenizer (one per whitespace-separated word). */
const words = (tag: string, n: number) => `${tag} ${'w '.repeat(n - 1)}`.trim();

test('a conversation longer than the context window: the oldest exchanges leave the prompt, with a notice; the conversation keeps them', async ({
  page,
}) => {
  await scriptEngine(page, [{ match: 'user(?:: |\\n)', reply: 'Noted.' }], { tokenDelayMs: 1 });
  await openAndLoad(page);
  // Three messages of 1,400 tokens: two fit in 4,096 − 512 tokens with the function list, three do not.
  for (const tag of ['ALPHA', 'BRAVO']) {
    await send(page, words(tag, 1400));
    await answerSettled(page);
    await expect(lastAnswer(page).getByTestId('context-note')).toHaveCount(0);
  }
  await send(page, words('CHARLIE', 1400));
  await answerSettled(page);
  const note = lastAnswer(page).getByTestId('context-note');
  await expect(note).toHaveText(
    "2 earlier messages were left out of the prompt to fit the model's 4,096-token context; they are still in the conversation.",
  );
  const sent = (await requestsSent(page)).at(-1) ?? '';
  expect(sent).not.toContain('ALPHA');
  expect(sent).toContain('BRAVO');
  expect(sent).toContain('CHARLIE');
  expect(sent).toContain('calculate'); // the function list is always kept
  await lastAnswer(page).getByTestId('inspector-toggle').click();
  await expect(lastAnswer(page).getByTestId('inspector-context')).toContainText(
    "of the model's 4,096 context tokens, counted with the model's tokenizer · 2 earlier messages left out.",
  );
  // The conversation itself is whole.
  await expect(page.getByTestId('user-message')).toHaveCount(3);
  await expect(page.getByTestId('user-message').first()).toContainText('ALPHA');
  await assertNothingLost(page, 'Conversation longer than the context window');
  await expect(page.getByTestId('user-message').first()).toContainText('ALPHA');
});

test('a message that alone does not fit the context: an error card, nothing generated, the message kept', async ({
  page,
}) => {
  // 2,048 tokens kept for the answer leave 2,048 for the prompt; the message alone is 3,000.
  await page.addInitScript(() => {
    localStorage.setItem('callama:settings', JSON.stringify({ maxTokens: 2048 }));
  });
  await scriptEngine(page, [{ match: 'user(?:: |\\n)', reply: 'Noted.' }], { tokenDelayMs: 1 });
  await openAndLoad(page);
  await send(page, words('HUGE', 3000));
  await answerSettled(page);
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute('data-status', 'error');
  await expect(answer.getByTestId('error-card')).toContainText('ContextOverflowError');
  await expect(answer.getByTestId('error-card')).toContainText(
    /Your message does not fit in the model's context: with the system prompt and \d+ functions, the prompt needs [\d,]+ tokens, but the model's 4,096-token context keeps 2,048 for the answer, leaving 2,048\. Nothing was generated\./,
  );
  expect(await requestsSent(page)).toHaveLength(0);
  await expect(page.getByTestId('user-message')).toContainText('HUGE');
  await assertNothingLost(page, 'User message alone longer than the context window');
});

test('a user message over the size limit is refused in the composer; the text stays in the box', async ({ page }) => {
  await scriptEngine(page, [{ match: 'user(?:: |\\n)', reply: 'Noted.' }]);
  await openAndLoad(page);
  const input = page.getByTestId('composer-input');
  const long = 'x'.repeat(6145);
  await input.fill(long);
  await expect(page.getByTestId('composer-refusal')).toHaveText(
    'This message is 6,145 characters long; messages to this model can be at most 6,144 (its context holds 4,096 tokens). Shorten it to send it; your text stays here.',
  );
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('send-button')).toBeDisabled();
  await input.press('Enter');
  await expect(input).toHaveValue(long);
  await expect(page.getByTestId('user-message')).toHaveCount(0);
  expect(await requestsSent(page)).toHaveLength(0);

  // One character less is the limit: it is sent, and the notice goes away.
  await input.press('Backspace');
  await expect(page.getByTestId('composer-refusal')).toBeEmpty();
  await input.press('Enter');
  await answerSettled(page);
  await expect(page.getByTestId('user-message')).toHaveCount(1);
  expect(await requestsSent(page)).toHaveLength(1);
  await assertNothingLost(page, 'User message over the size limit');
});

test('a function result over the size limit is cut, with a notice on its card and a marker for the model', async ({
  page,
}) => {
  await scriptEngine(page, [
    { match: '<tool_response>', reply: 'That was a lot of text.' },
    { match: 'user(?:: |\\n)Dump', reply: toolCall('dump_text', {}) },
  ]);
  await openAndLoad(page);
  await addUserFunction(
    page,
    { name: 'dump_text', description: 'Returns a very long text.', parameters: { type: 'object', properties: {} } },
    "return 'x'.repeat(50000);",
  );
  await send(page, 'Dump the text');
  await answerSettled(page);
  const answer = lastAnswer(page);
  const result = answer.getByTestId('result-card');
  await expect(result).toHaveAttribute('data-ok', 'true');
  await expect(result.getByTestId('result-truncated')).toContainText('the result was 50,002 characters long');
  const shown = await result.getByTestId('result-text').innerText();
  expect(shown.length).toBeLessThan(5000);
  expect(shown).toContain('[… truncated by Callama: the result was 50,002 characters; only the first 4,096 are shown]');
  // What the model got in the next prompt is the cut text with the marker.
  const fedBack = (await requestsSent(page)).at(-1) ?? '';
  expect(fedBack).toContain('truncated by Callama');
  expect(fedBack).not.toContain('x'.repeat(5000));
  await expect(answer.getByTestId('message-text').last()).toHaveText('That was a lot of text.');
  await assertNothingLost(page, 'Function result over the size limit');
});

test('a user function that loops forever is killed after its timeout, shows an error card, and the next call works in a rebuilt sandbox', async ({
  page,
}) => {
  await scriptEngine(page, [
    { match: 'still alive', reply: 'The function answered this time.' },
    { match: 'user(?:: |\\n)Spin once', reply: toolCall('spin', { forever: false }) },
    { match: 'timed out', reply: 'The function took too long and was stopped.' },
    { match: 'user(?:: |\\n)Spin forever', reply: toolCall('spin', { forever: true }) },
  ]);
  await openAndLoad(page);
  await addUserFunction(
    page,
    {
      name: 'spin',
      description: 'Spins.',
      parameters: {
        type: 'object',
        properties: { forever: { type: 'boolean', description: 'Loop forever' } },
        required: ['forever'],
      },
    },
    "if (args.forever) { for (;;) {} }\nreturn 'still alive';",
  );
  const frames = page.locator('iframe[title="Function sandbox"]');

  await send(page, 'Spin forever');
  await expect(lastAnswer(page).getByTestId('call-card')).toHaveAttribute('data-status', 'running');
  await expect(frames).toHaveCount(1);
  // The page stays responsive while the loop spins in the sandbox's worker.
  await expect(page.getByTestId('stop-button')).toBeEnabled();
  await answerSettled(page);
  const first = lastAnswer(page).getByTestId('result-card');
  await expect(first).toHaveAttribute('data-ok', 'false');
  await expect(first.getByRole('heading')).toContainText('The function timed out');
  await expect(first.getByTestId('result-text')).toHaveText(
    'spin timed out: The function did not finish within 5,000 ms, so it was stopped; the next call starts in a fresh sandbox.',
  );
  await expect(lastAnswer(page).getByTestId('message-text').last()).toHaveText(
    'The function took too long and was stopped.',
  );
  // Killed: the frame that ran the loop (and its worker) is gone.
  await expect(frames).toHaveCount(0);

  await send(page, 'Spin once');
  await answerSettled(page);
  const second = lastAnswer(page).getByTestId('result-card');
  await expect(second).toHaveAttribute('data-ok', 'true');
  await expect(second.getByTestId('result-text')).toHaveText('"still alive"');
  await expect(lastAnswer(page).getByTestId('message-text').last()).toHaveText('The function answered this time.');
  await expect(frames).toHaveCount(1);
  await assertNothingLost(page, 'User function that loops forever');
});
