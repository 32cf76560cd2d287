/**
 * Serves a build directory on a fixed port with the headers of its `_headers` file, as a static host
 * would, so the whole Content-Security-Policy is on, header-only directives included (`vite preview`
 * sends none). Used by `npm start` and by the browser tests' web server (tests/playwright.config.ts).
 *
 * Usage: tsx scripts/serveBuild.ts <dir> <port>
 */
import { resolve } from 'node:path';
import { startStaticServer } from './staticServer.ts';

const [dir, port] = process.argv.slice(2);
if (!dir || !port || !Number.isInteger(Number(port))) {
  console.error('usage: serveBuild.ts <dir> <port>');
  process.exit(2);
}
const server = await startStaticServer([{ prefix: '/', dir: resolve(dir) }], Number(port));
console.log(`serving ${dir} on ${server.url()}`);
