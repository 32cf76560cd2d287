/**
 * Engine and download faults (issue 6 §2, and §1 "model artifacts integrity"), injected into the engine
 * double (tests/doubles/fakeEngine.ts): a lost GPU device mid-answer, a dead worker, a full disk and a
 * dropped connection during a download, and a file that fails its integrity hash. Each test counts the
 * conversation's messages before the fault and after the recovery, records the difference as data lost
 * (tests/reliability/record.ts) and asserts it is zero.
 */
import { test, expect, type Page } from './helpers/test.ts';
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
  { match: 'hello again', reply: 'Still here, answering again.' },
  // Paused after word5 until the fault (or Stop) ends it: the fault always comes mid-answer.
  { match: 'long', reply: longReply, holdAfter: 'word5' },
  { match: 'hello', reply: 'Hello! How can I help?' },
];

/** Messages present before the fault that are missing (or changed) after it. */
function lost(before: string[], after: string[]): number {
  return before.filter((text, i) => after[i] !== text).length;
}

async function openPicker(page: Page) {
  await page.getByTestId('model-button').click();
  const picker = page.getByTestId('model-picker');
  await expect(picker.getByTestId('gpu-summary')).toBeVisible();
  return picker;
}

/** A catalog card other than the suggested model (the one loaded by openAndLoad). */
function otherCard(page: Page) {
  return page.getByTestId('model-picker').getByTestId('model-card').filter({ hasNotText: 'Suggested' }).first();
}

async function setLoadError(page: Page, error: { name: string; message: string } | undefined) {
  await page.evaluate((e) => {
    window.__CALLAMA_FAKE__ = { ...window.__CALLAMA_FAKE__, loadError: e, loadMs: 400 };
    if (!e) delete window.__CALLAMA_FAKE__.loadError;
  }, error);
}

test('GPU device lost mid-answer: the answer is kept as stopped, one click re-creates the engine and reloads, the chat goes on', async ({
  page,
}) => {
  await scriptEngine(page, rules);
  await openAndLoad(page);
  await send(page, 'hello');
  await answerSettled(page);
  await send(page, 'Write something long');
  await expect(lastAnswer(page)).toContainText('word5');

  await page.evaluate(() => window.__callamaFake?.loseDevice('Device was lost: out of memory'));
  const alert = page.getByTestId('device-lost');
  await expect(alert).toContainText('The GPU stopped responding');
  await expect(alert).toContainText('Your conversation is kept');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'stopped');
  await expect(lastAnswer(page).getByTestId('stopped-note')).toBeVisible();
  const before = await messages(page);
  expect(before).toHaveLength(4);
  expect(before[3]).not.toContain('word79');

  await alert.getByRole('button', { name: 'Reload model' }).click();
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  await expect(page.getByTestId('device-lost')).toHaveCount(0);
  // A new engine (worker) was created before the model was loaded again.
  expect(
    await page.evaluate(() => ({ restarts: window.__callamaFake?.restarts, loads: window.__callamaFake?.loads })),
  ).toEqual({ restarts: 1, loads: 2 });

  const after = await messages(page);
  const dataLost = lost(before, after);
  recordReliability({ kind: 'fault', fault: 'GPU device lost during generation', dataLost });
  expect(dataLost).toBe(0);
  await send(page, 'hello again');
  await expect(lastAnswer(page)).toContainText('Still here, answering again.');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
});

test('the engine worker dies: a notice, and the next message re-creates the engine, reloads the model from the cache and answers', async ({
  page,
}) => {
  await scriptEngine(page, rules);
  await openAndLoad(page);
  await send(page, 'hello');
  await answerSettled(page);

  // Dies while answering: that answer fails (an error, not a hang); the chat stays usable.
  await send(page, 'Write something long');
  await expect(lastAnswer(page)).toContainText('word3');
  await page.evaluate(() => window.__callamaFake?.crashWorker('The engine worker crashed (test)'));
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'error');
  const notice = page.getByTestId('engine-notice');
  await expect(notice).toHaveAttribute('data-kind', 'restart-pending');
  await expect(notice).toContainText('Your next message restarts it');
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  const before = await messages(page);
  expect(before).toHaveLength(4);

  await send(page, 'hello again');
  await expect(lastAnswer(page)).toContainText('Still here, answering again.');
  await expect(notice).toHaveAttribute('data-kind', 'restarted');
  await expect(notice).toContainText('reloaded from the browser cache');
  expect(await page.evaluate(() => window.__callamaFake?.loads)).toBe(2);

  const dataLost = lost(before, await messages(page));
  recordReliability({ kind: 'fault', fault: 'engine worker crashed', dataLost });
  expect(dataLost).toBe(0);
});

test('storage full during a download: the space needed and free, the stored models with Delete buttons, and Retry', async ({
  page,
}) => {
  await scriptEngine(page, rules);
  await openAndLoad(page);
  await send(page, 'hello');
  await answerSettled(page);
  const before = await messages(page);

  await setLoadError(page, { name: 'QuotaExceededError', message: 'QuotaExceededError: The quota has been exceeded.' });
  await openPicker(page);
  const card = otherCard(page);
  const target = await card.getAttribute('data-model');
  await card.getByRole('button', { name: 'Download and load' }).click();

  const alert = page.getByTestId('model-picker').getByTestId('load-error');
  await expect(alert).toContainText('The browser storage is full');
  const help = alert.getByTestId('quota-help');
  await expect(help.getByTestId('quota-space')).toContainText(
    /This model needs about [\d.]+ [MG]B; the browser has [\d.]+ [KMGT]?B free for this site/,
  );
  await expect(help).toContainText('Site data');
  await expect(help).toContainText('persistent storage');
  // The model already stored (the one loaded before) is listed with its size and can be deleted.
  const stored = help.getByTestId('cached-model').filter({ hasText: 'Qwen3-1.7B-' });
  await expect(stored).toContainText('440 MB');
  await stored.getByRole('button', { name: 'Delete…' }).click();
  await stored.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(help.getByTestId('cached-model').filter({ hasText: 'Qwen3-1.7B-' })).toHaveCount(0);
  await expect(help).toContainText('Press Retry');

  await setLoadError(page, undefined);
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('model-picker').getByTestId('load-done')).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('callama:lastModel'))).toBe(target);

  await page.keyboard.press('Escape');
  const dataLost = lost(before, await messages(page));
  recordReliability({ kind: 'fault', fault: 'storage quota exceeded during a download', dataLost });
  expect(dataLost).toBe(0);
});

test('the network drops during a download: partly downloaded, never "in cache", never auto-loaded; Resume finishes it', async ({
  page,
}) => {
  await scriptEngine(page, rules);
  await openAndLoad(page);
  await send(page, 'hello');
  await answerSettled(page);
  const before = await messages(page);

  await setLoadError(page, {
    name: 'NetworkError',
    message: 'Failed to fetch https://huggingface.co/mlc-ai/x/resolve/main/params_shard_12.bin',
  });
  await openPicker(page);
  const card = otherCard(page);
  const target = (await card.getAttribute('data-model')) ?? '';
  await card.getByRole('button', { name: 'Download and load' }).click();
  const alert = page.getByTestId('model-picker').getByTestId('load-error');
  await expect(alert).toContainText('You appear to be offline: huggingface.co could not be reached');
  await expect(alert).toContainText('files already downloaded are kept');

  const partialCard = page.getByTestId('model-picker').locator(`[data-testid="model-card"][data-model="${target}"]`);
  await expect(partialCard.getByTestId('partly-cached')).toBeVisible();
  await expect(partialCard.getByTestId('in-cache')).toHaveCount(0);
  await expect(partialCard.getByTestId('partial-download')).toContainText(/Partly downloaded \(165 MB of 440 MB\)/);
  await expect(page.getByTestId('cache-manager').getByTestId('cached-model').filter({ hasText: target })).toContainText(
    'partly downloaded',
  );

  // Resume, with the network back: it finishes and is now a complete, cached model.
  await setLoadError(page, undefined);
  await partialCard.getByRole('button', { name: 'Resume download' }).click();
  await expect(page.getByTestId('model-picker').getByTestId('load-done')).toBeVisible();
  await expect(partialCard.getByTestId('in-cache')).toBeVisible();
  await expect(partialCard.getByTestId('partly-cached')).toHaveCount(0);
  await page.keyboard.press('Escape');
  const dataLost = lost(before, await messages(page));
  recordReliability({ kind: 'fault', fault: 'network dropped during a download', dataLost });
  expect(dataLost).toBe(0);

  // The last model's files are found partly missing later (evicted): the start-up does not load it,
  // which would download the rest unasked.
  await page.evaluate((id) => {
    localStorage.removeItem(`callama-fake-cache:${id}`);
    localStorage.setItem(`callama-fake-partial:${id}`, String(300e6));
  }, target);
  await page.reload();
  await expect(page.getByTestId('composer-hint')).toHaveText('Load a model to start chatting.');
  await expect(page.getByTestId('composer-input')).toBeDisabled();
  expect(await page.evaluate(() => window.__callamaFake?.loads)).toBe(0);
});

test('a model file that fails its integrity hash: a clear error, and nothing of the model stays cached', async ({
  page,
}) => {
  await scriptEngine(page, rules);
  await page.goto('./');
  await setLoadError(page, {
    name: 'IntegrityError',
    message:
      'Integrity verification failed for https://huggingface.co/mlc-ai/Qwen2.5-1.5B-Instruct-q4f32_1-MLC/resolve/main/tokenizer.json\n  Expected: sha256-n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=\n  Actual: sha256-LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=\nThis may indicate file corruption or tampering.',
  });
  const picker = await openPicker(page);
  const card = picker.getByTestId('model-card').filter({ hasText: 'Suggested' });
  await card.getByRole('button', { name: 'Download and load' }).click();

  const alert = picker.getByTestId('load-error');
  await expect(alert).toContainText('tokenizer.json does not match its integrity hash; nothing was kept.');
  await expect(alert).toContainText('Expected sha256-n4bQ');
  // The download had got half-way; none of it is left: not cached, not partly cached, not listed.
  await expect(card.getByTestId('in-cache')).toHaveCount(0);
  await expect(card.getByTestId('partly-cached')).toHaveCount(0);
  await expect(picker.getByTestId('cache-manager').getByTestId('cached-model')).toHaveCount(0);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('callama-fake-')))).toEqual([]);
});

test('an integrity failure while switching models loses no conversation and caches nothing of the bad model', async ({
  page,
}) => {
  await scriptEngine(page, rules);
  await openAndLoad(page);
  await send(page, 'hello');
  await answerSettled(page);
  const before = await messages(page);
  expect(before).toHaveLength(2);

  await setLoadError(page, {
    name: 'IntegrityError',
    message:
      'Integrity verification failed for https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/model.wasm\n  Expected: sha256-n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=\n  Actual: sha256-LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=',
  });
  const picker = await openPicker(page);
  const card = otherCard(page);
  const otherName = (await card.getByRole('heading').first().innerText()).trim();
  await card.getByRole('button', { name: 'Download and load' }).click();
  await expect(picker.getByTestId('load-error')).toContainText('does not match its integrity hash; nothing was kept.');
  await expect(card.getByTestId('in-cache')).toHaveCount(0);
  await expect(card.getByTestId('partly-cached')).toHaveCount(0);
  // Only the model loaded before is stored; nothing of the failed one.
  await expect(picker.getByTestId('cache-manager').getByTestId('cached-model')).toHaveCount(1);
  await expect(picker.getByTestId('cache-manager')).not.toContainText(otherName);

  await page.reload();
  await expect(page.getByTestId('assistant-message')).toHaveCount(1);
  const after = await messages(page);
  const dataLost = lost(before, after);
  recordReliability({ kind: 'fault', fault: 'model file failing its integrity hash', dataLost });
  expect(dataLost).toBe(0);
});

test('the custom-model form takes SRI hashes and refuses a malformed one next to its field', async ({ page }) => {
  await page.goto('./');
  const picker = await openPicker(page);
  await picker.getByText('Add a custom model').click();
  const form = picker.getByTestId('custom-model-form');
  await form.getByLabel('Display name').fill('Hashed model');
  await form.getByLabel('MLC weights URL').fill('https://huggingface.co/me/Hashed-q4f32_1-MLC');
  await form
    .getByRole('textbox', { name: 'Library URL' })
    .fill('https://raw.githubusercontent.com/me/libs/main/Hashed-q4f32_1-v0_2_86-webgpu.wasm');
  await form.getByText('Integrity hashes (optional)').click();
  const hash = form.getByLabel('tokenizer.json hash');
  await hash.fill('md5-abc');
  await form.getByRole('button', { name: 'Save custom model' }).click();
  await expect(hash).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#cm-sri-tokenizer-json-error')).toContainText('sha256-, sha384- or sha512-');
  await expect(picker.getByTestId('custom-model')).toHaveCount(0);

  await hash.fill('sha256-n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=');
  await form.getByRole('button', { name: 'Save custom model' }).click();
  await expect(form.getByRole('status')).toContainText('Saved “Hashed model”');
  const stored = await page.evaluate(
    () => JSON.parse(localStorage.getItem('callama:customModels') ?? '[]') as { integrity?: unknown }[],
  );
  expect(stored[0]?.integrity).toEqual({
    tokenizer: { 'tokenizer.json': 'sha256-n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' },
  });
});

test('offline, a load says "You are offline" and names the host; the header goes back to "Choose a model"', async ({
  page,
  context,
}) => {
  // The double fetches the model's config from its real host first, as web-llm does; the network is
  // taken away for that host (and for the browser, where Chromium honours it).
  await scriptEngine(page, rules, { fetchConfig: true, loadMs: 200 });
  await page.goto('./');
  await expect(page.getByTestId('load-suggested')).toBeVisible();
  await context.route('https://huggingface.co/**', (route) => route.abort('internetdisconnected'));
  await context.setOffline(true);
  await page.getByTestId('load-suggested').click();

  const alert = page.getByTestId('load-error');
  // navigator.onLine follows setOffline in most Chromium builds; where it does not, the request that
  // got no answer says so.
  const online = await page.evaluate(() => navigator.onLine);
  await expect(alert).toContainText(
    online
      ? 'You appear to be offline: huggingface.co could not be reached'
      : 'You are offline, so the model files cannot be downloaded from huggingface.co.',
  );
  await expect(alert).not.toContainText('Failed to fetch');
  await expect(page.getByTestId('model-button')).toContainText('Choose a model');
  await expect(page.getByTestId('model-button')).not.toHaveClass(/error/);
  const composer = page.getByRole('form', { name: 'Send a message' });
  await expect(composer).toContainText('No model is loaded: the load failed');
  await expect(composer).not.toContainText('Pick a model');

  // Back online, Retry loads it.
  await context.setOffline(false);
  await context.unroute('https://huggingface.co/**');
  await context.route('https://huggingface.co/**', (route) => route.fulfill({ json: {} }));
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  await expect(page.getByTestId('model-button')).toContainText('Qwen3 1.7B');
});
