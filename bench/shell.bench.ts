/**
 * `tsx bench/shell.bench.ts` (part of `npm run bench`): what a visitor pays before any model.
 *
 * 1. Builds the production app (`vite build`).
 * 2. Size: the JS and CSS index.html loads up front — its entry script, stylesheets and modulepreloads,
 *    plus every chunk those import statically — gzipped (level 9, what static hosts precompress with),
 *    against the 150 KB target. The worker chunk (started by `new Worker(new URL(…))`, only when a
 *    model loads) and lazily imported chunks (`import()`) are not followed, so they do not count.
 * 3. Time to interactive: the build served as `npm start` serves it (scripts/serveBuild.ts: plain files
 *    with the `_headers` a static host would send) on a free port, headless Chromium, a fresh browser
 *    context per run (cold cache, no service worker); time from navigation start to the first enabled
 *    <button>, recorded in the page by a 2 ms poll. One untimed load first: a static host is warm, while
 *    a server just started is not (its first responses wait on Node compiling its own code). Median of
 *    9 runs. Not `vite preview`: it gzips every response as it sends it, on the same two cores the
 *    browser is starting on, which a static host (files compressed once, on its own machines) does
 *    not; interleaved loads of one build took a median of ~35 ms longer from it.
 * Writes bench/results/shell.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { round, table } from './lib/measure.ts';
import { freePort, waitForHttp } from '../scripts/localHttp.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const TARGET_KB = 150;
const RUNS = 9;
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Static `import … from "x"`, `import "x"` and `export … from "x"` in built (minified) code; never `import("x")`. */
const STATIC_IMPORT =
  /(?:^|[;\n}])\s*(?:import\s*(?:[\w$*{}\s,]+?\s*from\s*)?|export\s*[\w$*{}\s,]*?\s*from\s*)["']([^"']+)["']/g;

export function staticImports(code: string): string[] {
  return [...code.matchAll(STATIC_IMPORT)].map((m) => m[1] ?? '').filter((s) => s.startsWith('.') || s.startsWith('/'));
}

/** The files index.html loads before any user action, as paths relative to dist/. */
export function initialAssets(html: string, readJs: (path: string) => string): { js: string[]; css: string[] } {
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}=["']([^"']+)["']`).exec(tag)?.[1];
  const clean = (p: string) => posix.normalize(p.replace(/^\.?\//, ''));
  const js = new Set<string>();
  const css = new Set<string>();
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    if (tag.startsWith('<script')) {
      // Module entry, or a classic script such as the service-worker registration.
      const src = attr(tag, 'src');
      if (src) js.add(clean(src));
    } else if (/rel=["']modulepreload["']/.test(tag)) {
      const href = attr(tag, 'href');
      if (href) js.add(clean(href));
    } else if (/rel=["']stylesheet["']/.test(tag)) {
      const href = attr(tag, 'href');
      if (href) css.add(clean(href));
    }
  }
  const queue = [...js];
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    for (const spec of staticImports(readJs(file))) {
      const dep = spec.startsWith('/') ? clean(spec) : posix.normalize(posix.join(posix.dirname(file), spec));
      if (!js.has(dep) && dep.endsWith('.js')) {
        js.add(dep);
        queue.push(dep);
      }
    }
  }
  return { js: [...js].sort(), css: [...css].sort() };
}

function gzipKb(files: string[]): number {
  return files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0) / 1024;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

async function timeToInteractive(url: string): Promise<number[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const times: number[] = [];
  try {
    // Run -1 warms the server and is not timed.
    for (let i = -1; i < RUNS; i++) {
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.addInitScript(() => {
        const w = window as Window & { __tti?: number };
        // Polled: a MutationObserver set up this early saw no mutations in Chromium. A timer runs as
        // soon as the main thread is free, which is when the page first responds to input anyway.
        const timer = setInterval(() => {
          if (!document.querySelector('button:not([disabled])')) return;
          w.__tti = performance.now();
          clearInterval(timer);
        }, 2);
      });
      await page.goto(url, { waitUntil: 'commit' });
      const tti = await page.waitForFunction(() => (window as Window & { __tti?: number }).__tti, undefined, {
        timeout: 30_000,
      });
      if (i >= 0) times.push(round(Number(await tti.jsonValue()), 1));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return times;
}

async function main(): Promise<void> {
  console.log('Building the production app (vite build)…');
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    { cwd: root, stdio: 'inherit' },
  );
  if (build.status !== 0) throw new Error(`vite build failed (exit ${build.status})`);

  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const assets = initialAssets(html, (f) => readFileSync(join(dist, f), 'utf8'));
  const jsKb = gzipKb(assets.js);
  const cssKb = gzipKb(assets.css);
  const totalKb = jsKb + cssKb;

  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const server = spawn(
    process.execPath,
    [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/serveBuild.ts'), dist, String(port)],
    { cwd: root, stdio: 'ignore' },
  );
  let times: number[];
  try {
    await waitForHttp(url, 30_000);
    times = await timeToInteractive(url);
  } finally {
    server.kill();
  }
  const ttiMs = median(times);

  console.log(`\nLoaded before any model: ${assets.js.length} JS file(s), ${assets.css.length} CSS file(s)`);
  for (const f of [...assets.js, ...assets.css]) console.log(`  ${f}`);
  console.log(
    `\n${table(
      ['', 'gzip KB', `target ${TARGET_KB} KB`],
      [
        ['JS', round(jsKb), ''],
        ['CSS', round(cssKb), ''],
        ['total', round(totalKb), totalKb <= TARGET_KB ? 'within' : 'OVER'],
      ],
    )}`,
  );
  console.log(
    `\nTime to interactive (navigation start → first enabled button), ${RUNS} cold runs: ${times.join(', ')} ms; median ${ttiMs} ms`,
  );

  const out = join(root, 'bench/results/shell.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        targetKb: TARGET_KB,
        gzipLevel: 9,
        js: { files: assets.js, gzipKb: round(jsKb) },
        css: { files: assets.css, gzipKb: round(cssKb) },
        totalGzipKb: round(totalKb),
        withinTarget: totalKb <= TARGET_KB,
        timeToInteractiveMs: { median: ttiMs, runs: times },
      },
      null,
      2,
    )}\n`,
  );
  console.log('\nwrote bench/results/shell.json');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
