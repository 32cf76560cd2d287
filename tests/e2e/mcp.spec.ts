/**
 * Issue 15 §1: tools from MCP servers. Real servers built with the official SDK (tests/doubles/
 * mcpTestServer.ts) run on localhost ports of their own; the engine double scripts the model's calls.
 * One server serves every variant (tests/doubles/mcpTestServer.ts ENDPOINTS), another asks for OAuth
 * (mcpOAuthServer.ts), each on a free port; a third free port has nothing listening. Covered: adding a server and seeing its tools, switching one off (the prompt no longer lists it),
 * a call that asks first and names its server, its result fed back, "Always allow", a reload that
 * keeps all of it; failures (an isError result, a timeout, a connection dropped mid-call) as failed
 * result cards; servers that cannot be used (no CORS headers, a wrong path, nothing listening, a host
 * the site may not reach) with the reason; a hostile tool list refused tool by tool with reasons.
 */
import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from './helpers/test.ts';
import { answerSettled, lastAnswer, openAndLoad, scriptEngine, send, toolCall } from './chatFixtures.ts';
import { ENDPOINTS, startMcpTestServer, VAULT_TOKEN, type McpTestServer } from '../doubles/mcpTestServer.ts';
import { startMcpOAuthServer, type McpOAuthServer } from '../doubles/mcpOAuthServer.ts';
import { freePort } from '../../scripts/localHttp.ts';

test.use({ serviceWorkers: 'block' });

let servers: McpTestServer;
let oauth: McpOAuthServer;

test.beforeAll(async () => {
  servers = await startMcpTestServer();
  oauth = await startMcpOAuthServer();
});
test.afterAll(async () => {
  await Promise.all([servers.close(), oauth.close()]);
});

/** Requests that reached one endpoint. */
const requestsTo = (endpoint: keyof typeof ENDPOINTS) => servers.requests.filter((r) => r.path === ENDPOINTS[endpoint]);

/** Matches when `text` is in the prompt's last message (no user message after it). */
const last = (text: string) => `${text}(?![\\s\\S]*(?:\\n|>)user(?:: |\\n))`;

const rules = [
  { match: last('"sum":5'), reply: 'The sum is 5.' },
  { match: last('Order database unavailable'), reply: 'The order service is down.' },
  { match: last('did not answer within'), reply: 'The echo took too long.' },
  { match: last('connection to the server was lost'), reply: 'The server went away.' },
  { match: last('user(?:: |\\n)Add 2 and 3'), reply: toolCall('demo__add', { a: 2, b: 3 }) },
  { match: last('user(?:: |\\n)Find order'), reply: toolCall('demo__lookup_order', { id: '7' }) },
  { match: last('user(?:: |\\n)Echo slowly'), reply: toolCall('demo__slow_echo', { text: 'hi', ms: 4000 }) },
  { match: last('user(?:: |\\n)Drop it'), reply: toolCall('demo__drop_connection', {}) },
];

async function openSettings(page: Page) {
  await page.getByTestId('open-settings').click();
  return page.getByTestId('tool-servers');
}

async function addServer(page: Page, url: string, name = '') {
  const section = await openSettings(page);
  await section.getByLabel('Server address').fill(url);
  await section.getByLabel('Name (optional)').fill(name);
  await section.getByTestId('add-tool-server').click();
  return section;
}

/** The last prompt the engine double was given, as text. */
async function lastPrompt(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify(window.__CALLAMA_FAKE_LOG__?.at(-1) ?? null));
}

test('add a server, see and switch its tools, call one with consent, Always allow, and keep it all after a reload', async ({
  page,
}) => {
  await scriptEngine(page, rules);
  await openAndLoad(page);
  const section = await addServer(page, servers.url('tools'), 'demo');
  const server = section.getByTestId('tool-server');
  await expect(server).toHaveAttribute('data-status', 'connected');
  await expect(server.getByTestId('mcp-tool')).toHaveCount(4);
  const add = server.locator('[data-testid="mcp-tool"][data-name="demo__add"]');
  await expect(add).toContainText('Adds two numbers.');
  await add.getByText('Input schema').click();
  await expect(add.locator('pre')).toContainText('"first addend"');
  // Switch slow_echo off: the prompt no longer lists it.
  await server.getByRole('switch', { name: 'demo__slow_echo' }).uncheck();
  await page.keyboard.press('Escape');

  await send(page, 'Add 2 and 3');
  const answer = lastAnswer(page);
  const card = answer.getByTestId('call-card');
  await expect(card.getByTestId('consent-prompt')).toContainText('Run demo__add?');
  await expect(card.getByTestId('call-server')).toContainText(`Runs on tool server demo (${servers.url('tools')})`);
  const prompt = await lastPrompt(page);
  expect(prompt).toContain('demo__add');
  expect(prompt).toContain('demo__lookup_order');
  expect(prompt).not.toContain('demo__slow_echo');
  // Nothing was sent to the server before the OK.
  expect(requestsTo('tools').filter((r) => r.rpc === 'tools/call')).toHaveLength(0);
  await card.getByTestId('consent-always').click();
  await answerSettled(page);
  await expect(answer.getByTestId('result-card')).toContainText('2 + 3 = 5');
  await expect(answer.getByTestId('result-card')).toContainText('"sum": 5');
  await expect(answer).toContainText('The sum is 5.');
  expect(await lastPrompt(page)).toContain('2 + 3 = 5');

  // Always allowed: the next call runs without asking, also after a reload.
  await page.reload();
  await expect(page.getByTestId('composer-input')).toBeEnabled();
  const reopened = await openSettings(page);
  await expect(reopened.getByTestId('tool-server')).toHaveAttribute('data-status', 'connected');
  await expect(reopened.getByRole('switch', { name: 'demo__slow_echo' })).not.toBeChecked();
  await expect(reopened.getByRole('switch', { name: 'demo__add' })).toBeChecked();
  await page.keyboard.press('Escape');
  await send(page, 'Add 2 and 3 again');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('consent-prompt')).toHaveCount(0);
  await expect(lastAnswer(page)).toContainText('The sum is 5.');
  expect(requestsTo('tools').filter((r) => r.rpc === 'tools/call')).toHaveLength(2);

  // Removing the server takes its tools out of the prompt and forgets "Always allow" for them.
  const again = await openSettings(page);
  await again.getByRole('button', { name: 'Remove demo' }).click();
  await expect(again.getByTestId('tool-server')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await page.getByTestId('open-functions').click();
  await expect(page.getByTestId('always-allowed-item')).toHaveCount(0);
});

test('an isError result, a timeout and a connection dropped mid-call become failed result cards', async ({ page }) => {
  await scriptEngine(page, rules);
  await openAndLoad(page);
  const section = await addServer(page, servers.url('tools'), 'demo');
  await expect(section.getByTestId('tool-server')).toHaveAttribute('data-status', 'connected');
  await section.getByTestId('tool-server-timeout').fill('1');
  await section.getByTestId('tool-server-timeout').press('Enter');
  await page.keyboard.press('Escape');

  await send(page, 'Find order 7');
  await lastAnswer(page).getByTestId('consent-allow').click();
  await answerSettled(page);
  const failed = lastAnswer(page).getByTestId('result-card');
  await expect(failed).toHaveAttribute('data-ok', 'false');
  await expect(failed).toContainText('the server reported an error: Order database unavailable (order 7).');
  await expect(lastAnswer(page).getByTestId('call-card')).toContainText('Failed');
  await expect(lastAnswer(page)).toContainText('The order service is down.');

  await send(page, 'Echo slowly');
  await lastAnswer(page).getByTestId('consent-allow').click();
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('result-card')).toContainText('The function timed out');
  await expect(lastAnswer(page).getByTestId('result-card')).toContainText('did not answer within 1 s');
  await expect(lastAnswer(page)).toContainText('The echo took too long.');

  await send(page, 'Drop it');
  await lastAnswer(page).getByTestId('consent-allow').click();
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('result-card')).toContainText('connection to the server was lost');
  await expect(lastAnswer(page)).toContainText('The server went away.');
});

test('servers that cannot be used say why: no CORS headers, wrong path, nothing listening, a host the site may not reach', async ({
  page,
}) => {
  await page.goto('./');
  const section = await addServer(page, servers.url('noCors'), 'nocors');
  const item = section.locator('[data-testid="tool-server"][data-name="nocors"]');
  await expect(item.getByTestId('tool-server-error')).toContainText('without the CORS headers');
  // The server was asked (that is how the app knows it is there), but could not be read.
  expect(requestsTo('noCors').length).toBeGreaterThan(0);

  await section.getByLabel('Server address').fill(`${servers.origin}/wrong`);
  await section.getByLabel('Name (optional)').fill('wrongpath');
  await section.getByTestId('add-tool-server').click();
  await expect(
    section.locator('[data-testid="tool-server"][data-name="wrongpath"]').getByTestId('tool-server-error'),
  ).toContainText('404 Not Found');

  const nobody = `http://127.0.0.1:${await freePort()}`;
  await section.getByLabel('Server address').fill(`${nobody}/mcp`);
  await section.getByLabel('Name (optional)').fill('');
  await section.getByTestId('add-tool-server').click();
  await expect(
    section.locator('[data-testid="tool-server"][data-name="mcp_127"]').getByTestId('tool-server-error'),
  ).toContainText(`Nothing answers at ${nobody}`);

  await section.getByLabel('Server address').fill('https://tools.example.com/mcp');
  await section.getByTestId('add-tool-server').click();
  await expect(section.locator('#tool-server-url-error')).toContainText(
    'This site may not connect to https://tools.example.com',
  );
  await expect(section.getByTestId('tool-server')).toHaveCount(3);
});

test('a server listing hostile schemas: those tools are refused with reasons, the harmless one is offered', async ({
  page,
}) => {
  await page.goto('./');
  const section = await addServer(page, servers.url('hostile'), 'odd');
  const server = section.getByTestId('tool-server');
  await expect(server).toHaveAttribute('data-status', 'connected');
  await expect(server.getByTestId('mcp-tool')).toHaveCount(1);
  await expect(server.getByTestId('mcp-tool')).toHaveAttribute('data-name', 'odd__ping');
  const refused = (name: string) => server.locator(`[data-testid="refused-tool"][data-name="${name}"]`);
  await expect(refused('redos')).toContainText('^(a+)+$');
  await expect(refused('proto')).toContainText('__proto__');
  await expect(refused('huge')).toContainText('characters of JSON');
  // No serious accessibility problem in the section, with a server, its tools and refusals shown.
  const axe = await new AxeBuilder({ page }).include('[data-testid="tool-servers"]').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('a server that wants a bearer token: 401 explained, then the token is sent on every request', async ({ page }) => {
  await page.goto('./');
  const section = await addServer(page, servers.url('vault'), 'vault');
  const server = section.getByTestId('tool-server');
  await expect(server.getByTestId('tool-server-error')).toContainText('401 Unauthorized');
  await expect(server).toContainText('Bearer token (none)');
  await server.getByLabel('New bearer token for vault').fill(VAULT_TOKEN);
  await server.getByRole('button', { name: 'Save token' }).click();
  await expect(server).toHaveAttribute('data-status', 'connected');
  await expect(server).toContainText('Bearer token (set)');
  await expect(server.getByTestId('mcp-tool')).toHaveCount(4);
  const withToken = requestsTo('vault').filter((r) => r.authorization === `Bearer ${VAULT_TOKEN}`);
  expect(withToken.map((r) => r.rpc)).toContain('tools/list');

  // The token is kept with the server (a reload connects with it) and can be removed.
  await page.reload();
  const reopened = await openSettings(page);
  await expect(reopened.getByTestId('tool-server')).toHaveAttribute('data-status', 'connected');
  await reopened.getByRole('button', { name: 'Remove token' }).click();
  await expect(reopened.getByTestId('tool-server-error')).toContainText('401 Unauthorized');
});

test('a server that only speaks the older HTTP+SSE transport is reached through the fallback', async ({ page }) => {
  await scriptEngine(page, rules);
  await openAndLoad(page);
  const section = await addServer(page, servers.url('sse'), 'demo');
  const server = section.getByTestId('tool-server');
  await expect(server).toHaveAttribute('data-status', 'connected');
  await expect(server.getByTestId('tool-server-status')).toHaveText('Connected (SSE)');
  await expect(server.getByTestId('mcp-tool')).toHaveCount(4);
  await page.keyboard.press('Escape');
  await send(page, 'Add 2 and 3');
  await lastAnswer(page).getByTestId('consent-allow').click();
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('result-card')).toContainText('2 + 3 = 5');
  await expect(lastAnswer(page)).toContainText('The sum is 5.');
  // Streamable HTTP was tried first (a POST to the endpoint), then the event stream was opened.
  const methods = requestsTo('sse').map((r) => r.method);
  expect(methods.indexOf('POST')).toBeLessThan(methods.indexOf('GET'));
});

test('a server that asks for OAuth: Sign in leaves for its authorization server, comes back signed in; Sign out forgets the tokens', async ({
  page,
  baseURL,
}) => {
  await page.goto('./');
  const section = await addServer(page, oauth.url, 'secure');
  const server = section.getByTestId('tool-server');
  await expect(server.getByTestId('tool-server-error')).toContainText('401 Unauthorized');
  await server.getByRole('button', { name: 'Sign in (OAuth)' }).click();

  // The demo authorization server approves at once and sends the browser back with a code.
  // Back on the app's own address (whatever port this run serves it on), the code already taken out.
  await page.waitForURL(new URL('./', baseURL).href);
  const back = await openSettings(page);
  const signedIn = back.getByTestId('tool-server');
  await expect(signedIn).toHaveAttribute('data-status', 'connected');
  await expect(signedIn.getByTestId('mcp-tool')).toHaveCount(4);
  await expect(signedIn.getByRole('button', { name: 'Sign out' })).toBeVisible();
  // The code was used once and left the address; the token went to the server on its requests.
  expect(new URL(page.url()).search).toBe('');
  const bearer = oauth.authorizations.filter((a) => a?.startsWith('Bearer '));
  expect(bearer.length).toBeGreaterThan(0);
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('callama:mcpOAuth:')));
  expect(stored).toHaveLength(1);

  // Tokens are kept per server: a reload connects with them, without leaving the page.
  await page.reload();
  const reopened = (await openSettings(page)).getByTestId('tool-server');
  await expect(reopened).toHaveAttribute('data-status', 'connected');
  expect(new URL(page.url()).search).toBe('');

  await reopened.getByRole('button', { name: 'Sign out' }).click();
  await expect(reopened.getByTestId('tool-server-error')).toContainText('401 Unauthorized');
  await expect(reopened.getByRole('button', { name: 'Sign in (OAuth)' })).toBeVisible();
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('callama:mcpOAuth:')))).toEqual(
    [],
  );
});
