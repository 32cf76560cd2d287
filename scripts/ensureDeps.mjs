// Installs the npm dependencies when they are missing or older than package-lock.json.
// Uses only Node built-ins: it runs before anything from node_modules can be imported.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export function ensureDeps() {
  const marker = 'node_modules/.package-lock.json';
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync('package-lock.json').mtimeMs;
  if (fresh) return;
  // `npm install` installs the locked versions. The lock lists every platform's optional packages
  // (rollup's native builds for macOS, Windows, musl…), so `npm ci` works on any OS too, and this
  // install leaves package-lock.json as committed (a fresh clone stays clean after `npm test`).
  console.log('› Installing npm dependencies (npm install, versions from package-lock.json)…');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('✗ npm install failed; see the output above.');
    process.exit(r.status ?? 1);
  }
}
