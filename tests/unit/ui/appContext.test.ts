/**
 * The composition root (src/ui/state/appContext.ts): the app's objects built from an engine, storage
 * and a store channel, with nothing started until `startApp`, and wired to each other so that the
 * settings reach the engine, the engine and the functions reach the chat, and the consent gate stands
 * between the model and a function marked `confirm`.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext, startApp } from '../../../src/ui/state/appContext.ts';
import { LAST_MODEL_KEY } from '../../../src/ui/state/lastModel.ts';
import { PwaState } from '../../../src/ui/state/pwa.svelte.ts';
import { ConversationStore } from '../../../src/ui/persistence/conversationStore.ts';
import { assessGpu } from '../../../src/engine/gpu.ts';
import { modelIdOf, type CachedModelInfo, type ModelSource } from '../../../src/engine/engine.ts';
import type { AssistantMessage } from '../../../src/ui/state/chatMessages.ts';
import { ScriptedEngine } from '../../doubles/scriptedEngine.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';
import { channelPair, closeChannels } from '../../doubles/twoTabs.ts';

const MODEL = 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC'; // hermes format, the model's own chat template
const okGpu = assessGpu({
  hasWebGpu: true,
  adapter: { features: [], limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 } },
});

/** A scripted engine whose browser cache holds every model. */
class CachedEngine extends ScriptedEngine {
  override async cacheStatus(models: ModelSource[]): Promise<CachedModelInfo[]> {
    return models.map((m) => ({ modelId: modelIdOf(m), cached: true }));
  }
}

let n = 0;
function build(replies: string[] = [], gpuChecks: string[] = []) {
  const engine = new CachedEngine(replies);
  const storage = new MemoryStorage();
  storage.setItem(LAST_MODEL_KEY, MODEL);
  const [channel] = channelPair();
  const app = createAppContext({
    engine,
    storage,
    channel,
    pwa: new PwaState(),
    conversationStore: new ConversationStore(`app-context-${process.pid}-${++n}`),
    detectGpu: async () => {
      gpuChecks.push('checked');
      return okGpu;
    },
  });
  return { app, engine, storage };
}

afterEach(closeChannels);

describe('createAppContext', () => {
  it('starts nothing: no GPU check and no load until startApp', async () => {
    const gpuChecks: string[] = [];
    const { app, engine } = build([], gpuChecks);
    await new Promise((r) => setTimeout(r, 10));
    expect(gpuChecks).toEqual([]);
    expect(engine.loads).toBe(0);
    expect(app.engine.status).toBe('checking');
    expect(app.chat.blockedReason).toBe('Checking your GPU…');

    const started = startApp(app);
    // Not in the task that mounts the first screen, nor in its microtasks: in a task of its own.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(gpuChecks).toEqual([]);
    await started;
    expect(gpuChecks).toEqual(['checked']);
    // The last model, found in the browser cache, is loaded again by itself.
    expect(engine.sources.map(modelIdOf)).toEqual([MODEL]);
    expect(app.engine.status).toBe('ready');
    expect(app.chat.blockedReason).toBeNull();
  });

  it('hands the settings to the engine and the chat: a format change blocks sending until the reload', async () => {
    const { app, engine } = build();
    await startApp(app);
    app.settings.setFormatOverride(MODEL, 'qwen3.5'); // a raw-prompt format: the model must be reloaded
    expect(app.chat.blockedReason).toMatch(/prompt format changed/);
    await app.engine.applyFormatChange();
    expect(engine.sources.at(-1)).toEqual({ kind: 'catalog', id: MODEL, promptRendering: 'raw' });
    expect(app.chat.blockedReason).toBeNull();
  });

  it("resolves the user's custom models for the engine", async () => {
    const { app } = build();
    expect(app.resolveModel('My-Model')).toBeUndefined();
    const saved = await app.customModels.add(
      {
        id: 'My-Model',
        modelUrl: 'https://huggingface.co/me/my-MLC/resolve/main/',
        modelLib: { kind: 'url', url: 'https://example.com/libs/Llama-2-7b-chat-hf-q4f32_1-v0_2_86-webgpu.wasm' },
        formatId: 'trelis-v2',
      },
      async () => ({ ok: true, status: 200, text: async () => '{}' }),
    );
    expect(saved.ok).toBe(true);
    expect(app.resolveModel('My-Model')).toMatchObject({
      source: { kind: 'custom', record: { id: 'My-Model' }, promptRendering: 'raw' },
      info: { id: 'My-Model', formatId: 'trelis-v2' },
    });
  });

  it("builds the evaluator's state on first use, then hands out the same one (results survive switching views)", async () => {
    const { app } = build();
    const first = await app.evaluation();
    first.setPerCategory(3);
    const again = await app.evaluation();
    expect(again).toBe(first);
    expect(again.perCategory).toBe(3);
  });

  it('runs a chat turn through the enabled functions, asking before a function marked confirm', async () => {
    const call = '<tool_call>\n{"name": "open_url", "arguments": {"url": "https://example.com/"}}\n</tool_call>';
    const { app, engine } = build([call, 'I did not open it.']);
    await startApp(app);
    await app.conversations.init();
    const conversation = app.conversations.current;
    if (!conversation) throw new Error('no conversation');

    const reply = app.chat.send(conversation, 'Open example.com');
    await expect.poll(() => app.consent.pending.map((p) => p.name)).toEqual(['open_url']);
    // The prompt listed the enabled functions; the call waits for the user's answer.
    expect(JSON.stringify(engine.requests[0])).toContain('open_url');
    const question = app.consent.pending[0];
    if (!question) throw new Error('no question');
    app.consent.answer(question.callId, 'deny');

    const answer: AssistantMessage | null = await reply;
    expect(answer?.steps[0]?.calls[0]?.result).toMatchObject({ ok: false, error: { kind: 'declined' } });
    expect(answer?.steps.at(-1)?.parsed?.text).toBe('I did not open it.');
  });
});
