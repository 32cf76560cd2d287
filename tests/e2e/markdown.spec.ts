/**
 * Answers rendered as Markdown from their syntax tree, in the app and in the widget alike: links open
 * in a new tab without opener or referrer, only for http(s); a `javascript:` link is text; an image is
 * a link and is never requested; tables, task lists, quotes and strikethrough render; code blocks are
 * highlighted by a highlighter that is loaded only once a code block appears, and Copy copies them.
 */
import AxeBuilder from '@axe-core/playwright';
import { fileURLToPath } from 'node:url';
import { startStaticServer, type StaticServer } from '../../scripts/staticServer.ts';
import type { FrameLocator } from '@playwright/test';
import { test, expect, type Locator, type Page } from './helpers/test.ts';
import { APP_ORIGIN } from './helpers/origin.ts';
import { answerSettled, lastAnswer, openAndLoad, releaseStream, scriptEngine, send } from './chatFixtures.ts';

test.use({ serviceWorkers: 'block' });

const ANSWER = [
  'Here is **bold** text and a [docs link](https://example.com/docs).',
  '',
  '| Name | Qty |',
  '| :--- | ---: |',
  '| milk | 2 |',
  '| eggs | 12 |',
  '',
  '```js',
  'const answer = 42; // <b onclick="alert(1)">not bold</b>',
  '```',
  '',
  '![tracker pixel](https://images.example.com/pixel.png)',
  '',
  '[click me](javascript:alert(1))',
  '',
  '- [x] done task',
  '- ~~gone~~',
  '',
  '> a quote',
  '',
  '<img src="https://images.example.com/inline.png" onerror="alert(1)">',
].join('\n');

/** Every URL the page (and its frames) asked for. */
function requestLog(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

async function checkAnswer(page: Page, answer: Locator, requests: string[]): Promise<void> {
  // The link: a new tab, no opener, no referrer.
  const link = answer.getByRole('link', { name: 'docs link' });
  await expect(link).toHaveAttribute('href', 'https://example.com/docs');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(answer.locator('strong')).toHaveText('bold');

  // The table, with its alignment.
  await expect(answer.locator('table th')).toHaveText(['Name', 'Qty']);
  await expect(answer.locator('table tbody tr')).toHaveCount(2);
  await expect(answer.locator('table tbody tr').last().locator('td')).toHaveText(['eggs', '12']);
  await expect(answer.locator('table tbody td').nth(1)).toHaveCSS('text-align', 'right');

  // The code block: highlighted tokens as elements, and Copy puts the code on the clipboard.
  const code = answer.getByTestId('code-block');
  await expect(code.locator('code')).toHaveAttribute('data-highlighted', 'true');
  await expect(code.locator('.hljs-keyword')).toHaveText('const');
  await expect(code.locator('.hljs-number')).toHaveText('42');
  // Markup in the code is text in a token, never an element; the tokens have their colours.
  await expect(code.locator('.hljs-comment')).toHaveText('// <b onclick="alert(1)">not bold</b>');
  await expect(code.locator('code b')).toHaveCount(0);
  const colours = await code.locator('code').evaluate((el) => {
    const of = (selector: string) => getComputedStyle(el.querySelector(selector) ?? el).color;
    return { code: getComputedStyle(el).color, keyword: of('.hljs-keyword'), comment: of('.hljs-comment') };
  });
  expect(colours.keyword).not.toBe(colours.code);
  expect(colours.comment).not.toBe(colours.code);
  await code.getByTestId('copy-code').click();
  await expect(code.getByTestId('copy-code')).toHaveText('Copied');
  await expect(code.getByRole('status')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    'const answer = 42; // <b onclick="alert(1)">not bold</b>',
  );

  // The image: a link to it, never an image, never requested.
  const image = answer.getByRole('link', { name: 'Image: tracker pixel' });
  await expect(image).toHaveAttribute('href', 'https://images.example.com/pixel.png');
  await expect(image).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(answer.locator('img')).toHaveCount(0);

  // javascript: is text, not a link.
  await expect(answer.getByTestId('md-unsafe-link')).toHaveText('click me (javascript:alert(1))');
  await expect(answer.locator('a[href^="javascript"]')).toHaveCount(0);
  await expect(answer.getByRole('link')).toHaveCount(2);

  // GFM: task list, strikethrough, quote; raw HTML is shown as text.
  await expect(answer.getByRole('checkbox', { name: 'Done' })).toBeChecked();
  await expect(answer.locator('del')).toHaveText('gone');
  await expect(answer.locator('blockquote')).toHaveText('a quote');
  await expect(answer).toContainText('<img src="https://images.example.com/inline.png" onerror="alert(1)">');

  expect(requests.filter((u) => u.includes('images.example.com'))).toEqual([]);
}

test('the app renders an answer as Markdown; the highlighter loads only when a code block appears', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const requests = requestLog(page);
  await scriptEngine(page, [
    { match: 'Show Markdown', reply: ANSWER },
    { match: 'Say hi', reply: 'Hi, *no code* here.' },
  ]);
  await openAndLoad(page);
  // The parser is fetched while the model loads, so the first answer does not wait for it.
  expect(requests.filter((u) => /\/assets\/markdownStream-[\w-]+\.js$/.test(u))).toHaveLength(1);
  await send(page, 'Say hi');
  await answerSettled(page);
  await expect(lastAnswer(page).locator('em')).toHaveText('no code');
  expect(requests.filter((u) => u.includes('highlighter'))).toEqual([]);

  await send(page, 'Show Markdown');
  await answerSettled(page);
  await checkAnswer(page, lastAnswer(page), requests);
  expect(requests.filter((u) => u.includes('highlighter'))).toHaveLength(1);

  // Tokens, table, task checkbox and Copy button pass an accessibility scan (contrast included).
  const { violations } = await new AxeBuilder({ page }).include('[data-testid="assistant-message"]').analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('a long table and a long quote, streamed, are each one element: the head once, every row and paragraph in order', async ({
  page,
}) => {
  const rows = Array.from({ length: 300 }, (_, i) => `| item ${i} | ${i * 3} |`);
  const quoted = Array.from({ length: 120 }, (_, i) => `> Quoted paragraph ${i}, in full.`);
  const reply = `| Item | Count |\n| --- | ---: |\n${rows.join('\n')}\n\n${quoted.join('\n>\n')}\n\nThat is all.`;
  await scriptEngine(page, [{ match: 'Long answer', reply }], { tokensPerSecond: 1_000 });
  await openAndLoad(page);
  await send(page, 'Long answer');
  await answerSettled(page);
  const answer = lastAnswer(page);
  await expect(answer.locator('table')).toHaveCount(1);
  await expect(answer.locator('thead th')).toHaveText(['Item', 'Count']);
  await expect(answer.locator('tbody tr')).toHaveCount(300);
  await expect(answer.locator('tbody tr').nth(299).locator('td')).toHaveText(['item 299', '897']);
  await expect(answer.locator('tbody tr').nth(170).locator('td').last()).toHaveCSS('text-align', 'right');
  // Each streamed in parts (a table body each), not as one block parsed again on every update.
  expect(await answer.locator('tbody').count()).toBeGreaterThan(1);
  await expect(answer.locator('blockquote')).toHaveCount(1);
  await expect(answer.locator('blockquote p')).toHaveCount(120);
  await expect(answer.locator('blockquote p').nth(119)).toHaveText('Quoted paragraph 119, in full.');
  await expect(answer.locator(':scope p').last()).toHaveText('That is all.');
});

test('a one-line answer too long to parse again while it streams shows its new text in pieces that stay put, then whole', async ({
  page,
}) => {
  // One line (no cut can shorten it) well past LIVE_PARSE_UP_TO: its text after the last parse is
  // shown in pieces (lib/markdown/unfold.ts plainPieces), not inside the paragraph, which would be
  // laid out whole again on every update.
  const units = Array.from({ length: 900 }, (_, i) => `part${i} has **bold** wording inside;`);
  const reply = `${units.join(' ')} The end.`;
  // At a fixed rate, so the pieces are there for many frames (as fast as possible, a fast machine
  // streamed them all within a frame or two, and there was nothing to compare across frames).
  await scriptEngine(page, [{ match: 'One line', reply, holdAfter: 'part880 ' }], { tokensPerSecond: 2_000 });
  const requests = requestLog(page);
  const markdownWorker = page.waitForEvent('worker', (w) => w.url().includes('/assets/parseWorker-'));
  await openAndLoad(page);
  // Watches every frame of the stream: a piece that is not the last must stay the same element with
  // the same text for as long as the stream goes on.
  const watched = page.evaluate(
    () =>
      new Promise<{ frames: number; moved: string[] }>((resolve) => {
        const known = new Map<Element, string>();
        const moved: string[] = [];
        let frames = 0;
        const frame = () => {
          if (window.__callamaFake?.held === true) return resolve({ frames, moved });
          const pieces = [...document.querySelectorAll('[data-testid="assistant-message"] .pending-pieces > p')];
          if (pieces.length > 0) frames += 1;
          for (const [element, text] of known)
            if (!element.isConnected || element.textContent !== text) moved.push(text.slice(0, 40));
          known.clear();
          for (const piece of pieces.slice(0, -1)) known.set(piece, piece.textContent);
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
  );
  await send(page, 'One line');
  const seen = await watched;
  expect(seen.frames).toBeGreaterThan(1);
  expect(seen.moved).toEqual([]);
  const answer = lastAnswer(page);
  // Held: the text so far is all on the page, the paragraph's and the pieces' together, the text
  // after the last parse (over 14 KB: the block is not parsed again past LIVE_PARSE_UP_TO) in pieces.
  await expect(answer).toContainText('part879 has **bold** wording inside;');
  expect(await answer.locator('.pending-pieces > p').count()).toBeGreaterThanOrEqual(3);
  await expect(answer.locator('strong').first()).toHaveText('bold');

  await releaseStream(page);
  await answerSettled(page);
  // Complete: parsed whole, in the Markdown worker (one parse of it would be a long task here), one
  // paragraph, every bold formatted, no pieces left.
  await expect(answer.locator('.pending-pieces')).toHaveCount(0);
  expect(requests.filter((u) => /\/assets\/parseWorker-[\w-]+\.js$/.test(u))).toHaveLength(1);
  // It ran (a worker whose script fails leaves the parse to the page, which would pass the rest).
  expect(await (await markdownWorker).evaluate(() => typeof self.onmessage)).toBe('function');
  await expect(answer.locator('.markdown p')).toHaveCount(1);
  await expect(answer.locator('strong')).toHaveCount(900);
  await expect(answer.locator('.markdown p')).toContainText('part899 has bold wording inside; The end.');
});

test('a paragraph of thousands of emphases is formatted a few hundred at a time, every word on the page throughout', async ({
  page,
}) => {
  // Rendered at once, such a paragraph was one long task (ChildrenInSteps.svelte): the first children
  // render at once and more in each task after, the rest shown meanwhile as its plain text.
  // About 32 KB on one line: past LIVE_PARSE_UP_TO, so however fast the machine, the paragraph is not
  // parsed again while it streams, and its final tree (thousands of children more) arrives at once.
  const count = 4_000;
  const reply = `${Array.from({ length: count }, (_, i) => `*w${i}*`).join(' ')} The end.`;
  await scriptEngine(page, [{ match: 'Many', reply }], { tokensPerSecond: 'max' });
  await openAndLoad(page);
  // Every change to the page is seen (a mutation observer runs after each task that changed it).
  const watched = page.evaluate(
    (count) =>
      new Promise<{ stepped: number; missing: string[] }>((resolve) => {
        let stepped = 0;
        const missing: string[] = [];
        const check = () => {
          const answer = document.querySelector('[data-testid="assistant-message"]');
          const text = answer?.textContent ?? '';
          const ems = answer?.querySelectorAll('.markdown p em').length ?? 0;
          if (ems === count) {
            observer.disconnect();
            resolve({ stepped, missing });
            return;
          }
          const settledText = !answer?.querySelector('.pending-pieces, [data-unparsed]') && text.includes('The end.');
          if (ems === 0 || !settledText) return;
          stepped += 1;
          for (const word of ['w0 ', 'w2000 ', `w${count - 1} The end.`]) if (!text.includes(word)) missing.push(word);
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      }),
    count,
  );
  await send(page, 'Many');
  const seen = await watched;
  expect(seen.stepped).toBeGreaterThan(1);
  expect(seen.missing).toEqual([]);
  const answer = lastAnswer(page);
  await expect(answer.locator('.markdown p')).toHaveCount(1);
  await expect(answer.locator('.markdown p em').last()).toHaveText(`w${count - 1}`);
  await expect(answer.locator('.markdown p')).toContainText(`w${count - 1} The end.`);
});

test('footnotes and reference links resolve to definitions further down the answer, streamed and shown again', async ({
  page,
}) => {
  // Each block of an answer is parsed on its own (MarkdownStream); a definition applies to the whole.
  const reply = [
    'Paris is the capital of France[^1], as [the atlas][Atlas] says.',
    '',
    'A paragraph between them.',
    '',
    '[^1]: Encyclopaedia, 2024.',
    '',
    '[atlas]: https://example.com/atlas "World atlas"',
  ].join('\n');
  await scriptEngine(page, [{ match: 'Sources', reply }], { tokensPerSecond: 200 });
  await openAndLoad(page);
  await send(page, 'Sources');
  await answerSettled(page);
  const check = async () => {
    const answer = lastAnswer(page);
    const link = answer.getByRole('link', { name: 'the atlas' });
    await expect(link).toHaveAttribute('href', 'https://example.com/atlas');
    await expect(link).toHaveAttribute('title', 'World atlas');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    // The footnote's mark in the text, and the note itself with the same mark.
    await expect(answer.locator('p', { hasText: 'Paris' }).locator('sup')).toHaveText('[1]');
    await expect(answer.locator('.footnote')).toContainText('[1]');
    await expect(answer.locator('.footnote')).toContainText('Encyclopaedia, 2024.');
    await expect(answer).not.toContainText('[^1]');
    await expect(answer).not.toContainText('[Atlas]');
    await expect(answer).not.toContainText('https://example.com/atlas');
  };
  await check();

  // Shown from scratch: the same.
  await page.getByTestId('new-conversation').click();
  await expect(page.getByTestId('assistant-message')).toHaveCount(0);
  await page.getByTestId('conversation-open').filter({ hasText: 'Sources' }).click();
  await check();
});

test('a long finished answer shown again is all there at once, and all of it formatted soon after', async ({
  page,
}) => {
  // About 12 KB: parsed and built a slice per task when shown from scratch (lib/markdown/unfold.ts).
  const sections = Array.from(
    { length: 160 },
    (_, i) => `## Part ${i}\n\nSome **bold** words.\n\n- one\n- two\n\n\`\`\`js\nconst part = ${i};\n\`\`\``,
  );
  const reply = `${sections.join('\n\n')}\n\nThe end of it all.`;
  await scriptEngine(page, [{ match: 'Long answer', reply }], { tokensPerSecond: 'max' });
  await openAndLoad(page);
  await send(page, 'Long answer');
  await answerSettled(page);
  await page.getByTestId('new-conversation').click();
  await expect(page.getByTestId('assistant-message')).toHaveCount(0);

  // In the first frame after the click, the answer's last words are on the page (formatted or not yet).
  const firstFrame = await page.evaluate(async () => {
    const open = [...document.querySelectorAll<HTMLElement>('[data-testid="conversation-open"]')].find((b) =>
      b.textContent.includes('Long answer'),
    );
    open?.click();
    await new Promise(requestAnimationFrame);
    const text = document.querySelector('[data-testid="assistant-message"]')?.textContent ?? '';
    // The plain rest is in pieces; the last stays the same element while the slices before it are
    // parsed, so it is not laid out again each time (lib/markdown/unfold.ts plainPieces).
    const pieces = document.querySelectorAll('[data-unparsed] p').length;
    const last = document.querySelector('[data-unparsed] p:last-child');
    let slicesSeen = 0;
    let lastReplaced = false;
    while (document.querySelector('[data-unparsed]')) {
      await new Promise((resolve) => setTimeout(resolve));
      if (!document.querySelector('[data-unparsed]')) break;
      slicesSeen += 1;
      if (!last?.isConnected) lastReplaced = true;
    }
    return { text, pieces, slicesSeen, lastReplaced };
  });
  expect(firstFrame.text).toContain('The end of it all.');
  expect(firstFrame.text).toContain('const part = 159;');
  expect(firstFrame.pieces).toBeGreaterThan(1);
  expect(firstFrame.slicesSeen).toBeGreaterThan(0);
  expect(firstFrame.lastReplaced).toBe(false);

  const answer = lastAnswer(page);
  await expect(answer.locator('.heading.h2')).toHaveCount(160);
  await expect(answer.locator('.heading.h2').last()).toHaveText('Part 159');
  await expect(answer.locator('pre code')).toHaveCount(160);
  await expect(answer.locator('li')).toHaveCount(320);
  await expect(answer.locator('[data-unparsed]')).toHaveCount(0);
  await expect(answer.locator('p').last()).toHaveText('The end of it all.');
});

test.describe('in the widget', () => {
  let server: StaticServer;
  test.beforeAll(async () => {
    server = await startStaticServer([
      { prefix: '/', dir: fileURLToPath(new URL('../fixtures/embed/', import.meta.url)) },
    ]);
  });
  test.afterAll(async () => {
    await server.close();
  });

  test('the widget renders the same Markdown the same way', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const requests = requestLog(page);
    await page.addInitScript(
      (s) => {
        window.__CALLAMA_FAKE__ = s;
      },
      { loadMs: 200, rules: [{ match: 'Show Markdown', reply: ANSWER }] },
    );
    await page.goto(`${server.url()}/host.html?widget=${encodeURIComponent(APP_ORIGIN)}`);
    const widget: FrameLocator = page.frameLocator('iframe[title="Callama chat assistant"]');
    await widget.getByTestId('embed-input').fill('Show Markdown');
    await widget.getByTestId('embed-input').press('Enter');
    const answer = widget.getByTestId('assistant-message').last();
    await expect(answer).toHaveAttribute('aria-busy', 'false');
    await checkAnswer(page, answer, requests);
  });
});
