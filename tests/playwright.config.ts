import { defineConfig } from '@playwright/test';

// The browser tests run against a production-like build in which the engine is the scripted test
// double (see vite.config.ts), in Debian's Chromium with WebGPU on SwiftShader.
const port = 4317;
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
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
  webServer: {
    command: `npx vite build --mode e2e --logLevel warn && npx vite preview --mode e2e --outDir dist-e2e --port ${port} --strictPort`,
    cwd: '..',
    url: `http://localhost:${port}/`,
    timeout: 180_000,
    reuseExistingServer: false,
  },
});
