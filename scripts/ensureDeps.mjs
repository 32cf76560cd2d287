// Installs the npm dependencies when they are missing or older than package-lock.json.
// Uses only Node built-ins: it runs before anything from node_modules can be imported.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export function ensureDeps() {
  const marker = 'node_modules/.package-lock.json';
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync('package-lock.json').mtimeMs;
  if (fresh) return;
  // `npm install`, not `npm ci`: it installs the locked versions all the same, but tolerates optional
  // platform packages (e.g. rollup's non-Linux builds) that a registry mirror may not carry, which
  // `npm ci` rejects as "missing from lock file".
  console.log('› Installing npm dependencies (npm install, versions from package-lock.json)…');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('✗ npm install failed; see the output above.');
    process.exit(r.status ?? 1);
  }
}
