// `npm test`: install what is missing (npm packages and a Chromium), then type-check, lint, run the
// unit tests and the browser tests. Stops at the first failing stage and passes its exit code on, and
// prints how long it took.
import { spawnSync } from 'node:child_process';
import { ensureDeps } from './ensureDeps.mjs';
import { ensureChromium } from './ensureChromium.mjs';
import { rmSync } from 'node:fs';
import { reliabilityReport } from './reliabilityReport.mjs';

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 60_000).toFixed(1)} min`;

ensureDeps();
const chromium = ensureChromium();
const env = { ...process.env, CHROMIUM_PATH: chromium };

// The hardening tests record what they fuzzed and injected; start from nothing so old runs do not count.
rmSync(new URL('../reports/reliability/', import.meta.url), { recursive: true, force: true });

const stages = [
  ['Type check', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'human']],
  ['Lint', ['eslint', '.']],
  ['Format', ['prettier', '--check', '.']],
  ['Unit tests', ['vitest', 'run']],
  ['Browser tests', ['playwright', 'test', '-c', 'tests/playwright.config.ts']],
];
for (const [title, args] of stages) {
  console.log(`\n› ${title}: ${args.join(' ')}`);
  const r = spawnSync('npx', args, { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`✗ ${title} failed (after ${elapsed()}).`);
    process.exit(r.status ?? 1);
  }
}
console.log(`\n${reliabilityReport()}`);
console.log(`\n✓ All checks passed in ${elapsed()}.`);
