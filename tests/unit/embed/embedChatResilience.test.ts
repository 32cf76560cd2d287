/**
 * The widget is as hard to break as the app: it follows the app's context policy
 * (lib/agent/fitContext.ts, sizeLimits.ts) — prompts fitted into the model's window with a visible
 * notice, a message too long for the model refused before anything is generated — and it survives a
 * lost GPU or a dead engine worker by loading the model again, keeping the conversation.
 */
import { testWidget } from './testWidget.ts';
import { describe, expect, it } from 'vitest';
import type { EmbedItem } from '../../../src/embed/embedChat.svelte.ts';
import { HostBridge } from '../../../src/embed/hostBridge.ts';
import type { Engine } from '../../../src/engine/engine.ts';
import type { GenerateRequest } from '../../../src/lib/types/generation.ts';
import { sizeLimits } from '../../../src/lib/agent/sizeLimits.ts';
import { ScriptedEngine } from '../../doubles/scriptedEngine.ts';

function widget(engine: Engine, contextWindow: number) {
  const bridge = new HostBridge({ parent: null, allowedOrigins: [], callTimeoutMs: 1000, warn: () => {} });
  return testWidget({ engine, bridge, contextWindow });
}

const sentText = (request: GenerateRequest | undefined) => JSON.stringify(request);
/** What an item shows: its text, or for a call card its name and result (the value's JSON, or the error). */
const shown = (item: EmbedItem) => {
  if ('text' in item) return item.text;
  const result = item.result === undefined ? '' : item.result.ok ? item.result.json : item.result.error.message;
  return `${item.name} ${result}`;
};

describe('EmbedChat context window', () => {
  it('leaves the oldest exchanges out of the prompt, says so, and keeps every message on screen', async () => {
    const engine = new ScriptedEngine([], { fallback: 'OK.' });
    // 1,024 tokens: room for about two of these ~300-token messages besides the answer's 512.
    const chat = widget(engine, 1024);
    const long = (tag: string) => `${tag} ${'lorem ipsum dolor sit amet '.repeat(40)}`;
    await chat.send(long('FIRST'));
    await chat.send(long('SECOND'));
    await chat.send(long('THIRD'));

    const last = sentText(engine.requests.at(-1));
    expect(last).toContain('THIRD');
    expect(last).not.toContain('FIRST');
    const notice = chat.items.find((i) => i.kind === 'notice');
    expect(notice?.text).toMatch(
      /earlier messages? (was|were) left out of the prompt to fit the model's 1,024-token context/,
    );
    expect(chat.items.filter((i) => i.kind === 'user')).toHaveLength(3);
  });

  it('refuses a message longer than the model can take, before loading or generating anything', async () => {
    const engine = new ScriptedEngine([], { fallback: 'OK.' });
    const chat = widget(engine, 4096);
    const tooLong = 'x'.repeat(sizeLimits(4096).userMessageChars + 1);
    expect(chat.refusal(tooLong)).toMatch(/at most 6,144/);
    await chat.send(tooLong);
    expect(engine.requests).toHaveLength(0);
    expect(chat.items).toHaveLength(0);
    expect(chat.refusal('x'.repeat(sizeLimits(4096).userMessageChars))).toBeNull();
  });
});

describe('EmbedChat engine faults', () => {
  it('after a lost GPU, says so, restarts the engine and reloads the model with the next message; nothing on screen is lost', async () => {
    const engine = new ScriptedEngine([], { fallback: 'OK.' });
    const chat = widget(engine, 4096);
    await chat.send('first');
    const before = chat.items.map(shown);
    engine.loseDevice();
    expect(engine.restarts).toBe(1);
    expect(chat.status).toBe('idle');
    expect(chat.items.at(-1)).toMatchObject({
      kind: 'notice',
      text: expect.stringContaining('The GPU stopped responding') as string,
    });

    await chat.send('second');
    expect(engine.loads).toBe(2);
    expect(chat.items.slice(0, before.length).map(shown)).toEqual(before);
    expect(chat.items.at(-2)).toMatchObject({ kind: 'assistant', text: 'OK.' });
    // The model sees the earlier exchange too: the conversation outlived the engine.
    expect(JSON.stringify(engine.requests.at(-1))).toContain('first');
  });

  it('after the worker died, the next message loads the model again', async () => {
    const engine = new ScriptedEngine([], { fallback: 'OK.' });
    const chat = widget(engine, 4096);
    await chat.send('first');
    engine.crash();
    expect(chat.items.at(-1)).toMatchObject({
      kind: 'notice',
      text: expect.stringContaining('stopped unexpectedly') as string,
    });
    await chat.send('second');
    expect(engine.loads).toBe(2);
    expect(chat.items.at(-2)).toMatchObject({ kind: 'assistant', text: 'OK.' });
  });
});
