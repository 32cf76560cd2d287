/**
 * The user-function sandbox must only ever run code in an opaque origin. If another site could load
 * sandbox.html some other way — framed WITHOUT the sandbox attribute — the page would run in the app's
 * own origin, and the code that site sends could read the app's IndexedDB (conversations, notes) and
 * hand it back over the MessagePort. Two protections, each tested on its own:
 * - the `_headers` policy for sandbox.html (`sandbox allow-scripts; … frame-ancestors 'self'`), and
 * - for hosts that send no headers, the page itself refuses to serve unless its origin is opaque (it
 *   answers the handshake with a 'fatal' message and runs nothing).
 * The attacker page is served by a second local server, on another origin (http://127.0.0.1:P).
 */
import { fileURLToPath } from 'node:url';
import { test, expect, type Page } from './helpers/test.ts';
import { startStaticServer, type StaticServer } from '../../scripts/staticServer.ts';

let attacker: StaticServer;
test.beforeAll(async () => {
  attacker = await startStaticServer([
    { prefix: '/', dir: fileURLToPath(new URL('../fixtures/attacker/', import.meta.url)) },
  ]);
});
test.afterAll(async () => {
  await attacker.close();
});

/**
 * Opens the attacker page, which frames `sandboxUrl` (with or without the sandbox attribute), does the
 * sandbox handshake and asks it to run code that reports the frame's origin and whether it can open the
 * app's IndexedDB. Resolves with what the code returned, or 'refused' when the page answers the
 * handshake with its refusal; never resolves when no sandbox page runs in the frame.
 */
async function attack(page: Page, sandboxUrl: string, sandboxAttribute: boolean): Promise<string> {
  await page.goto(`${attacker.url('127.0.0.1')}/index.html`);
  return page.evaluate(
    async ({ url, sandboxed }) => {
      const frame = document.createElement('iframe');
      if (sandboxed) frame.setAttribute('sandbox', 'allow-scripts');
      frame.src = url;
      const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      document.body.append(frame);
      await loaded;
      const channel = new MessageChannel();
      const answer = new Promise<string>((resolve) => {
        channel.port1.onmessage = (event: MessageEvent) => {
          const data = event.data as { kind?: string; value?: unknown };
          if (data.kind === 'ready') {
            channel.port1.postMessage({
              kind: 'run',
              id: 'x',
              args: {},
              code: `let storage = 'no';
                try { await new Promise((ok, fail) => { const r = indexedDB.open('callama'); r.onsuccess = ok; r.onerror = () => fail(r.error); }); storage = 'yes'; } catch {}
                return self.origin + ' storage:' + storage;`,
            });
          } else if (data.kind === 'result') {
            resolve(String(data.value));
          } else if (data.kind === 'fatal') {
            resolve('refused');
          }
        };
      });
      frame.contentWindow?.postMessage({ type: 'callama-sandbox-connect' }, '*', [channel.port2]);
      return answer;
    },
    { url: sandboxUrl, sandboxed: sandboxAttribute },
  );
}

test('another site cannot frame sandbox.html at all (frame-ancestors in _headers)', async ({ page, csp }) => {
  const sandboxUrl = new URL('sandbox.html', test.info().project.use.baseURL).href;
  // Settles only if a sandbox page ran in the frame; the page closing at the end rejects it.
  let answer = 'no answer';
  attack(page, sandboxUrl, false).then(
    (a) => (answer = a),
    () => undefined,
  );
  await expect
    .poll(() =>
      csp
        .unexpected()
        .map((v) => v.text)
        .join('\n'),
    )
    .toMatch(/frame-ancestors/);
  csp.expectViolation(/frame-ancestors/);
  // The browser refused the response (the violation above), so no sandbox page runs in the frame.
  expect(answer).toBe('no answer');
  await expect(page.locator('iframe')).toHaveCount(1);
});

test('on a host without headers, sandbox.html framed without the sandbox attribute refuses to run code', async ({
  page,
}) => {
  // A static host that sends no headers: only the page's own <meta> policy and script protect it.
  await page.route('**/sandbox.html', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ status: response.status(), contentType: 'text/html', body: await response.text() });
  });
  const sandboxUrl = new URL('sandbox.html', test.info().project.use.baseURL).href;

  // Control: framed as the app frames it, the sandbox works, in an opaque origin without storage.
  expect(await attack(page, sandboxUrl, true)).toBe('null storage:no');
  // Framed without the attribute it would run in the app's origin: it refuses the handshake and runs nothing.
  expect(await attack(page, sandboxUrl, false)).toBe('refused');
});
