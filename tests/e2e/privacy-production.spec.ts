/**
 * Issue 6 §1, privacy with the REAL engine: the production build (web-llm in its worker, the worker
 * under its own header policy from `_headers`), served with its headers. The network is cut: every
 * request that is not to the app's own server is answered with a network error and recorded. So a
 * model load cannot succeed here, but it shows where the app and the worker go:
 * - loading a catalog model asks only the catalog's model hosts (huggingface.co for the weights'
 *   config, raw.githubusercontent.com for the library);
 * - loading a stored custom model whose host this build does not allow (saved under another build
 *   or deployment: the form refuses such hosts) is refused by the worker itself before any request,
 *   with a message saying how the site owner allows the host.
 * Runs a production build first (about a minute and a half on two cores).
 */
import { test, expect, type Page } from './helpers/test.ts';
import { startStaticServer, type StaticServer } from '../../scripts/staticServer.ts';
import { buildProductionApp, type BuiltApp } from './realModel/buildProductionApp.ts';
import { CATALOG_MODEL_ORIGINS } from '../../src/security/contentSecurityPolicy.ts';

let app: BuiltApp | undefined;
let server: StaticServer | undefined;

test.beforeAll(async () => {
  test.setTimeout(10 * 60_000);
  app = await buildProductionApp();
  server = await startStaticServer([{ prefix: '/', dir: app.dir }]);
});
test.afterAll(async () => {
  await server?.close();
  await app?.remove();
});

/** Cuts every request off the app's server; returns the origins asked (in the order first seen). */
async function cutNetwork(page: Page, appOrigin: string): Promise<string[]> {
  const asked: string[] = [];
  await page.context().route(
    (url) => url.origin !== appOrigin,
    (route) => {
      const origin = new URL(route.request().url()).origin;
      if (!asked.includes(origin)) asked.push(origin);
      return route.abort('internetdisconnected');
    },
  );
  return asked;
}

test('loading a catalog model asks only the catalog model hosts', async ({ page }) => {
  test.setTimeout(120_000);
  if (!server) throw new Error('The static server did not start (see beforeAll).');
  const appOrigin = server.url('localhost');
  const asked = await cutNetwork(page, appOrigin);
  await page.goto(`${appOrigin}/`);
  await page.getByTestId('load-suggested').click();
  await expect(page.getByTestId('load-error')).toBeVisible({ timeout: 60_000 });
  // It did try: web-llm reads the model's mlc-chat-config.json from huggingface.co first.
  expect(asked).toContain('https://huggingface.co');
  expect(asked.filter((o) => !CATALOG_MODEL_ORIGINS.includes(o))).toEqual([]);
});

test('a stored custom model from a host this build does not allow is refused by the worker before any request', async ({
  page,
}) => {
  test.setTimeout(120_000);
  if (!server) throw new Error('The static server did not start (see beforeAll).');
  const appOrigin = server.url('localhost');
  const asked = await cutNetwork(page, appOrigin);
  // As a build with CALLAMA_MODEL_HOSTS=https://models.example would have saved it.
  await page.addInitScript(() => {
    if (localStorage.getItem('callama:customModels') !== null) return;
    const record = {
      id: 'Elsewhere',
      displayName: 'Elsewhere',
      modelUrl: 'https://models.example/m/resolve/main/',
      modelLibUrl:
        'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_80/Qwen2.5-0.5B-Instruct-q4f32_1-ctx4k_cs1k-webgpu.wasm',
      formatId: 'hermes',
      requiredFeatures: [],
    };
    localStorage.setItem('callama:customModels', JSON.stringify([record]));
  });
  await page.goto(`${appOrigin}/`);
  await page.getByTestId('model-button').click();
  const picker = page.getByTestId('model-picker');
  await picker.getByTestId('custom-model').getByRole('button', { name: 'Load' }).click();
  const error = page.getByTestId('load-error');
  await expect(error).toContainText('This site does not allow downloads from https://models.example.');
  await expect(error).toContainText('CALLAMA_MODEL_HOSTS');
  expect(asked).not.toContain('https://models.example');
});
