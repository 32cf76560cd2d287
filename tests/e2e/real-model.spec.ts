/**
 * Real-model smoke test (@real-model): the PRODUCTION build with the real web-llm worker, a model read
 * from disk, SwiftShader WebGPU. Every other browser test runs the scripted engine double, so this is
 * the one that exercises src/engine/worker.ts end to end: custom-model form → load with progress →
 * a prompt → the model calls `calculate` → the result goes back → a final answer.
 *
 * Run it where an MLC model folder exists (see realModel/realModelConfig.ts for every variable):
 *   CALLAMA_MODEL_DIR=/models/Qwen2.5-0.5B-Instruct-q4f32_1-MLC \
 *   CALLAMA_MODEL_LIB=/models/libs/Qwen2-0.5B-Instruct-q4f32_1-ctx4k_cs1k-v0_2_86-webgpu.wasm \
 *   npx playwright test -c tests/playwright.config.ts --grep @real-model
 * Without them it is skipped at once (no build, no server), so it is safe in every `npm test`.
 *
 * The app and the model share one origin (a static server on 127.0.0.1), laid out as web-llm reads
 * custom models: weights under /models/<id>/resolve/main/ (web-llm appends "resolve/main/" to a model
 * URL that lacks "/resolve/<branch>/"), the library under /libs/.
 */
import { test, type Page } from './helpers/test.ts';
import { dirname } from 'node:path';
import { startStaticServer, type StaticServer } from '../../scripts/staticServer.ts';
import { buildProductionApp, type BuiltApp } from './realModel/buildProductionApp.ts';
import { readRealModelConfig, type RealModelConfig } from './realModel/realModelConfig.ts';
import { runSmokeTest } from './realModel/runSmokeTest.ts';

const TITLE = 'a local model loads, calls calculate for 23 × 19 and answers @real-model';

const setup = readRealModelConfig();
if (setup.run) defineRealModelTest(setup.config);
else {
  test(TITLE, () => {
    // The list reporter does not show skip reasons; the test's stdout it does.
    console.log(setup.reason);
    test.skip(true, setup.reason);
  });
}

function defineRealModelTest(config: RealModelConfig): void {
  let app: BuiltApp | undefined;
  let server: StaticServer | undefined;

  test.beforeAll(async () => {
    test.setTimeout(10 * 60_000); // a full production build on two shared cores
    app = await buildProductionApp();
    server = await startStaticServer([
      { prefix: `/models/${config.modelId}/resolve/main/`, dir: config.modelDir },
      { prefix: '/libs/', dir: dirname(config.modelLib) },
      { prefix: '/', dir: app.dir },
    ]);
  });

  test.afterAll(async () => {
    await server?.close();
    await app?.remove();
  });

  test(TITLE, async ({ page }) => {
    test.slow();
    test.setTimeout(config.budgetMs); // after slow(): this is the whole budget, not tripled
    if (!server) throw new Error('The static server did not start (see beforeAll).');
    const origin = server.url('127.0.0.1');
    const logs = recordConsole(page);
    try {
      await runSmokeTest(page, origin, config);
    } finally {
      await test.info().attach('browser console', { body: logs.join('\n'), contentType: 'text/plain' });
      if (server.notFound.length > 0)
        test.info().annotations.push({ type: 'not found', description: server.notFound.join(', ') });
    }
  });
}

function recordConsole(page: Page): string[] {
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  return logs;
}
