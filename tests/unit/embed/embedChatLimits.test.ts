/**
 * The widget follows the app's context policy (lib/agent/fitContext.ts, sizeLimits.ts): prompts are
 * fitted into the model's window with a visible notice, and a message too long for the model is refused
 * before anything is generated.
 */
import { describe, expect, it } from 'vitest';
import { EmbedChat } from '../../../src/embed/embedChat.svelte.ts';
import { HostBridge } from '../../../src/embed/hostBridge.ts';
import type { Engine, LoadResult } from '../../../src/engine/engine.ts';
import type { GenerateRequest, GenerateResult } from '../../../src/lib/types/generation.ts';
import { getPromptFormat } from '../../../src/lib/formats/index.ts';
import { sizeLimits } from '../../../src/lib/agent/sizeLimits.ts';

class EchoEngine implements Engine {
  requests: GenerateRequest[] = [];
  async load(): Promise<LoadResult> {
    return { modelId: 'm', elapsedMs: 1 };
  }
  async unload(): Promise<void> {}
  onDeviceLost(): () => void {
    return () => {};
  }
  interrupt(): void {}
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.requests.push(request);
    return { text: 'OK.', finishReason: 'stop' };
  }
}

function widget(engine: Engine, contextWindow: number) {
  const bridge = new HostBridge({ parent: null, allowedOrigins: [], callTimeoutMs: 1000, warn: () => {} });
  return new EmbedChat({ engine, modelId: 'm', format: getPromptFormat('hermes'), builtins: [], bridge, contextWindow });
}

const sentText = (request: GenerateRequest | undefined) => JSON.stringify(request);

describe('EmbedChat context window', () => {
  it('leaves the oldest exchanges out of the prompt, says so, and keeps every message on screen', async () => {
    const engine = new EchoEngine();
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
    expect(notice?.text).toMatch(/earlier messages? (was|were) left out of the prompt to fit the model's 1,024-token context/);
    expect(chat.items.filter((i) => i.kind === 'user')).toHaveLength(3);
  });

  it('refuses a message longer than the model can take, before loading or generating anything', async () => {
    const engine = new EchoEngine();
    const chat = widget(engine, 4096);
    const tooLong = 'x'.repeat(sizeLimits(4096).userMessageChars + 1);
    expect(chat.refusal(tooLong)).toMatch(/at most 6,144/);
    await chat.send(tooLong);
    expect(engine.requests).toHaveLength(0);
    expect(chat.items).toHaveLength(0);
    expect(chat.refusal('x'.repeat(sizeLimits(4096).userMessageChars))).toBeNull();
  });
});
