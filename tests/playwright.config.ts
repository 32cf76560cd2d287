import { defineConfig } from '@playwright/test';

// The browser tests run against a production-like build in which the engine is the scripted test
// double (see vite.config.ts), in Debian's Chromium with WebGPU on SwiftShader.
// Overridable so that several checkouts or sessions can run the browser tests side by side.
const port = Number(process.env.CALLAMA_E2E_PORT ?? 4317);
const outDir = process.env.CALLAMA_E2E_OUT_DIR ?? 'dist-e2e';
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Spec files run side by side in two workers (each test has its own browser context, and specs that
  // need their own server start one on a free port); the tests of one file run in order.
  fullyParallel: false,
  workers: Number(process.env.CALLAMA_E2E_WORKERS ?? 2),
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}/`,
    trace: 'off',
    launchOptions: {
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--enable-unsafe-webgpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  // Built with the Content-Security-Policy, and served with its `_headers` (not `vite preview`, which
  // sends none), so header-only directives are live. The widget may be framed by http://localhost
  // pages on any port (the host-page fixtures); 127.0.0.1 pages may not (tests/e2e/csp.spec.ts). Custom
  // models may also come from https://models.example, the deployment's own model host in the tests.
  webServer: {
    command: `npx vite build --mode e2e --logLevel warn && npx tsx scripts/serveBuild.ts ${outDir} ${port}`,
    env: { CALLAMA_EMBED_ORIGINS: 'http://localhost:*', CALLAMA_MODEL_HOSTS: 'https://models.example' },
    cwd: '..',
    url: `http://localhost:${port}/`,
    timeout: 180_000,
    reuseExistingServer: false,
  },
});
