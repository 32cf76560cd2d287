import { test, expect } from './helpers/test.ts';
import {
  answerSettled,
  lastAnswer,
  openAndLoad,
  releaseStream,
  scriptEngine,
  send,
  streamHeld,
} from './chatFixtures.ts';

// No service worker here: its "ready offline" toast would cover the composer.
test.use({ serviceWorkers: 'block' });

// Written the way a model streams it: the double sends it word by word, so the call arrives over
// about twenty deltas and its expression over seven. The double pauses the stream in the middle of
// the expression (HOLD) until the test has looked, so what it sees there does not depend on timing.
const CALL_REPLY =
  'Let me work that out.\n<tool_call>\n{"name": "calculate", "arguments": {"expression": "(23 * 19) + (7 * 3) - 12 / 4"}}\n</tool_call>';

const HOLD = '(23 *';

declare global {
  interface Window {
    __answerTexts?: string[];
  }
}

test('a call card appears while the call streams, fills in, and becomes the final card', async ({ page }) => {
  await scriptEngine(page, [
    { match: '<tool_response>[\\s\\S]*455', reply: 'The result is **455**.' },
    { match: 'user(?:: |\\n)Work out', reply: CALL_REPLY, holdAfter: HOLD },
  ]);
  await openAndLoad(page);

  // Record what the answer shows after every DOM change while it streams (innerText: what is on screen).
  await page.evaluate(() => {
    window.__answerTexts = [];
    new MutationObserver(() => {
      const answers = document.querySelectorAll<HTMLElement>('[data-testid="assistant-message"]');
      const last = answers[answers.length - 1];
      if (last) window.__answerTexts?.push(last.innerText);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  await send(page, 'Work out (23*19) + (7*3) - 12/4');
  const answer = lastAnswer(page);
  const card = answer.getByTestId('call-card');

  // While generation runs (paused half-way through the expression): a draft card with the function
  // name, busy, its arguments filling in.
  await streamHeld(page);
  await expect(card.getByTestId('call-name')).toHaveText('calculate');
  await expect(answer).toHaveAttribute('data-status', 'streaming');
  await expect(card).toHaveAttribute('data-state', 'streaming');
  await expect(card).toHaveAttribute('aria-busy', 'true');
  await expect(card).toContainText('Writing…');
  const expression = card.getByRole('row', { name: /expression/ });
  await expect(expression).toContainText(HOLD);
  await expect(expression).not.toContainText('- 12 / 4');
  await expect(answer.getByTestId('message-text').first()).toHaveText('Let me work that out.');
  // Mark the element: the final card must be this same element, not a second one.
  await card.evaluate((el) => el.setAttribute('data-seen-streaming', 'yes'));
  await releaseStream(page);

  await answerSettled(page);
  await expect(card).toHaveCount(1);
  await expect(card).toHaveAttribute('data-seen-streaming', 'yes');
  await expect(card).toHaveAttribute('data-state', 'final');
  await expect(card).toHaveAttribute('data-status', 'done');
  await expect(card).not.toHaveAttribute('aria-busy', /.*/);
  await expect(card).toContainText('Arguments match');
  await expect(card.getByRole('row', { name: /expression/ })).toContainText('(23 * 19) + (7 * 3) - 12 / 4');
  await expect(answer.getByTestId('result-card')).toContainText('455');
  await expect(answer.getByTestId('message-text').last()).toHaveText('The result is 455.');

  const seen = await page.evaluate(() => window.__answerTexts ?? []);
  expect(seen.length).toBeGreaterThan(10);
  for (const text of seen) {
    expect(text).not.toContain('{"name"');
    expect(text).not.toContain('"arguments"');
    expect(text).not.toContain('<tool_call');
    expect(text).not.toContain('</tool_call');
  }
});

test('stopping in the middle of a call leaves an unfinished card, not raw JSON', async ({ page }) => {
  await scriptEngine(page, [{ match: 'user(?:: |\\n)Work out', reply: CALL_REPLY, holdAfter: HOLD }]);
  await openAndLoad(page);
  await send(page, 'Work out (23*19) + (7*3) - 12/4');
  const answer = lastAnswer(page);
  const card = answer.getByTestId('call-card');
  await streamHeld(page);
  await expect(card.getByRole('row', { name: /expression/ })).toContainText(HOLD);
  await page.getByTestId('stop-button').click();
  await expect(answer).toHaveAttribute('data-status', 'stopped');
  await expect(card).toHaveCount(1);
  await expect(card).toHaveAttribute('data-state', 'partial');
  await expect(card).not.toHaveAttribute('aria-busy', /.*/);
  await expect(card).toContainText('Not run');
  await expect(answer.getByTestId('result-card')).toHaveCount(0);
  expect(await answer.getByTestId('message-text').allInnerTexts()).toEqual(['Let me work that out.']);
});
