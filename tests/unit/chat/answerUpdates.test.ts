/**
 * Streamed text reaches the answer at most once per frame, however fast deltas arrive, and nothing is
 * lost: every other event, Stop and the end apply the pending text at once (lib/chat/answerUpdates.ts,
 * through ChatSession as the app and the widget run it). Frames come from a manual scheduler.
 */
import { describe, expect, it, vi } from 'vitest';
import { AnswerUpdates } from '../../../src/lib/chat/answerUpdates.ts';
import { ChatSession } from '../../../src/lib/chat/chatSession.ts';
import { newAssistantMessage } from '../../../src/lib/chat/messages.ts';
import { stepParts } from '../../../src/lib/chat/stepParts.ts';
import { FunctionRegistry } from '../../../src/lib/dispatch/registry.ts';
import { getPromptFormat } from '../../../src/lib/formats/index.ts';
import { previewStreamingCalls } from '../../../src/lib/parse/previewCalls.ts';
import type { AgentEvent } from '../../../src/lib/types/agent.ts';
import type { Message } from '../../../src/lib/types/chat.ts';
import type { FunctionSpec } from '../../../src/lib/types/functionSpec.ts';
import type { GenerateResult, TextGenerator } from '../../../src/lib/types/generation.ts';
import { ManualFrames } from '../../doubles/manualFrames.ts';

const weather: FunctionSpec = {
  name: 'get_weather',
  description: 'Weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const start = {
  type: 'generation_start',
  step: 0,
  formatId: 'hermes',
  request: { api: 'chat', messages: [] },
  constrained: false,
} satisfies AgentEvent;
const { type: _start, ...startRecord } = start;

/** The answer, its updates and how often a change reached it. */
function answer(frames: ManualFrames) {
  const msg = newAssistantMessage({});
  let changes = 0;
  const updates = new AnswerUpdates(msg, [weather], frames.schedule, () => changes++);
  updates.event(start);
  return { msg, updates, changes: () => changes };
}

/** The deltas of `text`, `size` characters each. */
function deltas(text: string, size: number): AgentEvent[] {
  const out: AgentEvent[] = [];
  for (let end = size; end < text.length + size; end += size) {
    const so = text.slice(0, Math.min(end, text.length));
    out.push({ type: 'delta', step: 0, delta: so.slice(end - size), text: so });
  }
  return out;
}

const TEXT = 'Let me check. <tool_call>{"name": "get_weather", "arguments": {"city": "Paris"}}</tool_call> Done.';

describe('AnswerUpdates', () => {
  it('applies any number of deltas within a frame as one update, with the latest text', () => {
    const frames = new ManualFrames();
    const { msg, updates, changes } = answer(frames);
    const before = changes();
    for (const ev of deltas(TEXT, 1)) updates.event(ev);
    expect(frames.requested).toBe(1);
    expect(msg.steps[0]?.text).toBe('');
    expect(changes()).toBe(before);

    frames.frame();
    expect(changes()).toBe(before + 1);
    expect(msg.steps[0]?.text).toBe(TEXT);
    expect(msg.steps[0]?.preview).toEqual(previewStreamingCalls(TEXT, [weather]));
    frames.frame();
    expect(changes()).toBe(before + 1);
  });

  it('asks for one frame per frame while text keeps coming, and none when it stops', () => {
    const frames = new ManualFrames();
    const { msg, updates, changes } = answer(frames);
    const all = deltas(TEXT, 3);
    for (let i = 0; i < all.length; i++) {
      const ev = all[i];
      if (ev) updates.event(ev);
      if (i % 5 === 4) frames.frame();
    }
    frames.frame();
    expect(frames.requested).toBe(Math.ceil(all.length / 5));
    expect(changes()).toBe(1 + Math.ceil(all.length / 5));
    expect(frames.waiting).toBe(0);
    expect(msg.steps[0]?.text).toBe(TEXT);
  });

  it('applies the pending text at once before any other event (the end of the generation, a call)', () => {
    const frames = new ManualFrames();
    const { msg, updates } = answer(frames);
    for (const ev of deltas(TEXT, 7)) updates.event(ev);
    updates.event({ type: 'generation_end', step: 0, result: { text: TEXT, finishReason: 'stop' } });
    // The preview had the whole text before the end replaced it; no frame is still waiting.
    expect(frames.waiting).toBe(0);
    expect(msg.steps[0]?.text).toBe(TEXT);
    expect(msg.steps[0]?.result?.text).toBe(TEXT);
  });

  it('on flush (Stop) shows everything streamed so far at once, and the frame then has nothing to do', () => {
    const frames = new ManualFrames();
    const { msg, updates, changes } = answer(frames);
    const cut = TEXT.slice(0, 40);
    for (const ev of deltas(cut, 2)) updates.event(ev);
    updates.flush();
    const step = msg.steps[0];
    expect(step && stepParts(step)).toEqual(
      stepParts({ ...startRecord, text: cut, calls: [], preview: previewStreamingCalls(cut, [weather]) }),
    );
    expect(frames.waiting).toBe(0);
    const after = changes();
    frames.frame();
    expect(changes()).toBe(after);
  });
});

/** A generator that streams `pieces` synchronously once started, then waits to be stopped. */
class BurstGenerator implements TextGenerator {
  #end: ((r: GenerateResult) => void) | undefined;
  #text = '';
  constructor(private readonly pieces: string[]) {}
  generate(_request: unknown, onDelta?: (d: string, t: string) => void): Promise<GenerateResult> {
    for (const piece of this.pieces) {
      this.#text += piece;
      onDelta?.(piece, this.#text);
    }
    return new Promise((resolve) => (this.#end = resolve));
  }
  interrupt(): void {
    this.#end?.({ text: this.#text, finishReason: 'abort' });
  }
  finishingStopped(): boolean {
    return false;
  }
}

describe('ChatSession with frames', () => {
  it('Stop keeps every token that arrived, even those no frame had shown yet', async () => {
    const frames = new ManualFrames();
    const pieces = Array.from({ length: 200 }, (_, i) => `w${i} `);
    const generator = new BurstGenerator(pieces);
    let changes = 0;
    const chat = new ChatSession({
      readiness: () => ({ generator, modelId: 'm', format: getPromptFormat('hermes') }),
      registry: () => new FunctionRegistry(),
      frames: frames.schedule,
      changed: () => changes++,
    });
    const messages: Message[] = [];
    const reply = chat.send(messages, 'talk');
    // The prompt is built in a task after the send's (chatSession.ts): wait for the deltas' frame.
    await vi.waitFor(() => expect(frames.waiting).toBe(1));
    // 200 deltas arrived; none has reached the message, one frame is asked for.
    const streamed = messages.at(-1);
    expect(streamed?.role === 'assistant' && streamed.steps[0]?.text).toBe('');
    expect(frames.waiting).toBe(1);
    expect(changes).toBe(1); // generation_start

    chat.stop();
    // At once, not at the next frame.
    expect(streamed?.role === 'assistant' && streamed.steps[0]?.text).toBe(pieces.join(''));
    const msg = await reply;
    expect(msg?.status).toBe('stopped');
    expect(msg?.steps[0]?.text).toBe(pieces.join(''));
    expect(msg && stepParts(msg.steps[0] ?? { ...startRecord, text: '', calls: [] }, false)).toEqual([
      { kind: 'text', text: pieces.join(''), streaming: false },
    ]);
  });
});
