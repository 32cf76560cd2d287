/**
 * A reply that makes no progress is never silent (lib/chat/chatSession.ts): it says when it waits
 * behind a stopped generation the engine is still finishing, a watchdog says when the model stayed
 * silent too long, and restartEngine stops the reply, restarts the engine and keeps every message.
 * Fake timers stand in for the minute of silence.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatSession, DEFAULT_STALL_AFTER_MS, type ReplyProgress } from '../../../src/lib/chat/chatSession.ts';
import { FunctionRegistry } from '../../../src/lib/dispatch/registry.ts';
import { getPromptFormat } from '../../../src/lib/formats/index.ts';
import type { Message } from '../../../src/lib/types/chat.ts';
import type { GenerateResult, TextGenerator } from '../../../src/lib/types/generation.ts';
import { nextTask } from '../../../src/lib/async/nextTask.ts';

/**
 * A generator whose generations wait until the test lets them speak (`say`) or end (`finish`);
 * `stuck` models a stopped generation the engine has not finished yet.
 */
class HeldGenerator implements TextGenerator {
  stuck = false;
  interrupts = 0;
  /** How many generations were asked for. */
  asked = 0;
  #onDelta: ((d: string, t: string) => void) | undefined;
  #text = '';
  #end: ((r: GenerateResult) => void) | undefined;

  generate(_request: unknown, onDelta?: (d: string, t: string) => void): Promise<GenerateResult> {
    this.asked++;
    this.#onDelta = onDelta;
    this.#text = '';
    return new Promise((resolve) => (this.#end = resolve));
  }
  say(piece: string): void {
    this.#text += piece;
    this.#onDelta?.(piece, this.#text);
  }
  finish(): void {
    this.#end?.({ text: this.#text, finishReason: 'stop' });
  }
  interrupt(): void {
    this.interrupts++;
    this.#end?.({ text: this.#text, finishReason: 'abort' });
  }
  finishingStopped(): boolean {
    return this.stuck;
  }
}

function session(generator: HeldGenerator, extra: { stallAfterMs?: number; restartEngine?: () => Promise<void> } = {}) {
  const seen: (ReplyProgress | null)[] = [];
  const chat = new ChatSession({
    readiness: () => ({ generator, modelId: 'm', format: getPromptFormat('hermes') }),
    registry: () => new FunctionRegistry(),
    progress: (p) => seen.push(p),
    ...(extra.stallAfterMs !== undefined ? { stallAfterMs: () => extra.stallAfterMs ?? 0 } : {}),
    ...(extra.restartEngine ? { restartEngine: extra.restartEngine } : {}),
  });
  return { chat, seen, last: () => seen.at(-1) ?? null };
}

/**
 * Lets the reply reach generate(): the session builds the prompt in a task after the send's (a
 * message on a channel, which fake timers do not run), and runAgent awaits prompt fitting.
 */
async function settle(generator: HeldGenerator): Promise<void> {
  const asked = generator.asked;
  while (generator.asked === asked) {
    await nextTask();
    if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(0);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ChatSession progress', () => {
  it('says it waits for the stopped answer until the first token, then nothing', async () => {
    vi.useFakeTimers();
    const generator = new HeldGenerator();
    generator.stuck = true;
    const { chat, last } = session(generator);
    const messages: Message[] = [];
    const reply = chat.send(messages, 'hello');
    await settle(generator);
    const answer = messages.at(-1);
    expect(last()).toEqual({ messageId: answer?.id, waitingForStopped: true, stalledS: null });
    generator.say('Hi');
    expect(last()).toEqual({ messageId: answer?.id, waitingForStopped: false, stalledS: null });
    generator.finish();
    await reply;
    expect(last()).toBeNull();
  });

  it('does not say it waits when the engine has nothing stopped to finish', async () => {
    vi.useFakeTimers();
    const generator = new HeldGenerator();
    const { chat, seen } = session(generator);
    const reply = chat.send([], 'hello');
    await settle(generator);
    generator.say('Hi');
    generator.finish();
    await reply;
    expect(seen.filter((p) => p !== null)).toEqual([]);
  });

  it('notices a model silent for the configured time, and forgets it when a token comes', async () => {
    vi.useFakeTimers();
    const generator = new HeldGenerator();
    const { chat, last } = session(generator, { stallAfterMs: 5_000 });
    const reply = chat.send([], 'hello');
    await settle(generator);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(last()).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(last()?.stalledS).toBe(5);
    generator.say('late');
    expect(last()?.stalledS).toBeNull();
    // The watchdog starts again from that token.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(last()?.stalledS).toBe(5);
    generator.finish();
    await reply;
    expect(last()).toBeNull();
  });

  it('counts the silence from the last token, however many came while it watched', async () => {
    vi.useFakeTimers();
    const generator = new HeldGenerator();
    const { chat, last } = session(generator, { stallAfterMs: 5_000 });
    const reply = chat.send([], 'hello');
    await settle(generator);
    // A token a second for three seconds, then silence from 3 s on.
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(1_000);
      generator.say(`t${i} `);
    }
    await vi.advanceTimersByTimeAsync(4_999);
    expect(last()).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(last()?.stalledS).toBe(5);
    generator.finish();
    await reply;
  });

  it('waits a minute by default', async () => {
    vi.useFakeTimers();
    const generator = new HeldGenerator();
    const { chat, last } = session(generator);
    const reply = chat.send([], 'hello');
    await settle(generator);
    await vi.advanceTimersByTimeAsync(DEFAULT_STALL_AFTER_MS - 1);
    expect(last()).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(last()?.stalledS).toBe(60);
    generator.finish();
    await reply;
  });

  it('shows the sent message and the empty answer before building the prompt, in a later task', async () => {
    const generator = new HeldGenerator();
    const { chat } = session(generator);
    const messages: Message[] = [];
    const reply = chat.send(messages, 'hello');
    // Everything the send's own task runs (its microtasks included): the view renders here.
    for (let i = 0; i < 100; i++) await Promise.resolve();
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(generator.asked).toBe(0);
    await settle(generator);
    generator.finish();
    await reply;
  });

  it('restartEngine stops the reply, keeps every message, restarts the engine, and the next message is answered', async () => {
    vi.useFakeTimers();
    const generator = new HeldGenerator();
    const restarted: string[] = [];
    const { chat, last } = session(generator, {
      stallAfterMs: 1_000,
      restartEngine: async () => {
        restarted.push('restart');
        generator.stuck = false;
      },
    });
    const messages: Message[] = [];
    const first = chat.send(messages, 'first');
    await settle(generator);
    generator.say('partial');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(last()?.stalledS).toBe(1);

    await chat.restartEngine();
    const stopped = await first;
    expect(generator.interrupts).toBeGreaterThan(0);
    expect(restarted).toEqual(['restart']);
    expect(stopped?.status).toBe('stopped');
    expect(chat.busy).toBe(false);
    expect(last()).toBeNull();

    const second = chat.send(messages, 'second');
    await settle(generator);
    generator.say('answered');
    generator.finish();
    const answer = await second;
    expect(answer?.status).toBe('done');
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(messages[1]?.role === 'assistant' && messages[1].steps[0]?.text).toBe('partial');
  });
});
