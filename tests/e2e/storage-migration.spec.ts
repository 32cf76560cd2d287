/**
 * Conversations saved by the app before the stored record had its own type (IndexedDB version 1,
 * tests/fixtures/storage/conversations-v1.json) open in this version, in a real browser's IndexedDB,
 * with the same messages, cards and inspected requests; a record saved by a newer version is listed
 * as unreadable and kept.
 */
import { readFile } from 'node:fs/promises';
import { test, expect } from './helpers/test.ts';
import { lastAnswer } from './chatFixtures.ts';

test.use({ serviceWorkers: 'block' });

const fixtureUrl = new URL('../fixtures/storage/conversations-v1.json', import.meta.url);

test('a version-1 database opens with its conversations as they were; a newer record is kept, not shown', async ({
  page,
}) => {
  const records = JSON.parse(await readFile(fixtureUrl, 'utf8')) as { id: string; updatedAt: number }[];
  const newer = { id: 'from-the-future', schemaVersion: 99, title: 'Future chat', updatedAt: 1, messages: {} };
  // Any page of the app's origin that does not run the app, to write the old database before it opens.
  await page.goto('./favicon.svg');
  await page.evaluate(
    async (all) => {
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('callama', 1);
        request.onupgradeneeded = () => {
          const store = request.result.createObjectStore('conversations', { keyPath: 'id' });
          store.createIndex('updatedAt', 'updatedAt');
        };
        request.onerror = () => reject(request.error ?? new Error('open failed'));
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction('conversations', 'readwrite');
          for (const r of all) tx.objectStore('conversations').put(r);
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error ?? new Error('write failed'));
        };
      });
    },
    [...records, newer],
  );

  await page.goto('./');
  const items = page.getByTestId('conversation-item');
  await expect(items).toHaveCount(4);
  await expect(items.getByTestId('conversation-open').locator('.title')).toHaveText([
    'Compute 23*19',
    'Hi!',
    'What is 23*19?',
    'Future chat',
  ]);

  // The latest: a page closed while its call ran; the call shows it never finished.
  await expect(page.getByTestId('conversation-title')).toHaveText('Compute 23*19');
  const card = lastAnswer(page).getByTestId('call-card');
  await expect(card).toContainText('Not run (interrupted)');

  // A record of a newer version: listed, not opened, kept across a reload.
  const future = items.filter({ hasText: 'Future chat' });
  await expect(future).toContainText('Saved by a newer version of Callama: kept, not shown');
  await expect(future.getByTestId('conversation-open')).toBeDisabled();

  // A conversation with a call, its result and an answer; each step's exact request in the inspector.
  await items.filter({ hasText: 'What is 23*19?' }).getByTestId('conversation-open').click();
  const first = page.getByTestId('assistant-message').first();
  await expect(first.getByTestId('call-name')).toHaveText('calculate');
  await expect(first.getByTestId('result-card')).toContainText('437');
  await expect(first).toContainText('23*19 is 437.');
  await first.getByTestId('inspector-toggle').click();
  const prompts = first.getByTestId('inspector-prompt');
  await expect(prompts).toHaveCount(2);
  await expect(prompts.nth(0)).toContainText('Answer briefly.');
  await expect(prompts.nth(1)).toContainText('Answer briefly.');
  await expect(prompts.nth(1)).toContainText('437');

  await page.reload();
  await expect(items).toHaveCount(4);
  await expect(items.filter({ hasText: 'Future chat' })).toContainText('Saved by a newer version');
});
