/**
 * `npm run bench [-- --model-dir <folder> --model-lib <.wasm>]`: every benchmark in turn — core
 * (prompt + parse speed), recovery (answers the parser saves), shell (bundle size and time to
 * interactive), generation (Callama vs bare web-llm; skipped without a local model). Each runs in its
 * own process so one failure does not hide the others; the exit code says whether any failed.
 * Results are written under bench/results/.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const extra = process.argv.slice(2);
const benches: Array<{ name: string; file: string; args?: string[] }> = [
  { name: 'core', file: 'bench/core.bench.ts' },
  { name: 'recovery', file: 'bench/recovery.bench.ts' },
  { name: 'shell', file: 'bench/shell.bench.ts' },
  { name: 'generation', file: 'bench/generation.bench.ts', args: extra },
];

const outcomes: Array<[string, string]> = [];
for (const bench of benches) {
  console.log(`\n=== ${bench.name} (${bench.file}) ===\n`);
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [join(root, 'node_modules/tsx/dist/cli.mjs'), bench.file, ...(bench.args ?? [])],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  outcomes.push([bench.name, run.status === 0 ? `ok (${seconds} s)` : `FAILED (exit ${run.status ?? run.signal})`]);
}

console.log('\n=== summary ===');
for (const [name, outcome] of outcomes) console.log(`${name.padEnd(12)} ${outcome}`);
if (outcomes.some(([, o]) => o.startsWith('FAILED'))) process.exitCode = 1;
