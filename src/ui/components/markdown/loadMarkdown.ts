/**
 * The Markdown parser (micromark, mdast, GFM: about 27 KB gzipped) is its own chunk, fetched when the
 * first answer is shown, so the first screen does not wait for it. Until it is there, an answer is
 * shown as plain text (text, never HTML, either way).
 */
import { loadOnce } from '../../../lib/async/loadOnce.ts';

type MarkdownModule = typeof import('../../../lib/markdown/markdownStream.ts');

let loaded: MarkdownModule | undefined;

/** The parser module if it has arrived. */
export function markdownModule(): MarkdownModule | undefined {
  return loaded;
}

/**
 * Fetches the parser module once; every caller gets the same promise. A failed fetch (offline before
 * the chunk was cached) is tried again by the next answer shown, not kept for the whole session.
 */
export const loadMarkdown: () => Promise<MarkdownModule> = loadOnce(() =>
  import('../../../lib/markdown/markdownStream.ts').then((m) => (loaded = m)),
);

/**
 * Small answers that between them take the parser through the constructs answers use, GFM included.
 * Its functions are compiled on their first call: unwarmed, the first frames of the first answer each
 * held 30–50 ms of compiling (bench:stream --profile).
 */
export const WARM_UP = [
  'Some **bold**, *emphasis*, `code`, ~~gone~~, a [link](https://example.com) and https://example.com.',
  '- an item\n- [x] a task\n\n1. one\n2. two',
  '| a | b |\n| :-- | --: |\n| 1 | *2* |',
  '> a quote\n\n# A heading\n\n---\n\nText[^1]\n\n[^1]: A note.',
  '```js\nconst x = 1;\n```\n\n    indented',
];

/**
 * Fetches the parser and warms it up, once: called when a model starts loading (through
 * prefetchMarkdownView.ts), so the first answer is Markdown from its first token and its first frames
 * neither wait for the chunk nor compile the parser. Each warm-up text is parsed in a task of its own,
 * so none is a long task.
 */
export const warmUpParser = loadOnce(() =>
  loadMarkdown().then(
    (m) =>
      new Promise<void>((resolve) => {
        const next = (i: number) => {
          const text = WARM_UP[i];
          if (text === undefined) return resolve();
          new m.MarkdownStream().update(text, true);
          setTimeout(() => next(i + 1), 0);
        };
        setTimeout(() => next(0), 0);
      }),
  ),
);
