// `npm test`: install what is missing (npm packages and a Chromium), then type-check, lint, check the
// formatting, run the unit tests and the browser tests, and print how long it took.
//
// The first four stages run in two lanes side by side: each stage uses one core (ESLint, svelte-check
// and Prettier are single-threaded; vitest runs its files in one worker on two cores), so two lanes
// keep a two-core machine busy where one stage after another would leave a core idle. A lane's output
// is printed as a block when its stage ends, headed by the stage's name. A failing stage stops its
// lane; once both lanes are done, every failure is listed with its name and exit code, and `npm test`
// exits with the first failure's code. The browser tests come last: they need both cores.
import { spawn, spawnSync } from 'node:child_process';
import { ensureDeps } from './ensureDeps.mjs';
import { ensureChromium } from './ensureChromium.mjs';
import { rmSync } from 'node:fs';
import { reliabilityReport } from './reliabilityReport.mjs';

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 60_000).toFixed(1)} min`;
const seconds = (since) => `${Math.round((performance.now() - since) / 1000)} s`;

ensureDeps();
const chromium = ensureChromium();
// Output goes through a pipe while a lane runs; keep the colours a terminal would get.
const env = { ...process.env, CHROMIUM_PATH: chromium, ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}) };

// The hardening tests record what they fuzzed and injected; start from nothing so old runs do not count.
rmSync(new URL('../reports/reliability/', import.meta.url), { recursive: true, force: true });

const typeCheck = [
  'Type check',
  ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'human'],
];
const lint = ['Lint', ['eslint', '.']];
const format = ['Format', ['prettier', '--check', '.']];
const unit = ['Unit tests', ['vitest', 'run']];
const browser = ['Browser tests', ['playwright', 'test', '-c', 'tests/playwright.config.ts']];

/** Runs one stage with its output collected, then prints it as one block; resolves to its exit code. */
function runCollected([title, args]) {
  const since = performance.now();
  console.log(`› ${title} started: ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn('npx', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code, signal) => {
      const status = code ?? 1;
      console.log(`\n› ${title}: ${args.join(' ')}`);
      process.stdout.write(Buffer.concat(output));
      const how = status === 0 ? '✓ passed' : `✗ failed (${signal ? `killed by ${signal}` : `exit code ${status}`})`;
      console.log(`${how}: ${title}, in ${seconds(since)}.`);
      resolve({ title, status });
    });
  });
}

/** Runs stages one after another; stops at the first that fails. */
async function lane(stages) {
  for (const stage of stages) {
    const result = await runCollected(stage);
    if (result.status !== 0) return result;
  }
  return { status: 0 };
}

const failures = (await Promise.all([lane([lint, typeCheck, format]), lane([unit])])).filter((r) => r.status !== 0);
if (failures.length > 0) {
  for (const { title, status } of failures) console.error(`✗ ${title} failed with exit code ${status}.`);
  console.error(`(after ${elapsed()})`);
  process.exit(failures[0].status);
}

{
  const [title, args] = browser;
  console.log(`\n› ${title}: ${args.join(' ')}`);
  const r = spawnSync('npx', args, { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`✗ ${title} failed with exit code ${r.status ?? 1} (after ${elapsed()}).`);
    process.exit(r.status ?? 1);
  }
}
console.log(`\n${reliabilityReport()}`);
console.log(`\n✓ All checks passed in ${elapsed()}.`);
