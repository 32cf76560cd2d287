/**
 * Builds the PRODUCTION app (real web-llm worker, not the e2e engine double) into a temporary folder.
 * The e2e bundle (the one on CALLAMA_E2E_PORT) cannot be used: vite.config.ts swaps src/engine/createEngine.ts for the
 * scripted double in `--mode e2e`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export class AppBuildError extends Error {
  override name = 'AppBuildError';
  constructor(
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    // The tail is where vite prints the failing module.
    super(`The production build failed (exit ${exitCode}):\n${output.slice(-4000)}`);
  }
}

export interface BuiltApp {
  dir: string;
  remove(): Promise<void>;
}

/** @throws AppBuildError when vite exits with an error */
export async function buildProductionApp(): Promise<BuiltApp> {
  const dir = await mkdtemp(join(tmpdir(), 'callama-real-model-'));
  const args = ['vite', 'build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'];
  let output = '';
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('npx', args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  const remove = () => rm(dir, { recursive: true, force: true });
  if (exitCode !== 0) {
    await remove();
    throw new AppBuildError(exitCode, output);
  }
  return { dir, remove };
}
