/// <reference lib="webworker" />
/**
 * WORKER ENTRY (parseInWorker.ts starts it): parses one block of Markdown off the page's thread. Only
 * the final parse of a block too long to parse again while it streamed comes here (MarkdownStream
 * `ParseAway`): one parse of 64 KB of one line took 250–400 ms, a frozen page at the end of the answer.
 * The tree goes back as data (structured clone), without what the page does not read
 * (treeForTransfer); nothing here touches the page.
 */
import { parseBlock } from '../../../lib/markdown/parseBlock.ts';
import { treeForTransfer } from '../../../lib/markdown/treeForTransfer.ts';
import type { ParseReply, ParseRequest } from './parseInWorker.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<ParseRequest>) => {
  const { id, text, definitions } = event.data;
  const reply: ParseReply = { id, tree: treeForTransfer(parseBlock(text, definitions)) };
  scope.postMessage(reply);
};
