/**
 * A reply that makes no progress is never silent (issue 11 §5). The engine double is told to hang after
 * a Stop (`hangAfterStop`: web-llm's lock never released, as seen with a real build): the next message
 * says it waits for the stopped answer, the watchdog (shortened for the e2e build through localStorage
 * `callama-e2e-stall-ms`) says the model has not answered and offers "Restart the engine", which gives
 * the engine a fresh worker, reloads the model from the cache and keeps every message.
 */
import { test, expect } from './helpers/test.ts';
import {
  answerSettled,
  lastAnswer,
  messageTexts as messages,
  openAndLoad,
  scriptEngine,
  send,
} from './chatFixtures.ts';
import { recordReliability } from '../reliability/record.ts';

const longReply = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
// The first rule matching the whole prompt (history included) wins, so the latest message's rule goes first.
const rules = [
  { match: 'after the restart', reply: 'Back again after the restart.' },
  // Paused after word3 until the fault (or Stop) ends it: the fault always comes mid-answer.
  { match: 'long', reply: longReply, holdAfter: 'word3' },
  { match: 'hello', reply: 'Hello! How can I help?' },
];

test('an engine that never answers after Stop: the reply says it waits, then offers "Restart the engine", which recovers and keeps the conversation', async ({
  page,
}) => {
  await page.addInitScript(() => localStorage.setItem('callama-e2e-stall-ms', '2000'));
  await scriptEngine(page, rules);
  await openAndLoad(page);
  await send(page, 'hello');
  await answerSettled(page);

  await page.evaluate(() => {
    if (window.__callamaFake) window.__callamaFake.hangAfterStop = true;
  });
  await send(page, 'Write something long');
  await expect(lastAnswer(page)).toContainText('word3');
  await page.getByTestId('stop-button').click();
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'stopped');
  const before = await messages(page);
  expect(before).toHaveLength(4);

  // The engine is still "finishing" the stopped answer: the new reply says so instead of "Thinking…".
  await send(page, 'hello, are you there?');
  const hung = lastAnswer(page);
  await expect(hung.getByTestId('waiting-for-stopped')).toHaveText(
    'Waiting for the model to finish the stopped answer…',
  );
  await expect(page.getByTestId('stream-status')).toHaveText('Waiting for the model to finish the stopped answer…');

  // Nothing comes: the watchdog speaks up and offers the restart.
  const notice = hung.getByTestId('stalled-note');
  await expect(notice).toContainText('The model has not answered for 2 s');
  await expect(page.getByTestId('stream-status')).toHaveText('The model has not answered for 2 s.');
  await notice.getByRole('button', { name: 'Restart the engine' }).click();

  await expect(hung).toHaveAttribute('data-status', 'stopped');
  await expect(hung.getByTestId('stalled-note')).toHaveCount(0);
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  // A fresh engine (worker), then the model loaded again (from the cache).
  expect(
    await page.evaluate(() => ({ restarts: window.__callamaFake?.restarts, loads: window.__callamaFake?.loads })),
  ).toEqual({ restarts: 1, loads: 2 });
  await expect(page.getByTestId('engine-notice')).toContainText('The engine was restarted');

  const after = await messages(page);
  expect(after).toHaveLength(6);
  const dataLost = before.filter((text, i) => after[i] !== text).length;
  recordReliability({ kind: 'fault', fault: 'engine hung after Stop (lock never released)', dataLost });
  expect(dataLost).toBe(0);

  await page.evaluate(() => {
    if (window.__callamaFake) window.__callamaFake.hangAfterStop = false;
  });
  await send(page, 'Say something after the restart');
  await expect(lastAnswer(page)).toContainText('Back again after the restart.');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
  expect(await messages(page)).toHaveLength(8);
});
