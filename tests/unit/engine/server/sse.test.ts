import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { SseReader, type SseEvent } from '../../../../src/engine/server/sse.ts';
import { randomSplits } from './splits.ts';

function readAll(pieces: string[]): { events: SseEvent[]; pending: boolean } {
  const reader = new SseReader();
  const events = pieces.flatMap((p) => reader.push(p));
  return { events, pending: reader.pending };
}

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/servers/${name}`, import.meta.url), 'utf8');

describe('SseReader', () => {
  it('reads data lines with and without the space after the colon (llama.cpp and TGI)', () => {
    const { events } = readAll(['data: {"a":1}\n\ndata:{"b":2}\n\n']);
    expect(events).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'message', data: '{"b":2}' },
    ]);
  });

  it('joins multi-line data, skips comments, and takes event names', () => {
    const { events } = readAll([': ping\n\nevent: update\ndata: one\ndata: two\n\n']);
    expect(events).toEqual([{ event: 'update', data: 'one\ntwo' }]);
  });

  it('accepts CRLF and CR line endings, even when a chunk ends between CR and LF', () => {
    expect(readAll(['data: x\r', '\n\r', '\ndata: y\r\r']).events).toEqual([
      { event: 'message', data: 'x' },
      { event: 'message', data: 'y' },
    ]);
  });

  it("keeps llama.cpp's `error:` line as an error event", () => {
    expect(readAll(['error: {"code":500}\n\n']).events).toEqual([{ event: 'error', data: '{"code":500}' }]);
  });

  it('does not dispatch an event whose blank line never came, and says something was left', () => {
    const { events, pending } = readAll(['data: {"a":1}\n\ndata: {"b"']);
    expect(events).toHaveLength(1);
    expect(pending).toBe(true);
    expect(readAll(['data: 1\n\n']).pending).toBe(false);
  });

  it.each(['llamacpp-stream.sse', 'tgi-stream.sse', 'openai-stream.sse'])(
    'reads %s the same however the chunks are cut',
    (name) => {
      const text = fixture(name);
      const whole = readAll([text]).events;
      expect(whole.length).toBeGreaterThan(20);
      for (let seed = 1; seed <= 200; seed++) {
        expect(readAll(randomSplits(text, seed, 40)).events).toEqual(whole);
      }
      // One character at a time.
      expect(readAll(Array.from({ length: text.length }, (_, i) => text.slice(i, i + 1))).events).toEqual(whole);
    },
  );
});
