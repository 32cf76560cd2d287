import { readFile } from 'node:fs/promises';
import { test, expect } from './helpers/test.ts';

/**
 * The Evaluate view end to end, against the scripted FakeEngine. With two cases per category the
 * shipped set gives 8 cases (simple_01–02, multiple_01–02, parallel_01–02, irrelevance_01–02); the
 * rules below answer 5 of them right, so every configuration must score exactly:
 *   simple 2/2 · multiple 1/2 · parallel 1/2 · irrelevance 1/2 · overall 5/8.
 * Each rule matches words found only in its case's question.
 */
const call = (name: string, args: Record<string, unknown>) => ({ name, arguments: args });
const rules = [
  { match: 'Lisbon', reply: JSON.stringify(call('get_weather', { city: 'Lisbon' })) },
  { match: 'Asia/Tokyo', reply: `Sure. ${JSON.stringify(call('get_time', { timezone: 'Asia/Tokyo' }))}` },
  { match: 'raining in Dublin', reply: JSON.stringify(call('get_weather', { city: 'Dublin' })) },
  // Wrong: 10^2 is not 2^10.
  { match: 'power of 10', reply: JSON.stringify(call('calculate', { expression: '10^2' })) },
  {
    match: 'Paris and in Madrid',
    reply: JSON.stringify([call('get_weather', { city: 'Madrid' }), call('get_weather', { city: 'Paris' })]),
  },
  // Wrong: one of the two parallel calls is missing.
  { match: 'Australia/Sydney', reply: JSON.stringify(call('get_time', { timezone: 'Europe/London' })) },
  { match: 'haiku', reply: 'Leaves fall softly down, the maple lets them go, autumn breathes out slow.' },
  // Wrong: a call where no function fits.
  { match: 'Pride and Prejudice', reply: JSON.stringify(call('calculate', { expression: '1 + 1' })) },
];

test('runs the shipped test set in two configurations and reports exact accuracy by category', async ({ page }) => {
  await page.addInitScript((r) => {
    window.__CALLAMA_FAKE__ = { loadMs: 80, tokenDelayMs: 1, rules: r };
  }, rules);
  await page.goto('./');
  await page.getByTestId('load-suggested').click();
  await expect(page.getByText(/is loaded\./)).toBeVisible();

  await page.getByTestId('nav-evaluate').click();
  await expect(page.getByRole('heading', { name: 'Evaluate function calling' })).toBeVisible();
  // The shipped set is chosen and loaded when the view opens.
  await expect(page.getByTestId('eval-loaded')).toContainText(/Loaded \d+ cases from Callama test set/);
  await page.getByLabel('Cases per category').fill('2');

  const run = page.getByRole('button', { name: /^Run 8 cases × 2 configurations$/ });
  await run.click();
  const results = page.getByTestId('eval-results');
  await expect(results.getByRole('row')).toHaveCount(3, { timeout: 30_000 });
  await expect(page.getByRole('button', { name: /^Run / })).toBeEnabled({ timeout: 30_000 });

  for (const row of await results
    .getByRole('row')
    .all()
    .then((rows) => rows.slice(1))) {
    await expect(row.locator('[data-category="simple"]')).toHaveText('100.0% (2/2)');
    await expect(row.locator('[data-category="multiple"]')).toHaveText('50.0% (1/2)');
    await expect(row.locator('[data-category="parallel"]')).toHaveText('50.0% (1/2)');
    await expect(row.locator('[data-category="irrelevance"]')).toHaveText('50.0% (1/2)');
    await expect(row.getByTestId('eval-overall')).toHaveText('62.5% (5/8)');
  }
  await expect(results.getByRole('rowheader').first()).toContainText('auto');
  await expect(results.getByRole('rowheader').nth(1)).toContainText('required');

  // The chart is an image with the numbers in words; the failures say why, the answer shown as text.
  await expect(page.getByRole('img', { name: /Accuracy by category and configuration/ })).toBeVisible();
  const failures = page.locator('details').filter({ hasText: 'auto (free): 3 wrong' });
  await failures.locator('summary').click();
  await expect(failures).toContainText('parallel_02 (parallel): made 1 call, expected 2');
  await expect(failures).toContainText('irrelevance_02 (irrelevance): called calculate although no function fits');

  // Each item was one generation, with the question in the prompt.
  const generations = await page.evaluate(() => window.__CALLAMA_FAKE_LOG__?.length ?? 0);
  expect(generations).toBe(16);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export results (JSON)' }).click();
  const file = await (await download).path();
  const exported = JSON.parse(await readFile(file, 'utf8')) as {
    cases: number;
    configurations: Array<{ toolChoice: string; report: { correct: number; total: number } }>;
  };
  expect(exported.cases).toBe(8);
  expect(exported.configurations.map((c) => [c.toolChoice, c.report.correct, c.report.total])).toEqual([
    ['auto', 5, 8],
    ['required', 5, 8],
  ]);
});

test('stops a run on request and keeps what was scored', async ({ page }) => {
  await page.addInitScript((r) => {
    window.__CALLAMA_FAKE__ = { loadMs: 80, tokenDelayMs: 60, rules: r };
  }, rules);
  await page.goto('./');
  await page.getByTestId('load-suggested').click();
  await expect(page.getByText(/is loaded\./)).toBeVisible();
  await page.getByTestId('nav-evaluate').click();
  // The shipped set is chosen and loaded when the view opens.
  await expect(page.getByTestId('eval-loaded')).toBeVisible();

  await page.getByRole('button', { name: /^Run \d+ cases/ }).click();
  await expect(page.getByText(/— [1-9]\d*\/\d+/).first()).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('button', { name: /^Run / })).toBeEnabled();
  await expect(page.getByTestId('eval-results').getByRole('rowheader').first()).toContainText('(stopped)');
});
