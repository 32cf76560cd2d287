/**
 * parseInWorker: replies go to the parse that asked, by id; a worker that fails (its script did not
 * load, it crashed) rejects every parse it owed, so MarkdownStream parses on the page instead, and the
 * next parse starts a new worker. A stand-in Worker records what it is sent.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Root } from 'mdast';
import {
  parseInWorker,
  type ParseReply,
  type ParseRequest,
} from '../../../src/ui/components/markdown/parseInWorker.ts';

class StubWorker {
  static made: StubWorker[] = [];
  sent: ParseRequest[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<ParseReply>) => void) | null = null;
  onerror: (() => void) | null = null;
  onmessageerror: (() => void) | null = null;
  constructor(readonly url: URL) {
    StubWorker.made.push(this);
  }
  postMessage(request: ParseRequest): void {
    this.sent.push(request);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(id: number, tree: Root): void {
    this.onmessage?.({ data: { id, tree } } as MessageEvent<ParseReply>);
  }
}

vi.stubGlobal('Worker', StubWorker);
afterAll(() => {
  vi.unstubAllGlobals();
});

const tree = (value: string): Root => ({
  type: 'root',
  children: [{ type: 'paragraph', children: [{ type: 'text', value }] }],
});

describe('parseInWorker', () => {
  it('starts one worker, sends each parse with its definitions, and gives each reply to its own parse', async () => {
    const first = parseInWorker('one', '');
    const second = parseInWorker('two', '\n\n[a]: #');
    expect(StubWorker.made).toHaveLength(1);
    const worker = StubWorker.made[0] as StubWorker;
    expect(worker.url.pathname).toMatch(/parseWorker\.ts$/);
    expect(worker.sent.map((r) => [r.text, r.definitions])).toEqual([
      ['one', ''],
      ['two', '\n\n[a]: #'],
    ]);
    // Out of order: each reply still reaches the parse that asked for it.
    worker.reply(worker.sent[1]?.id ?? -1, tree('two'));
    worker.reply(worker.sent[0]?.id ?? -1, tree('one'));
    await expect(first).resolves.toEqual(tree('one'));
    await expect(second).resolves.toEqual(tree('two'));
  });

  it('rejects what a failed worker owed, and starts a new one for the next parse', async () => {
    const owed = parseInWorker('three', '');
    const failed = StubWorker.made.at(-1) as StubWorker;
    failed.onerror?.();
    await expect(owed).rejects.toThrow(/Markdown worker failed/);
    expect(failed.terminated).toBe(true);
    const next = parseInWorker('four', '');
    expect(StubWorker.made).toHaveLength(2);
    const fresh = StubWorker.made[1] as StubWorker;
    fresh.reply(fresh.sent[0]?.id ?? -1, tree('four'));
    await expect(next).resolves.toEqual(tree('four'));
  });
});
