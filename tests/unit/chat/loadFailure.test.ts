/**
 * A model that fails to load is worded, advised and cleaned up by one piece of code
 * (engine/loadFailure.ts) in the app (EngineState.load) and the widget (EmbedChat): the same failure
 * gets the same sentence and advice in both, and a file that failed its integrity check gets the
 * model's cached files deleted in both.
 */
import { describe, expect, it } from 'vitest';
import { EngineState } from '../../../src/ui/state/engine.svelte.ts';
import { assessGpu } from '../../../src/engine/gpu.ts';
import { LastModelStore } from '../../../src/ui/state/lastModel.ts';
import { EmbedChat } from '../../../src/embed/embedChat.svelte.ts';
import { HostBridge } from '../../../src/embed/hostBridge.ts';
import { getPromptFormat } from '../../../src/lib/formats/index.ts';
import { modelIdOf, type LoadResult, type ModelSource } from '../../../src/engine/engine.ts';
import type { GenerateResult } from '../../../src/lib/types/generation.ts';
import { InertEngine } from '../../doubles/inertEngine.ts';
import { AgreedDownloads } from '../../doubles/agreedDownloads.ts';

const okGpu = assessGpu({
  hasWebGpu: true,
  adapter: {
    features: [],
    limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 },
    info: { vendor: 'test' },
  },
});

/** An engine whose loads fail with `error`, and which records the models it was asked to delete. */
class FailingEngine extends InertEngine {
  readonly deleted: string[] = [];
  constructor(private readonly error: Error) {
    super();
  }
  override load(): Promise<LoadResult> {
    return Promise.reject(this.error);
  }
  override generate(): Promise<GenerateResult> {
    return Promise.reject(new Error('not loaded'));
  }
  override async deleteCachedModel(source: ModelSource): Promise<void> {
    this.deleted.push(modelIdOf(source));
  }
}
const failingEngine = (error: Error) => new FailingEngine(error);

async function appError(error: Error, modelId: string) {
  const engine = failingEngine(error);
  const state = new EngineState({
    engine,
    detectGpu: async () => okGpu,
    resolve: (id: string) => ({
      source: { kind: 'catalog', id },
      info: { id, name: id, formatId: 'hermes' },
      whyNotRunnable: () => undefined,
    }),
    formatOverride: () => undefined,
    lastModel: new LastModelStore(undefined),
    loadLastOnStart: () => false,
  });
  await state.checkGpu();
  await state.load(modelId);
  return { engine, shown: state.error };
}

async function widgetError(error: Error, modelId: string) {
  const engine = failingEngine(error);
  const bridge = new HostBridge({ parent: null, allowedOrigins: [], warn: () => {} });
  const chat = new EmbedChat({
    engine,
    modelId,
    format: getPromptFormat('hermes'),
    builtins: [],
    bridge,
    downloadConsent: new AgreedDownloads(),
  });
  await chat.send('hello');
  return { engine, chat };
}

const integrity = () =>
  Object.assign(
    new Error('Integrity verification failed for https://h/tokenizer.json\n  Expected: sha256-A\n  Actual: sha256-B'),
    { name: 'IntegrityError' },
  );

describe('a failed model load, in the app and in the widget', () => {
  it('a file that fails its integrity check: the same sentence and advice, and the model deleted from the cache', async () => {
    const app = await appError(integrity(), 'm');
    const widget = await widgetError(integrity(), 'm');
    expect(app.engine.deleted).toEqual(['m']);
    expect(widget.engine.deleted).toEqual(['m']);
    expect(widget.chat.loadError).toEqual({
      name: app.shown?.name,
      message: app.shown?.message,
      advice: app.shown?.advice,
    });
    expect(widget.chat.loadError?.advice).toContain('Expected sha256-A, got sha256-B');
    // The reply failed with the friendly words, not web-llm's raw message.
    const error = widget.chat.items.find((i) => i.kind === 'error');
    expect(error?.kind === 'error' && error.text).toBe(`${app.shown?.message} ${app.shown?.advice}`);
    expect(JSON.stringify(widget.chat.items)).not.toContain('Integrity verification failed');
  });

  it('a failed load fails the reply like any other failure: the message stays, the answer is an error', async () => {
    const { chat } = await widgetError(new Error('No WebGPU here'), 'm');
    expect(chat.messages.map((m) => (m.role === 'user' ? m.content : m.status))).toEqual(['hello', 'error']);
    expect(chat.items.map((i) => i.kind)).toEqual(['user', 'error', 'actions']);
  });
});
