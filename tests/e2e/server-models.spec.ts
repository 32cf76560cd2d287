/**
 * Issue 15 §2, "Run on a server": the seed's Trelis models on llama.cpp's server, TGI and an
 * OpenAI-compatible server. The servers are scripted Node servers on loopback that speak each
 * protocol's stream byte for byte (tests/doubles/modelServers.ts); the app's server engine is the real
 * one (the e2e build swaps only the browser engine for its double). Callama builds the Trelis v2 prompt,
 * the server streams the answer, and the call is parsed, validated and dispatched in the page.
 */
import { test, expect, type Page } from './helpers/test.ts';
import AxeBuilder from '@axe-core/playwright';
import { answerSettled, lastAnswer, send } from './chatFixtures.ts';
import { startModelServer, type ModelServer, type ModelServerKind, type ServerRule } from '../doubles/modelServers.ts';

const servers: Partial<Record<ModelServerKind | 'nocors', ModelServer>> = {};
function server(name: ModelServerKind | 'nocors'): ModelServer {
  const s = servers[name];
  if (!s) throw new Error(`no ${name} server`);
  return s;
}

test.beforeAll(async () => {
  servers.llamacpp = await startModelServer({ kind: 'llamacpp' });
  servers.tgi = await startModelServer({ kind: 'tgi' });
  servers.openai = await startModelServer({ kind: 'openai' });
  servers.nocors = await startModelServer({ kind: 'llamacpp', cors: false });
});
test.afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

/** The Trelis v2 call, cut into pieces as a server streams tokens. */
function trelisCall(name: string, args: Record<string, unknown>): string[] {
  const text = ` ${JSON.stringify({ function: name, arguments: args })}`;
  return text.match(/.{1,4}/gs) ?? [text];
}

/** The usual script: 23*19 is computed by the calculator, then the model says the result. */
const CALCULATOR_RULES: ServerRule[] = [
  { match: '437', reply: { tokens: ['The', ' answer', ' is', ' 437', '.'] } },
  { match: 'What is 23\\*19', reply: { tokens: trelisCall('calculate', { expression: '23*19' }) } },
];

async function openPicker(page: Page) {
  await page.getByTestId('model-button').click();
  const picker = page.getByTestId('model-picker');
  await expect(picker.getByTestId('gpu-summary')).toBeVisible();
  return picker;
}

/** Adds a server model through the picker's form and connects to it. */
async function addAndConnect(
  page: Page,
  options: { kind: string; url: string; name: string },
): Promise<ReturnType<Page['getByTestId']>> {
  const picker = await openPicker(page);
  await picker.getByText('Add a server model').click();
  const form = picker.getByTestId('server-model-form');
  await form.getByLabel('Server', { exact: true }).selectOption({ label: options.kind });
  await form.getByLabel('Server address').fill(options.url);
  await form.getByLabel('Prompt format').selectOption({ label: 'Trelis function calling v2' });
  await form.getByLabel('Display name').fill(options.name);
  await form.getByRole('button', { name: 'Save server model' }).click();
  await expect(form.getByRole('status')).toContainText(`Saved “${options.name}”`);
  await picker
    .getByTestId('server-model')
    .filter({ hasText: options.name })
    .getByRole('button', { name: 'Connect' })
    .click();
  return picker;
}

async function connected(page: Page, picker: ReturnType<Page['getByTestId']>, name: string) {
  await expect(picker.getByTestId('load-done')).toContainText(`${name} loaded in`);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('composer-input')).toBeEnabled();
}

test('llama.cpp server: a Trelis v2 chat whose function call runs in the page; Stop; required tool choice is constrained', async ({
  page,
}) => {
  const llama = server('llamacpp');
  llama.setRules(CALCULATOR_RULES);
  await page.goto('./');
  const picker = await addAndConnect(page, {
    kind: 'llama.cpp server (/completion)',
    url: llama.url,
    name: 'Trelis 7B on llama-server',
  });
  await connected(page, picker, 'Trelis 7B on llama-server');
  await expect(page.getByTestId('server-notice')).toHaveText(
    `Messages go to the llama.cpp server at ${llama.url}: it receives the whole conversation, functions and results included.`,
  );

  await send(page, 'What is 23*19?');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('result-card')).toContainText('437');
  await expect(lastAnswer(page).getByTestId('message-text').last()).toHaveText('The answer is 437.');

  // The server got the Trelis v2 prompt Callama built: the function block first, then [INST], and no
  // "<s>" text (the server adds the BOS token itself).
  const first = llama.generations()[0]?.body ?? {};
  const prompt = String(first.prompt);
  const fn = prompt.indexOf('{\n    "function": "calculate",');
  expect(fn).toBeGreaterThanOrEqual(0);
  expect(prompt.indexOf('[INST]')).toBeGreaterThan(fn);
  expect(prompt).toContain('What is 23*19? [/INST]');
  expect(prompt).not.toContain('<s>');
  expect(first).toMatchObject({ stream: true, stop: ['</s>', '[INST]'], cache_prompt: true });
  // The second request carries the function's result back.
  expect(String(llama.generations()[1]?.body?.prompt)).toContain('437');

  // Stop closes the connection: the server sees it, the partial answer stays.
  llama.setRules([
    { match: 'Tell a long story', reply: { tokens: Array.from({ length: 400 }, (_, i) => `word${i} `), delayMs: 30 } },
  ]);
  await send(page, 'Tell a long story');
  await expect(lastAnswer(page)).toContainText('word3');
  await page.getByTestId('stop-button').click();
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'stopped');
  await expect.poll(() => llama.generations().at(-1)?.aborted).toBe(true);
  await expect(lastAnswer(page)).not.toContainText('word399');

  // tool_choice "required": the call's JSON schema goes to llama.cpp as json_schema.
  llama.setRules([
    { match: 'And 12\\*12\\? \\[/INST\\]\\n\\n$', reply: { tokens: trelisCall('calculate', { expression: '12*12' }) } },
    { match: '144', reply: { tokens: ['144', '.'] } },
  ]);
  await page.getByTestId('conversation-settings').click();
  await page.getByTestId('tool-choice').selectOption('required');
  await page.getByTestId('conversation-settings').click();
  await send(page, 'And 12*12?');
  await expect(lastAnswer(page).getByTestId('result-card').first()).toContainText('144');
  const constrained = llama.generations().find((r) => String(r.body?.prompt).endsWith('And 12*12? [/INST]\n\n'));
  // One schema per enabled function, each naming its function: the answer must be one of these calls.
  expect(JSON.stringify(constrained?.body?.json_schema)).toContain('"function":{"const":"calculate"}');
  // In "auto" (the first turns) nothing was constrained.
  expect(llama.generations()[0]?.body?.json_schema).toBeUndefined();
});

test('llama.cpp server failures are shown plainly: refused request, stream error, dropped stream, still loading', async ({
  page,
}) => {
  const llama = server('llamacpp');
  llama.setRules([
    // Each rule answers only the newest instruction (the prompt holds the earlier turns too).
    {
      match: 'too long \\[/INST\\]\\n\\n$',
      reply: { status: 400, error: 'the request exceeds the available context size' },
    },
    { match: 'crash please \\[/INST\\]\\n\\n$', reply: { tokens: ['Sure'], streamError: 'CUDA error: out of memory' } },
    { match: 'drop the line \\[/INST\\]\\n\\n$', reply: { tokens: [' Let', ' me'], drop: true } },
  ]);
  await page.goto('./');
  const picker = await addAndConnect(page, {
    kind: 'llama.cpp server (/completion)',
    url: llama.url,
    name: 'Local llama',
  });
  await connected(page, picker, 'Local llama');

  await send(page, 'This is too long');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('error-card')).toContainText(
    'The server refused the request (HTTP 400). The server said: “the request exceeds the available context size”',
  );

  await send(page, 'crash please');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('error-card')).toContainText('CUDA error: out of memory');

  await send(page, 'drop the line');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('error-card')).toContainText(
    "The server's stream ended before its final message",
  );

  // A model that is still loading: the connection fails with the reason.
  llama.setInfoStatus(503);
  try {
    const again = await openPicker(page);
    await again
      .getByTestId('server-model')
      .filter({ hasText: 'Local llama' })
      .getByRole('button', { name: 'Reconnect' })
      .click();
    await expect(again.getByTestId('load-error')).toContainText('still loading its model (HTTP 503)');
  } finally {
    llama.setInfoStatus(200);
  }
});

test('a server that cannot be reached (no CORS headers) says why; a host this build does not allow is refused when added', async ({
  page,
}) => {
  await page.goto('./');
  const picker = await addAndConnect(page, {
    kind: 'llama.cpp server (/completion)',
    url: server('nocors').url,
    name: 'No CORS',
  });
  await expect(picker.getByTestId('load-error')).toContainText(`could not reach the server at ${server('nocors').url}`);
  await expect(picker.getByTestId('load-error')).toContainText('CORS');
  expect(server('nocors').generations()).toHaveLength(0);

  const form = picker.getByTestId('server-model-form');
  await form.getByLabel('Server address').fill('https://gpu.example.org');
  await form.getByLabel('Display name').fill('Remote');
  await form.getByRole('button', { name: 'Save server model' }).click();
  const address = form.getByLabel('Server address');
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  await expect(address).toBeFocused();
  await expect(form).toContainText('This site does not allow connections to https://gpu.example.org');
  await expect(picker.getByTestId('server-model').filter({ hasText: 'Remote' })).toHaveCount(0);

  // The section, its list, the open form with an error and the load error pass axe.
  const axe = await new AxeBuilder({ page }).include('[data-testid="model-picker"]').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  // Saved server models are kept across visits, like custom models.
  await page.reload();
  const again = await openPicker(page);
  await expect(again.getByTestId('server-model').filter({ hasText: 'No CORS' })).toContainText(server('nocors').url);
});

test('TGI: a Trelis v2 chat with a function call, over /generate_stream', async ({ page }) => {
  const tgi = server('tgi');
  tgi.setRules(CALCULATOR_RULES);
  await page.goto('./');
  const picker = await addAndConnect(page, {
    kind: 'Text Generation Inference (/generate_stream)',
    url: tgi.url,
    name: 'Trelis 7B on TGI',
  });
  await connected(page, picker, 'Trelis 7B on TGI');
  await expect(page.getByTestId('server-notice')).toContainText(`TGI server at ${tgi.url}`);
  await send(page, 'What is 23*19?');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('result-card')).toContainText('437');
  await expect(lastAnswer(page).getByTestId('message-text').last()).toHaveText('The answer is 437.');
  expect(tgi.generations()[0]?.body).toMatchObject({
    stream: true,
    parameters: { details: true, stop: ['</s>', '[INST]'] },
  });
});

test('OpenAI-compatible: a Trelis v2 chat with a function call, over /v1/completions', async ({ page }) => {
  const openai = server('openai');
  openai.setRules(CALCULATOR_RULES);
  await page.goto('./');
  const picker = await addAndConnect(page, {
    kind: 'OpenAI-compatible completions (/v1/completions: vLLM, llama.cpp, LM Studio, Ollama)',
    url: `${openai.url}/v1`,
    name: 'Trelis 7B on vLLM',
  });
  await connected(page, picker, 'Trelis 7B on vLLM');
  await send(page, 'What is 23*19?');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('result-card')).toContainText('437');
  await expect(lastAnswer(page).getByTestId('message-text').last()).toHaveText('The answer is 437.');
  // The model it listed at /v1/models is the one asked for.
  expect(openai.generations()[0]?.body).toMatchObject({
    model: 'Trelis/Llama-2-7b-chat-hf-function-calling-v2',
    stream: true,
    stream_options: { include_usage: true },
  });
});

test('without WebGPU a model on a server still runs: the page offers it, and the chat works', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
  });
  const llama = server('llamacpp');
  llama.setRules(CALCULATOR_RULES);
  await page.goto('./');
  const unavailable = page.getByTestId('gpu-unavailable');
  await expect(unavailable.getByRole('heading', { level: 1 })).toHaveText('This browser has no WebGPU');
  await unavailable.getByRole('button', { name: 'Run a model on a server' }).click();
  const picker = page.getByTestId('model-picker');
  await picker.getByText('Add a server model').click();
  const form = picker.getByTestId('server-model-form');
  await form.getByLabel('Server address').fill(llama.url);
  await form.getByLabel('Display name').fill('Big GPU box');
  await form.getByRole('button', { name: 'Save server model' }).click();
  await picker
    .getByTestId('server-model')
    .filter({ hasText: 'Big GPU box' })
    .getByRole('button', { name: 'Connect' })
    .click();
  await connected(page, picker, 'Big GPU box');
  await send(page, 'What is 23*19?');
  await answerSettled(page);
  await expect(lastAnswer(page).getByTestId('result-card')).toContainText('437');
  await expect(lastAnswer(page).getByTestId('message-text').last()).toHaveText('The answer is 437.');
});
