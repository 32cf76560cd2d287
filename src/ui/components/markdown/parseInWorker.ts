/**
 * Parses a block of Markdown in a worker (parseWorker.ts), for MarkdownStream's `ParseAway`. The
 * worker starts on the first parse that needs it (most answers never do) and is kept for the next.
 * If it cannot start or fails (a build served without the worker file, a crash), every parse it owed
 * is rejected and the stream parses on the page instead; the next parse tries a new worker.
 */
import type { Root } from 'mdast';

export interface ParseRequest {
  id: number;
  text: string;
  definitions: string;
}

export interface ParseReply {
  id: number;
  tree: Root;
}

interface Owed {
  resolve: (tree: Root) => void;
  reject: (error: Error) => void;
}

let worker: Worker | undefined;
const owed = new Map<number, Owed>();
let nextId = 0;

export function parseInWorker(text: string, definitions: string): Promise<Root> {
  const id = nextId++;
  const promise = new Promise<Root>((resolve, reject) => owed.set(id, { resolve, reject }));
  const request: ParseRequest = { id, text, definitions };
  (worker ??= startWorker()).postMessage(request);
  return promise;
}

function startWorker(): Worker {
  const started = new Worker(new URL('./parseWorker.ts', import.meta.url), {
    type: 'module',
    name: 'callama-markdown',
  });
  started.onmessage = (event: MessageEvent<ParseReply>) => {
    const { id, tree } = event.data;
    owed.get(id)?.resolve(tree);
    owed.delete(id);
  };
  const fail = () => {
    started.terminate();
    if (worker === started) worker = undefined;
    for (const { reject } of owed.values()) reject(new Error('The Markdown worker failed'));
    owed.clear();
  };
  started.onerror = fail;
  started.onmessageerror = fail;
  return started;
}
