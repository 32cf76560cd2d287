// `npm start`: install what is missing, build, and serve the built app on localhost.
import { spawnSync, spawn } from 'node:child_process';
import { ensureDeps } from './ensureDeps.mjs';

ensureDeps();
console.log('› Building…');
const build = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const port = process.env.PORT ?? '4173';
console.log(
  `› Serving dist/ with its _headers (the full Content-Security-Policy) — open http://localhost:${port}/ in a WebGPU browser (Chrome, Edge; Ctrl+C stops).`,
);
const server = spawn('npx', ['tsx', 'scripts/serveBuild.ts', 'dist', port], { stdio: 'inherit' });
server.on('exit', (code) => process.exit(code ?? 0));
