/**
 * Issue 6 §1, privacy: nothing leaves the browser but model downloads. A whole session — load a
 * model, chat with a function call, create and run a user function in the sandbox, open the embed
 * widget in a host page on another origin — with every request of the browser context recorded
 * (pages, iframes, the engine and sandbox workers, the service worker as far as Playwright reports
 * it). The only hosts asked are the app's own and the test's host page. The engine is the scripted
 * double, so no model download happens here; the model hosts are covered by the Content-Security-
 * Policy (tests/unit/security/) and its runtime narrowing.
 *
 * A request blocked by the policy never reaches the network, so it is not recorded here, but the
 * automatic CSP fixture (helpers/test.ts) fails the test on it; a request the policy lets through
 * (another loopback port, say) is recorded and fails the host check. Either way a stray request fails.
 */
import { test, expect } from './helpers/test.ts';
import { APP_ORIGIN } from './helpers/origin.ts';
import { fileURLToPath } from 'node:url';
import { answerSettled, lastAnswer, openAndLoad, scriptEngine, send, toolCall } from './chatFixtures.ts';
import { startStaticServer, type StaticServer } from '../../scripts/staticServer.ts';
import { startMcpTestServer, type McpTestServer } from '../doubles/mcpTestServer.ts';

const fixtures = fileURLToPath(new URL('../fixtures/embed/', import.meta.url));
let hostPages: StaticServer;
let toolServer: McpTestServer;

test.beforeAll(async () => {
  hostPages = await startStaticServer([{ prefix: '/', dir: fixtures }]);
  toolServer = await startMcpTestServer();
});
test.afterAll(async () => {
  await Promise.all([hostPages.close(), toolServer.close()]);
});

test('a full session asks no host but the app, the embedding page and the tool server the user added', async ({
  page,
  context,
  baseURL,
}) => {
  const requested = new Map<string, string>(); // origin → first URL seen
  const record = (url: string) => {
    if (!/^https?:/.test(url)) return; // data:, blob: and about: never touch the network
    const origin = new URL(url).origin;
    if (!requested.has(origin)) requested.set(origin, url);
  };
  context.on('request', (request) => record(request.url()));
  context.on('requestfailed', (request) => record(request.url()));

  // The first rule that matches the prompt answers; later turns' prompts hold the earlier turns too.
  await scriptEngine(page, [
    { match: '<tool_response>[\\s\\S]*"sum":42', reply: 'The server says 42.' },
    { match: 'user(?:: |\\n)Add 40', reply: toolCall('calc__add', { a: 40, b: 2 }) },
    { match: '<tool_response>[\\s\\S]*HELLO', reply: 'It shouts HELLO.' },
    { match: 'user(?:: |\\n)Shout hello', reply: toolCall('shout', { text: 'hello' }) },
    { match: '<tool_response>[\\s\\S]*437', reply: '23 × 19 = 437.' },
    { match: 'user(?:: |\\n)What is 23', reply: toolCall('calculate', { expression: '23*19' }) },
    { match: '4217', reply: 'ACME trades at 4217 dollars.' },
    { match: 'price of ACME', reply: toolCall('get_stock', { symbol: 'ACME' }) },
  ]);

  // 1. Load a model and chat with a built-in function call.
  await openAndLoad(page);
  await send(page, 'What is 23*19?');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('message-text').last()).toHaveText('23 × 19 = 437.');

  // 2. A user function, saved and run in the sandbox.
  await page.getByTestId('open-functions').click();
  await page.getByTestId('add-function').click();
  const editor = page.getByTestId('function-editor');
  await editor.getByLabel('Definition (JSON)').fill(
    JSON.stringify({
      name: 'shout',
      description: 'Upper-cases a text.',
      parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    }),
  );
  await editor.getByLabel('JavaScript body').fill('return args.text.toUpperCase();');
  await editor.getByRole('button', { name: 'Save function' }).click();
  await expect(page.locator('[data-testid="user-function"][data-name="shout"]')).toBeVisible();
  await page.keyboard.press('Escape');
  await send(page, 'Shout hello');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('result-card')).toContainText('HELLO');
  await expect(lastAnswer(page)).toContainText('It shouts HELLO.');

  // 3. A tool server the user adds (MCP): it is asked, and only with the call's arguments.
  await page.getByTestId('open-settings').click();
  const servers = page.getByTestId('tool-servers');
  await servers.getByLabel('Server address').fill(toolServer.url('tools'));
  await servers.getByLabel('Name (optional)').fill('calc');
  await servers.getByTestId('add-tool-server').click();
  await expect(servers.getByTestId('tool-server')).toHaveAttribute('data-status', 'connected');
  await page.keyboard.press('Escape');
  await send(page, 'Add 40 and 2');
  await lastAnswer(page).getByTestId('consent-allow').click();
  await answerSettled(page);
  await expect(lastAnswer(page)).toContainText('The server says 42.');
  // What the server got: the handshake, the tool list and the call, nothing of the conversation.
  expect(toolServer.requests.map((r) => r.rpc).filter(Boolean)).toEqual([
    'initialize',
    'notifications/initialized',
    'tools/list',
    'tools/call',
  ]);
  const call = toolServer.requests.find((r) => r.rpc === 'tools/call');
  expect(JSON.parse(call?.params ?? 'null')).toMatchObject({ name: 'add', arguments: { a: 40, b: 2 } });
  const sent = toolServer.requests.map((r) => r.params ?? '').join('\n');
  for (const said of ['Add 40', 'What is 23', 'Shout', 'HELLO', '437']) expect(sent).not.toContain(said);

  // 4. The widget, framed by a host page on another origin, calling the host's function.
  await page.goto(`${hostPages.url()}/host.html?widget=${encodeURIComponent(APP_ORIGIN)}`);
  const widget = page.frameLocator('iframe[title="Callama chat assistant"]');
  await expect(widget.getByTestId('embed-host-functions')).toHaveText('get_stock');
  await widget.getByTestId('embed-input').fill('What is the price of ACME?');
  await widget.getByTestId('embed-input').press('Enter');
  await expect(widget.getByTestId('assistant-message').last()).toHaveText('ACME trades at 4217 dollars.');

  const app = new URL(baseURL ?? '').origin;
  expect(
    [...requested.keys()].sort(),
    `first request per origin: ${JSON.stringify(Object.fromEntries(requested))}`,
  ).toEqual([app, hostPages.url(), toolServer.origin].sort());
});
