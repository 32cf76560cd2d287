import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { test, expect, type Page } from './helpers/test.ts';
import ts from 'typescript';
import type { FunctionSandbox } from '../../src/functions/sandbox/FunctionSandbox.ts';

/**
 * Drives the real FunctionSandbox (src/functions/sandbox) against the real public/sandbox.html served
 * by the e2e build. The production bundle exposes nothing for tests, so the sandbox's own TypeScript
 * modules are served to a blank same-origin host page at /__src/… (transpiled on the fly) and imported
 * there. The full editor flow is tested with the UI.
 */
const srcRoot = fileURLToPath(new URL('../../src/', import.meta.url));
const HOST = '__sandbox-host.html';
const MODULE = '/__src/functions/sandbox/FunctionSandbox.ts';

type Outcome = { ok: true; value: unknown } | { ok: false; name: string; message: string; errorName?: string };
type Win = Window & { sandbox?: FunctionSandbox };

async function openHost(page: Page): Promise<void> {
  await page.route(`**/${HOST}`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><html><head><title>host</title></head><body></body></html>',
    }),
  );
  await page.route('**/__src/**', async (route) => {
    const path = new URL(route.request().url()).pathname.replace(/^\/__src\//, '');
    const source = await readFile(`${srcRoot}${path}`, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
    });
    await route.fulfill({ contentType: 'text/javascript', body: outputText });
  });
  await page.goto(`./${HOST}`);
  await page.evaluate(async (url) => {
    const { FunctionSandbox: Sandbox } = (await import(url)) as { FunctionSandbox: typeof FunctionSandbox };
    (window as Win).sandbox = new Sandbox({ timeoutMs: 2_000 });
  }, MODULE);
}

/** Runs user code in the page's sandbox and reports the outcome as plain data. */
function run(page: Page, code: string, args: Record<string, unknown> = {}, timeoutMs?: number): Promise<Outcome> {
  return page.evaluate(
    async ({ code, args, timeoutMs }) => {
      const sandbox = (window as Win).sandbox;
      if (!sandbox) throw new Error('no sandbox');
      try {
        return { ok: true as const, value: await sandbox.run(code, args, timeoutMs ? { timeoutMs } : {}) };
      } catch (e) {
        const error = e as Error & { errorName?: string };
        return { ok: false as const, name: error.name, message: error.message, errorName: error.errorName };
      }
    },
    { code, args, timeoutMs },
  );
}

test.beforeEach(async ({ page }) => {
  await openHost(page);
});

test('runs a function body with its arguments, including async code', async ({ page }) => {
  expect(await run(page, 'return args.a * args.b;', { a: 23, b: 19 })).toEqual({ ok: true, value: 437 });
  expect(await run(page, 'await new Promise((r) => setTimeout(r, 10)); return { list: [1, "two"], n: null };')).toEqual(
    {
      ok: true,
      value: { list: [1, 'two'], n: null },
    },
  );
  // One frame, reused across calls, scripts only.
  const frames = await page.locator('iframe').evaluateAll((els) => els.map((el) => el.getAttribute('sandbox')));
  expect(frames).toEqual(['allow-scripts']);
});

test('errors come back readable, with their name', async ({ page }) => {
  expect(await run(page, 'null.x;')).toMatchObject({
    ok: false,
    name: 'UserCodeError',
    errorName: 'TypeError',
    message: expect.stringMatching(/^TypeError: Cannot read properties of null/),
  });
  expect(await run(page, 'throw "plain text";')).toMatchObject({ ok: false, message: 'Error: plain text' });
  expect(await run(page, 'return () => 1;')).toMatchObject({
    ok: false,
    errorName: 'DataCloneError',
    message: expect.stringContaining('cannot be copied out of the sandbox'),
  });
});

test('compile checks syntax without running the code', async ({ page }) => {
  const results = await page.evaluate(async () => {
    const sandbox = (window as Win).sandbox;
    if (!sandbox) throw new Error('no sandbox');
    return [
      await sandbox.compile('throw new Error("ran");'),
      await sandbox.compile('return (1 +;'),
      await sandbox.compile('return await 1;'),
      // Parses as a script once wrapped, but not as a function body: no position, and nothing ran.
      await sandbox.compile('}); throw new Error("escaped"); (async function () {'),
    ];
  });
  expect(results).toEqual([
    { ok: true },
    // Where the error is, in the user's own code (the `;`), found by the sandbox (issue 13).
    { ok: false, message: expect.stringMatching(/^SyntaxError: /), position: { line: 1, column: 12, atEnd: false } },
    { ok: true },
    { ok: false, message: expect.stringMatching(/^SyntaxError: /) },
  ]);
});

test("user code cannot open the app's IndexedDB", async ({ page }) => {
  // The host (the app's origin) has a database with data in it.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('callama-secret', 1);
        request.onupgradeneeded = () => request.result.createObjectStore('s').put('secret', 'k');
        request.onsuccess = () => {
          request.result.close();
          resolve();
        };
        request.onerror = () => reject(request.error ?? new Error('open failed'));
      }),
  );
  const attempt = await run(
    page,
    `
    const request = indexedDB.open('callama-secret');
    return await new Promise((resolve, reject) => {
      request.onsuccess = () => resolve('opened');
      request.onerror = () => reject(request.error);
    });`,
  );
  expect(attempt).toMatchObject({
    ok: false,
    errorName: 'SecurityError',
    message: expect.stringMatching(/^SecurityError: .*denied/),
  });
  expect(await run(page, 'return self.origin;')).toEqual({ ok: true, value: 'null' });
});

test('user code cannot reach the network: the CSP blocks it', async ({ page }) => {
  const url = new URL('sandbox.html', page.url()).href;
  // Control: the same request from the app's page works.
  expect(await page.evaluate(async (u) => (await fetch(u)).status, url)).toBe(200);
  const blocked = await run(
    page,
    `
    const violation = new Promise((resolve) => self.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective)));
    const outcome = await fetch(args.url).then((r) => 'status ' + r.status, (e) => e.name);
    return [outcome, await violation];`,
    { url },
  );
  expect(blocked).toEqual({ ok: true, value: ['TypeError', 'connect-src'] });
});

test('an endless loop times out without freezing the app, and the sandbox recovers', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const sandbox = (window as Win).sandbox;
    if (!sandbox) throw new Error('no sandbox');
    let ticks = 0;
    const interval = setInterval(() => {
      ticks += 1;
    }, 20);
    const error = await sandbox.run('for (;;) {}', {}, { timeoutMs: 600 }).then(
      () => null,
      (e: unknown) => (e instanceof Error ? e.name : String(e)),
    );
    clearInterval(interval);
    return { error, ticks };
  });
  // The loop ended by the sandbox's own time limit (its typed error), and never held the page.
  expect(result.error).toBe('SandboxTimeoutError');
  expect(result.ticks).toBeGreaterThan(10); // the page kept running while the loop spun
  expect(await run(page, 'return "alive";')).toEqual({ ok: true, value: 'alive' });
  await expect(page.locator('iframe')).toHaveCount(1);
});

test('an aborted call stops and the next call works', async ({ page }) => {
  const name = await page.evaluate(async () => {
    const sandbox = (window as Win).sandbox;
    if (!sandbox) throw new Error('no sandbox');
    const controller = new AbortController();
    const call = sandbox.run('for (;;) {}', {}, { signal: controller.signal, timeoutMs: 10_000 });
    setTimeout(() => controller.abort(), 100);
    return call.then(
      () => null,
      (e: unknown) => (e instanceof Error ? e.name : String(e)),
    );
  });
  expect(name).toBe('AbortError');
  expect(await run(page, 'return 1 + 1;')).toEqual({ ok: true, value: 2 });
});

test('the frame ignores a second handshake: only the first port is ever served', async ({ page }) => {
  await run(page, 'return 0;'); // connects the real port
  const answered = await page.evaluate(async () => {
    const frame = document.querySelector('iframe');
    if (!frame?.contentWindow) throw new Error('no frame');
    const channel = new MessageChannel();
    const replies: unknown[] = [];
    channel.port1.onmessage = (e) => replies.push(e.data);
    frame.contentWindow.postMessage({ type: 'callama-sandbox-connect' }, '*', [channel.port2]);
    channel.port1.postMessage({ kind: 'run', id: 'x', code: 'return 1;', args: {} });
    // The same code through the real port, sent after: the frame takes the messages in order and runs
    // both in that code's one worker, so a served second port would have had its answer first.
    const sandbox = (window as Win).sandbox;
    if (!sandbox) throw new Error('no sandbox');
    const real = await sandbox.run('return 1;', {});
    return { real, replies };
  });
  expect(answered).toEqual({ real: 1, replies: [] });
});

test("one function cannot observe another's arguments by patching intrinsics (issue 14)", async ({ page }) => {
  // A spy: patches what the runner and other functions use, and keeps every argument that passes through.
  const spy = `
    if (!globalThis.__kept) {
      const kept = [], call = Function.prototype.call, rapply = Reflect.apply, stringify = JSON.stringify;
      const keep = (v) => { try { kept.push(rapply(stringify, JSON, [v])); } catch {} };
      Function.prototype.call = function (thisArg, ...rest) { keep(rest); return rapply(call, this, [thisArg, ...rest]); };
      Reflect.apply = function (f, t, list) { keep(list); return rapply(f, t, list); };
      JSON.stringify = function (...a) { keep(a[0]); return rapply(stringify, JSON, a); };
      globalThis.__kept = () => kept.join('\\n');
    }
    return globalThis.__kept();
  `;
  expect(await run(page, spy)).toMatchObject({ ok: true });
  // Another function handles a secret the way functions do.
  expect(await run(page, 'return JSON.stringify(args).length;', { pin: 'SECRET-4711' })).toEqual({
    ok: true,
    value: 21,
  });
  // The spy runs again (its own realm, its patches still there) and reports what it kept.
  const kept = await run(page, spy);
  expect(kept.ok).toBe(true);
  expect(JSON.stringify(kept)).not.toContain('SECRET-4711');
});
