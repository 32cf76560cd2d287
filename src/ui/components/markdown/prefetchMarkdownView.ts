/**
 * Gets the Markdown view ready while a model loads: the parser is fetched and warmed up
 * (`warmUpParser`), then the view's own code, which is compiled on first use as well. Each warm-up
 * text is rendered by the Markdown component, in a task of its own, into an element that is never
 * attached to the page, and removed again. Without it, the first frame of the first answer compiled
 * the view's components while it rendered (at most rates a small cost; a long task on a slow machine,
 * or with many blocks in that frame).
 * Texts with code are left out: a code block fetches the highlighter, which an answer without code
 * never needs.
 */
import { flushSync, mount, unmount } from 'svelte';
import { loadOnce } from '../../../lib/async/loadOnce.ts';
import { nextTask } from '../../../lib/async/nextTask.ts';
import Markdown from './Markdown.svelte';
import { WARM_UP, warmUpParser } from './loadMarkdown.ts';

/** Starts the warm-up, once, without waiting. A failed fetch is left to the first answer, which tries again. */
export function prefetchMarkdownView(): void {
  void warmUpView().catch(() => {});
}

const warmUpView = loadOnce(async () => {
  await warmUpParser();
  for (const text of WARM_UP) {
    if (text.includes('```')) continue;
    await nextTask();
    const view = mount(Markdown, { target: document.createElement('div'), props: { text, streaming: true } });
    flushSync();
    void unmount(view);
  }
});
