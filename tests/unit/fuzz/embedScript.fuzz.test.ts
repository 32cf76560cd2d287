/**
 * Fuzzes the host page's side of the embed protocol, public/embed.js, run as the page would run it
 * (its source in a fresh JavaScript realm with a stand-in window, document and iframe). The host page
 * is where the embedding site's functions run, with its cookies and permissions, so the properties
 * are about them: a message that is not from the widget's window and origin runs nothing, settles no
 * registration and gets no answer; a call is run at most once per id; a call for a name the page did
 * not register runs nothing and is answered with an error that names it.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { runFuzz } from './runFuzz.ts';

const SOURCE = readFileSync(new URL('../../../public/embed.js', import.meta.url), 'utf8');
const PAGE = 'https://shop.example';
const WIDGET = 'https://widget.example';

interface Posted {
  message: Record<string, unknown>;
  targetOrigin: string;
}
interface Chat {
  register(name: string, schema: unknown, fn: (args: unknown) => unknown): Promise<string>;
  on(event: string, cb: (detail: unknown) => void): () => void;
  destroy(): void;
}

type MessageListener = (event: { origin: string; source: unknown; data: unknown }) => void;
const pageListeners = new Set<MessageListener>();
let currentIframe: Record<string, unknown> = {};
const pageWindow: Record<string, unknown> = {
  addEventListener: (type: string, listener: MessageListener) => {
    if (type === 'message') pageListeners.add(listener);
  },
  removeEventListener: (type: string, listener: MessageListener) => {
    if (type === 'message') pageListeners.delete(listener);
  },
};
// One realm for the file, as one page loads the script once; each run mounts (and destroys) a widget.
runInNewContext(SOURCE, {
  window: pageWindow,
  document: { createElement: () => currentIframe },
  location: { href: `${PAGE}/shop/`, origin: PAGE },
  URL,
  console: { error: () => {}, warn: () => {}, log: () => {} },
});
const callama = pageWindow.Callama as { mount(element: unknown, options: unknown): Chat };

/** Mounts a widget; returns what the page and the widget see. */
function mountWidget() {
  const posted: Posted[] = [];
  const widgetWindow = {
    postMessage(message: Record<string, unknown>, targetOrigin: string) {
      posted.push({ message: structuredClone(message), targetOrigin });
    },
  };
  currentIframe = { style: {}, contentWindow: widgetWindow, parentNode: null };
  const element = {
    appendChild: (child: Record<string, unknown>) => {
      child.parentNode = element;
    },
    removeChild: (child: Record<string, unknown>) => {
      child.parentNode = null;
    },
  };
  const chat = callama.mount(element, { src: `${WIDGET}/embed.html` });
  const deliver = (origin: string, source: unknown, data: unknown) => {
    for (const listener of [...pageListeners]) listener({ origin, source, data });
  };
  const fromWidget = (data: unknown) => deliver(WIDGET, widgetWindow, data);
  return { chat, posted, widgetWindow, deliver, fromWidget };
}

/** Lets the page's promise chains run. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A widget with `get_stock` registered (not yet confirmed) and the widget ready. */
let previous: Chat | undefined;
function setup() {
  previous?.destroy(); // the last run's widget stops listening, as when a page removes it
  const widget = mountWidget();
  previous = widget.chat;
  const runs: unknown[] = [];
  const events: string[] = [];
  const settled: string[] = [];
  widget.chat
    .register('get_stock', { parameters: { type: 'object' } }, (args) => {
      runs.push(args);
      return { price: 42 };
    })
    .then(
      (name) => settled.push(`registered ${name}`),
      (error: unknown) => settled.push(`refused ${error instanceof Error ? error.message : String(error)}`),
    );
  for (const event of ['ready', 'registered', 'call', 'result']) widget.chat.on(event, () => events.push(event));
  widget.fromWidget({ type: 'callama:ready', version: 1 });
  const postedBefore = widget.posted.length;
  events.length = 0;
  return { ...widget, runs, events, settled, postedBefore };
}

/** Messages a widget sends, which would run or settle something if accepted. */
const widgetMessage = fc.oneof(
  fc.record({
    type: fc.constant('callama:call'),
    id: fc.uuid(),
    name: fc.constant('get_stock'),
    arguments: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  }),
  fc.constant({ type: 'callama:registered', accepted: ['get_stock'], refused: [] }),
  fc.constant({ type: 'callama:registered', accepted: [], refused: [{ name: 'get_stock', reasons: ['forged'] }] }),
  fc.constant({ type: 'callama:ready', version: 1 }),
);

describe('embed.js (host page) — counterexamples the properties found', () => {
  it('a call for "constructor" is answered "No function named constructor" (it ran Object\'s constructor lookup)', async () => {
    const { fromWidget, posted, postedBefore, runs } = setup();
    fromWidget({ type: 'callama:call', id: 'c1', name: 'constructor', arguments: {} });
    await flush();
    expect(runs).toEqual([]);
    expect(posted.slice(postedBefore)).toEqual([
      {
        message: { type: 'callama:result', id: 'c1', error: 'No function named constructor on the host page.' },
        targetOrigin: WIDGET,
      },
    ]);
  });

  it('the same call delivered twice runs the function once', async () => {
    const { fromWidget, runs } = setup();
    fromWidget({ type: 'callama:call', id: 'c1', name: 'get_stock', arguments: { symbol: 'A' } });
    fromWidget({ type: 'callama:call', id: 'c1', name: 'get_stock', arguments: { symbol: 'B' } });
    await flush();
    expect(runs).toEqual([{ symbol: 'A' }]);
  });
});

describe('embed.js (host page) — fuzzed messages from the widget side', { timeout: 60_000 }, () => {
  it('a message from another window or origin runs nothing, settles nothing and gets no answer', async () => {
    const wrongOrigin = fc
      .oneof(
        fc.constantFrom(
          PAGE,
          'null',
          '*',
          '',
          `${WIDGET}.evil.test`,
          'http://widget.example',
          'https://widget.example:8443',
          'https://WIDGET.example.',
        ),
        fc.webUrl().map((url) => new URL(url).origin),
        fc.string({ maxLength: 30 }),
      )
      .filter((origin) => origin !== WIDGET);
    const sender = fc.oneof(
      wrongOrigin.map((origin) => ({ origin, fromWidgetWindow: true })),
      fc
        .oneof(fc.constant(null), fc.constant(undefined), fc.object({ maxDepth: 0 }))
        .map((source) => ({ origin: WIDGET, fromWidgetWindow: false, source })),
    );
    await runFuzz(
      'embed.js: messages from the wrong window or origin',
      fc.asyncProperty(sender, widgetMessage, async (s, data) => {
        const { deliver, widgetWindow, posted, postedBefore, runs, events, settled } = setup();
        deliver(s.origin, s.fromWidgetWindow ? widgetWindow : 'source' in s ? s.source : null, data);
        await flush();
        expect(runs).toEqual([]);
        expect(events).toEqual([]);
        expect(settled).toEqual([]);
        expect(posted.length).toBe(postedBefore);
      }),
      { seed: 6501, numRuns: 400 },
    );
  });

  it('a call id replayed by the widget runs the function once', async () => {
    await runFuzz(
      'embed.js: replayed call ids',
      fc.asyncProperty(fc.uuid(), fc.integer({ min: 1, max: 4 }), async (id, replays) => {
        const { fromWidget, posted, postedBefore, runs } = setup();
        for (let i = 0; i <= replays; i++) {
          fromWidget({ type: 'callama:call', id, name: 'get_stock', arguments: { symbol: `S${i}` } });
          await flush();
        }
        expect(runs).toEqual([{ symbol: 'S0' }]);
        expect(posted.slice(postedBefore)).toEqual([
          { message: { type: 'callama:result', id, value: { price: 42 } }, targetOrigin: WIDGET },
        ]);
      }),
      { seed: 6502, numRuns: 200 },
    );
  });

  it('a call for a name the page did not register runs nothing and is answered with an error naming it', async () => {
    const unknownName = fc
      .oneof(
        fc.string({ maxLength: 20 }),
        fc.constantFrom(
          'constructor',
          '__proto__',
          'toString',
          'hasOwnProperty',
          'valueOf',
          'get_stock ',
          'GET_STOCK',
          'prototype',
        ),
      )
      .filter((name) => name !== 'get_stock');
    await runFuzz(
      'embed.js: calls for unregistered names',
      fc.asyncProperty(fc.uuid(), unknownName, async (id, name) => {
        const { fromWidget, posted, postedBefore, runs } = setup();
        fromWidget({ type: 'callama:call', id, name, arguments: {} });
        await flush();
        expect(runs).toEqual([]);
        expect(posted.slice(postedBefore)).toEqual([
          {
            message: { type: 'callama:result', id, error: `No function named ${name} on the host page.` },
            targetOrigin: WIDGET,
          },
        ]);
      }),
      { seed: 6503, numRuns: 300 },
    );
  });
});
