/**
 * The widget runs the chat core's waits too (lib/chat/chatSession.ts): a reply sent while the engine
 * still finishes a stopped generation says so, and "Restart the engine" stops the hung reply, gives
 * the engine a fresh worker, loads the model again and keeps the conversation.
 */
import { testWidget } from './testWidget.ts';
import { describe, expect, it } from 'vitest';
import { HostBridge } from '../../../src/embed/hostBridge.ts';
import type { GenerateRequest, GenerateResult } from '../../../src/lib/types/generation.ts';
import { ScriptedEngine } from '../../doubles/scriptedEngine.ts';

/** Answers until told to hang: then generations never produce a token until interrupted. */
class HangingEngine extends ScriptedEngine {
  hung = false;
  #release: (() => void) | null = null;
  override async generate(request: GenerateRequest, onDelta?: (d: string, t: string) => void): Promise<GenerateResult> {
    if (!this.hung) return super.generate(request, onDelta);
    this.requests.push(request);
    return new Promise((resolve) => (this.#release = () => resolve({ text: '', finishReason: 'abort' })));
  }
  override interrupt(): void {
    this.#release?.();
    this.#release = null;
  }
  override restart(): void {
    super.restart();
    this.hung = false;
  }
  override finishingStopped(): boolean {
    return this.hung;
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('EmbedChat waits', () => {
  it('says it waits behind a stopped answer; Restart the engine recovers and keeps the conversation', async () => {
    const engine = new HangingEngine([], { fallback: 'OK.' });
    const bridge = new HostBridge({ parent: null, allowedOrigins: [], callTimeoutMs: 1000, warn: () => {} });
    const chat = testWidget({ engine, bridge });
    await chat.send('first');
    engine.hung = true;
    const hung = chat.send('second');
    for (let i = 0; i < 20 && engine.requests.length < 2; i++) await tick();
    expect(chat.replyProgress).toMatchObject({ waitingForStopped: true, stalledS: null });

    await chat.restartEngine();
    await hung;
    expect(engine.restarts).toBe(1);
    expect(engine.loads).toBe(2);
    expect(chat.replyProgress).toBeNull();
    expect(chat.status).toBe('ready');
    expect(chat.items.some((i) => i.kind === 'notice' && i.text.includes('The engine was restarted'))).toBe(true);

    await chat.send('third');
    expect(chat.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    const last = chat.messages.at(-1);
    expect(last?.role === 'assistant' && last.status).toBe('done');
  });
});
