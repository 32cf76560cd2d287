import { test, expect, type Page } from './helpers/test.ts';
import { answerSettled, lastAnswer, openAndLoad, scriptEngine, send } from './chatFixtures.ts';

// The inspector's "Check tokens": tokenizes the exact raw-completion prompt and says where the BOS is.
// The engine double's tokenizer reads the literal <s> as id 1 (tests/doubles/fakeEngine.ts).

test.use({ serviceWorkers: 'block' });

async function useFormat(page: Page, formatId: string): Promise<void> {
  await page.getByTestId('open-settings').click();
  await page.getByTestId('setting-format').selectOption(formatId);
  await page.keyboard.press('Escape');
  // A format that renders prompts the other way reloads the model (from the cache) first.
  await expect(page.getByTestId('composer-input')).toBeEnabled();
}

const generation = (page: Page, n: number) => lastAnswer(page).getByRole('region', { name: `Generation ${n}` });

test('a trelis-v2 prompt has its BOS once at the start, and once more per later Llama-2 turn', async ({ page }) => {
  await scriptEngine(page, [
    { match: 'Result of calculate:\\s*437', reply: '23 × 19 = 437.' },
    { match: 'What is 23', reply: '{"function": "calculate", "arguments": {"expression": "23*19"}}' },
  ]);
  await openAndLoad(page);
  await useFormat(page, 'trelis-v2');
  await send(page, 'What is 23*19?');
  await answerSettled(page);
  await expect(lastAnswer(page)).toContainText('437');
  await lastAnswer(page).getByTestId('inspector-toggle').click();

  const first = generation(page, 1);
  await expect(first).toContainText('raw completion');
  await first.getByTestId('check-tokens').click();
  await expect(first.getByTestId('bos-result')).toHaveText('BOS (id 1) appears once, at the start ✓');
  await expect(first.getByTestId('bos-tokens')).toHaveText(/^\d+ prompt tokens · first ids: 1, (\d+, ){11}…$/);

  // The function result comes back as the next instruction, after ` </s><s>`: a second BOS, rightly.
  const second = generation(page, 2);
  await second.getByTestId('check-tokens').click();
  await expect(second.getByTestId('bos-result')).toHaveText(
    'BOS (id 1) appears 2 times: at the start and at the start of the later turn ✓',
  );
});

test('a chat-API generation (hermes) offers no token check', async ({ page }) => {
  await scriptEngine(page, [{ match: 'Hello', reply: 'Hi.' }]);
  await openAndLoad(page);
  // Named, not the suggested model's own format: the default model may use a raw-completion format.
  await useFormat(page, 'hermes');
  await send(page, 'Hello');
  await answerSettled(page);
  await lastAnswer(page).getByTestId('inspector-toggle').click();
  const first = generation(page, 1);
  await expect(first).toContainText('chat messages');
  await expect(first.getByTestId('inspector-output')).toHaveText('Hi.');
  await expect(first.getByTestId('check-tokens')).toHaveCount(0);
});

test('the check is offered only while a model is loaded', async ({ page }) => {
  await scriptEngine(page, [{ match: 'Hello', reply: 'Hi.' }]);
  await openAndLoad(page);
  await useFormat(page, 'trelis-v2');
  await send(page, 'Hello');
  await answerSettled(page);
  await lastAnswer(page).getByTestId('inspector-toggle').click();
  await expect(generation(page, 1).getByTestId('check-tokens')).toBeVisible();
  await page.evaluate(() => window.__callamaFake?.loseDevice('test: device lost'));
  await expect(page.getByTestId('device-lost')).toBeVisible();
  await expect(generation(page, 1).getByTestId('check-tokens')).toHaveCount(0);
});
