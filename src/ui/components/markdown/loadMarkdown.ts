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
 * Starts fetching the parser without waiting for it: called when a model starts loading, so the first
 * answer is Markdown from its first token and its stream does not pause to compile the chunk (a main-
 * thread task of about 50 ms on a slow machine). A failure is left to the first answer, which tries again.
 */
export function prefetchMarkdown(): void {
  void loadMarkdown().catch(() => {});
}
