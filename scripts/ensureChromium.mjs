// Finds a Chromium for the browser tests: $CHROMIUM_PATH, else /usr/bin/chromium, else installs
// Debian's package when running as root. Playwright's own browser download cannot work offline,
// so it is never attempted.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export function ensureChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    fail(`CHROMIUM_PATH is set to ${fromEnv}, but no file is there.`);
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  if (process.getuid?.() === 0) {
    console.log('› Installing Chromium for the browser tests (apt-get install -y chromium)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install =
      update.status === 0
        ? spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env })
        : update;
    if (install.status === 0 && existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
    fail('apt-get could not install chromium (see above).');
  }
  fail('No Chromium found.');
}

function fail(why) {
  console.error(`✗ ${why}
  The browser tests need Chromium. Either:
    - install it: sudo apt-get install -y chromium   (Debian/Ubuntu; gives /usr/bin/chromium), or
    - point CHROMIUM_PATH at a Chromium or Chrome binary: CHROMIUM_PATH=/path/to/chrome npm test`);
  process.exit(1);
}
