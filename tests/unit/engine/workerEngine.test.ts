/**
 * WorkerEngine (main thread) against WorkerHost (worker side) over an in-process port that
 * structured-clones every message, as postMessage does. web-llm is replaced by a scripted backend.
 */
import { describe, expect, it } from 'vitest';
import { prebuiltAppConfig, type AppConfig, type InitProgressReport } from '@mlc-ai/web-llm';
import { WorkerEngine, INTERRUPT_GRACE_MS, type WorkerPort } from '../../../src/engine/workerEngine.ts';
import { WorkerHost, type LlmBackend } from '../../../src/engine/workerHost.ts';
import type { WorkerReply, WorkerRequest } from '../../../src/engine/protocol.ts';
import {
  EngineNotLoadedError,
  LoadCancelledError,
  ModelIntegrityError,
  ModelLibraryMismatchError,
  ModelNotFoundError,
  WorkerCrashedError,
} from '../../../src/engine/errors.ts';
import type { LoadProgress, ModelSource } from '../../../src/engine/engine.ts';
import { wordError } from '../../../src/engine/errorWording.ts';

const MODEL = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
/** A custom model with its own weights and library URLs, as the UI sends it. */
const customSource = (id: string, modelUrl: string, modelLibUrl: string): ModelSource => ({
  kind: 'custom',
  record: { id, displayName: id, modelUrl, modelLibUrl, formatId: 'hermes', requiredFeatures: [] },
});
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class FakeBackend implements LlmBackend {
  progress?: (r: InitProgressReport) => void;
  appConfig?: AppConfig;
  interrupted = false;
  /** Delay per decode step; a huge one simulates a GPU step that outlasts the interrupt grace. */
  stepMs = 5;
  /** Whether a decode step is in progress: what a hung GPU step looks like from outside. */
  stepRunning = false;
  words = ['Hello', ' there', ',', ' friend'];
  sent: unknown[] = [];
  setAppConfig(c: AppConfig) {
    this.appConfig = c;
  }
  setInitProgressCallback(cb?: (r: InitProgressReport) => void) {
    this.progress = cb;
  }
  async reload(modelId: string) {
    if (modelId.includes('old-lib')) {
      const e = new Error(
        'WebAssembly.instantiate(): Import #3 "env" "TVMFFIFoo": function import requires a callable',
      );
      e.name = 'LinkError';
      throw e;
    }
    this.progress?.({
      progress: 0.5,
      timeElapsed: 1,
      text: 'Fetching param cache[1/2]: 100MB fetched. 50% completed, 1 secs elapsed.',
    });
    this.progress?.({ progress: 1, timeElapsed: 2, text: 'Finish loading on WebGPU - fake' });
  }
  async unload() {}
  interruptGenerate() {
    this.interrupted = true;
  }
  #stream(kind: 'text' | 'chat') {
    this.interrupted = false;
    return (async function* (fake: FakeBackend) {
      let finish = 'stop';
      for (const w of fake.words) {
        fake.stepRunning = true;
        await sleep(fake.stepMs);
        fake.stepRunning = false;
        if (fake.interrupted) {
          finish = 'abort';
          break;
        }
        yield kind === 'text'
          ? {
              id: 'x',
              object: 'text_completion',
              created: 0,
              model: MODEL,
              choices: [{ text: w, index: 0, finish_reason: null }],
            }
          : {
              id: 'x',
              object: 'chat.completion.chunk',
              created: 0,
              model: MODEL,
              choices: [{ delta: { content: w }, index: 0, finish_reason: null }],
            };
      }
      yield {
        id: 'x',
        object: 'text_completion',
        created: 0,
        model: MODEL,
        choices: [{ text: '', index: 0, finish_reason: finish }],
      };
      yield {
        id: 'x',
        object: 'text_completion',
        created: 0,
        model: MODEL,
        choices: [],
        usage: {
          prompt_tokens: 7,
          completion_tokens: 4,
          total_tokens: 11,
          extra: {
            e2e_latency_s: 0.1,
            prefill_tokens_per_s: 70,
            decode_tokens_per_s: 40,
            time_to_first_token_s: 0.01,
            time_per_output_token_s: 0.02,
          },
        },
      };
    })(this);
  }
  completions = {
    create: async (p: unknown) => {
      this.sent.push(p);
      return this.#stream('text') as never;
    },
  };
  chat = {
    completions: {
      create: async (p: unknown) => {
        this.sent.push(p);
        return this.#stream('chat') as never;
      },
    },
  };
}

function setup(opts: { cached?: boolean; partial?: boolean } = {}) {
  const backend = new FakeBackend();
  /** Every reply the worker posted, in order. */
  const replies: WorkerReply[] = [];
  let listener: ((r: WorkerReply) => void) | undefined;
  const host = new WorkerHost({
    backend,
    baseAppConfig: prebuiltAppConfig,
    post: (reply) => {
      replies.push(reply);
      setTimeout(() => listener?.(structuredClone(reply)), 0);
    },
    cacheCompleteness: async () =>
      opts.partial
        ? { state: 'partial', cachedBytes: 60, totalBytes: 80 }
        : { state: opts.cached ? 'complete' : 'absent', cachedBytes: 0 },
    deleteModelAllInfoInCache: async () => {},
    cachedBytes: async () => 123,
    tokenize: async (_id, text) => ({
      ids: [1, ...Array.from(text, (c) => c.charCodeAt(0))],
      bosTokenId: 1,
      bosCount: 1,
    }),
    now: () => performance.now(),
  });
  const port: WorkerPort = {
    postMessage: (m: WorkerRequest) => setTimeout(() => void host.handle(structuredClone(m)), 0),
    onReply: (l) => {
      listener = l;
    },
    onCrash: () => {},
    terminate: () => {},
  };
  /** Posts a reply as the worker would (e.g. the unsolicited deviceLost). */
  const post = (reply: WorkerReply) => listener?.(structuredClone(reply));
  return { engine: new WorkerEngine(() => port), backend, host, port, post, replies };
}

describe('WorkerEngine ↔ WorkerHost', () => {
  it('loads with parsed progress and says whether the weights came from the cache', async () => {
    const { engine } = setup({ cached: true });
    const seen: LoadProgress[] = [];
    const result = await engine.load({ kind: 'catalog', id: MODEL }, (p) => seen.push(p));
    expect(result.modelId).toBe(MODEL);
    expect(result.fromCache).toBe(true);
    expect(seen.map((p) => p.phase)).toEqual(['fetch', 'done']);
    expect(seen[0]?.loadedBytes).toBe(100 * 2 ** 20);
  });

  it('decides "from cache" before the load: the files a load downloads and caches do not count', async () => {
    const cache = { cached: false };
    const { engine, backend } = setup(cache);
    // web-llm caches what it downloads: after this reload the cache holds every file.
    backend.reload = async () => {
      backend.progress?.({ progress: 1, timeElapsed: 1, text: 'Loading model from cache[1/1]: 100MB loaded.' });
      cache.cached = true;
    };
    expect((await engine.load({ kind: 'catalog', id: MODEL })).fromCache).toBe(false);
    expect((await engine.load({ kind: 'catalog', id: MODEL })).fromCache).toBe(true);
  });

  it('streams deltas and resolves with text, finish reason and stats', async () => {
    const { engine, backend } = setup();
    await engine.load({ kind: 'catalog', id: MODEL });
    const deltas: string[] = [];
    const r = await engine.generate({ api: 'completion', prompt: '<s>[INST] hi [/INST]', maxTokens: 8 }, (d, text) => {
      deltas.push(d);
      // The text so far is the pieces so far, added up on this side.
      expect(text).toBe(deltas.join(''));
    });
    // Pieces of one frame may arrive joined (deltaBatcher.ts); all of them arrive before the result.
    expect(deltas.join('')).toBe(backend.words.join(''));
    expect(r).toEqual({
      text: 'Hello there, friend',
      finishReason: 'stop',
      stats: expect.objectContaining({ promptTokens: 7, decodeTokensPerS: 40 }) as unknown,
    });
    expect(backend.sent[0]).toMatchObject({ prompt: '<s>[INST] hi [/INST]', max_tokens: 8, stream: true });
  });

  it('sends each character of a long answer across once, and every piece before the result', async () => {
    const { engine, backend, replies } = setup();
    backend.stepMs = 0;
    backend.words = Array.from({ length: 400 }, (_, i) => ` word${i}`);
    await engine.load({ kind: 'catalog', id: MODEL });
    const r = await engine.generate({ api: 'completion', prompt: 'p', maxTokens: 500 });
    expect(r.text).toBe(backend.words.join(''));
    const deltas = replies.filter((m) => m.kind === 'delta');
    // Bytes across the boundary grow with the answer, not with the answer times its tokens.
    const sent = deltas.reduce((sum, m) => sum + JSON.stringify(m).length, 0);
    expect(sent).toBeLessThan(r.text.length + 100 * deltas.length);
    expect(deltas.map((m) => m.delta).join('')).toBe(r.text);
    const kinds = replies.map((m) => m.kind);
    expect(kinds.lastIndexOf('result')).toBeGreaterThan(kinds.lastIndexOf('delta'));
  });

  it('rejects with typed errors: not loaded, unknown model, library built for another web-llm', async () => {
    const { engine } = setup();
    await expect(engine.generate({ api: 'chat', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(
      EngineNotLoadedError,
    );
    await expect(engine.load({ kind: 'catalog', id: 'Nope-MLC' })).rejects.toBeInstanceOf(ModelNotFoundError);
    const err = await engine
      .load(customSource('my-old-lib', 'https://h/m', 'https://h/old-lib.wasm'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLibraryMismatchError);
    expect((err as ModelLibraryMismatchError).data.missingImport).toBe('TVMFFIFoo');
  });

  it('interrupt stops before the answer is complete, with finishReason abort and the partial text', async () => {
    const { engine, backend } = setup();
    await engine.load({ kind: 'catalog', id: MODEL });
    backend.stepMs = 30;
    let text = '';
    const pending = engine.generate({ api: 'completion', prompt: 'p' }, (_d, t) => {
      text = t;
    });
    while (text === '') await sleep(5);
    engine.interrupt();
    const r = await pending;
    expect(r.finishReason).toBe('abort');
    expect(r.text.startsWith('Hello')).toBe(true);
    expect(r.text.length).toBeLessThan('Hello there, friend'.length);
  });

  it('interrupt settles locally even when the GPU step never returns in time', async () => {
    const { engine, backend } = setup();
    await engine.load({ kind: 'catalog', id: MODEL });
    backend.stepMs = 20;
    let text = '';
    const pending = engine.generate({ api: 'completion', prompt: 'p' }, (_d, t) => {
      text = t;
    });
    while (text === '') await sleep(2);
    backend.stepMs = 5_000; // the next step hangs far past the grace period
    await sleep(25);
    const t0 = performance.now();
    engine.interrupt();
    const r = await pending;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(INTERRUPT_GRACE_MS - 5);
    // Settled by the grace timer, not by the worker: the 5 s step is still running.
    expect(backend.stepRunning).toBe(true);
    expect(r).toEqual({ text, finishReason: 'abort' });
  });

  it('says a stopped generation is still being finished until the worker reports its end', async () => {
    const { engine, backend } = setup();
    await engine.load({ kind: 'catalog', id: MODEL });
    backend.stepMs = 20;
    let text = '';
    const pending = engine.generate({ api: 'completion', prompt: 'p' }, (_d, t) => {
      text = t;
    });
    while (text === '') await sleep(2);
    expect(engine.finishingStopped()).toBe(false);
    backend.stepMs = 400; // the step in progress outlasts the grace: the client settles locally
    await sleep(25);
    engine.interrupt();
    expect(await pending).toEqual({ text, finishReason: 'abort' });
    // The worker (web-llm's lock) is still busy with it: the next request would wait.
    expect(engine.finishingStopped()).toBe(true);
    while (engine.finishingStopped()) await sleep(10);
    // A restart drops whatever the old worker was finishing.
    backend.stepMs = 400;
    const again = engine.generate({ api: 'completion', prompt: 'p' });
    await sleep(25);
    engine.interrupt();
    await again;
    expect(engine.finishingStopped()).toBe(true);
    engine.restart();
    expect(engine.finishingStopped()).toBe(false);
  });

  it('answers cache and tokenize requests, and registers custom models for them', async () => {
    const { engine, backend } = setup({ cached: true });
    const status = await engine.cacheStatus([
      { kind: 'catalog', id: MODEL },
      customSource('custom-1', 'https://h/c', 'https://h/c.wasm'),
    ]);
    expect(status).toEqual([
      { modelId: MODEL, cached: true, bytes: 123 },
      { modelId: 'custom-1', cached: true, bytes: 123 },
    ]);
    expect(backend.appConfig?.model_list.some((r) => r.model_id === 'custom-1')).toBe(true);
    await expect(engine.tokenize('<s>')).rejects.toBeInstanceOf(EngineNotLoadedError);
    await engine.load({ kind: 'catalog', id: MODEL });
    expect(await engine.tokenize('ab')).toEqual({ ids: [1, 97, 98], bosTokenId: 1, bosCount: 1 });
  });

  it('a crashed worker fails pending requests with WorkerCrashedError, says so, and the next request starts a new worker', async () => {
    const ports: { crash?: (m: string) => void; terminated: boolean; sent: WorkerRequest[] }[] = [];
    const engine = new WorkerEngine(() => {
      const port: (typeof ports)[number] = { terminated: false, sent: [] };
      ports.push(port);
      return {
        postMessage: (m) => port.sent.push(m),
        onReply: () => {},
        onCrash: (l) => {
          port.crash = l;
        },
        terminate: () => {
          port.terminated = true;
        },
      };
    });
    const heard: string[] = [];
    engine.onCrash((m) => heard.push(m));
    const load = engine.load({ kind: 'catalog', id: MODEL });
    const generate = engine.generate({ api: 'completion', prompt: 'p' });
    ports[0]?.crash?.('boom');
    await expect(load).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(generate).rejects.toMatchObject({
      name: 'WorkerCrashedError',
      message: 'boom',
      data: { request: 'generate' },
    });
    expect(heard).toEqual(['boom']);
    expect(ports[0]?.terminated).toBe(true);
    void engine.load({ kind: 'catalog', id: MODEL }).catch(() => undefined);
    expect(ports).toHaveLength(2);
    expect(ports[1]?.sent.map((m) => m.kind)).toEqual(['load']);
  });

  it('a postMessage that throws counts as a crash instead of a request that never settles', async () => {
    const engine = new WorkerEngine(() => ({
      postMessage: () => {
        throw new DOMException('could not be cloned', 'DataCloneError');
      },
      onReply: () => {},
      onCrash: () => {},
      terminate: () => {},
    }));
    const heard: string[] = [];
    engine.onCrash((m) => heard.push(m));
    await expect(engine.load({ kind: 'catalog', id: MODEL })).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(heard).toHaveLength(1);
  });

  it('restart() drops the worker without reporting a crash; the next request gets a fresh worker with no model', async () => {
    let made = 0;
    // Each new port is a new worker: a new host over a new backend, with nothing loaded.
    const engine = new WorkerEngine(() => {
      made++;
      return setup().port;
    });
    const heard: string[] = [];
    engine.onCrash((m) => heard.push(m));
    await engine.load({ kind: 'catalog', id: MODEL });
    expect(made).toBe(1);
    engine.restart();
    expect(heard).toEqual([]);
    await expect(engine.generate({ api: 'completion', prompt: 'p' })).rejects.toBeInstanceOf(EngineNotLoadedError);
    expect(made).toBe(2);
  });

  it('cancelLoad() ends the worker that is downloading: the load fails as cancelled, no crash is reported, the next load gets a fresh worker', async () => {
    const ports: { posted: WorkerRequest[]; terminated: boolean; reply?: (r: WorkerReply) => void }[] = [];
    // Workers that take the load and report progress, but never finish it (a long download).
    const engine = new WorkerEngine(() => {
      const port: (typeof ports)[number] = { posted: [], terminated: false };
      ports.push(port);
      return {
        postMessage: (m) => port.posted.push(m),
        onReply: (l) => {
          port.reply = l;
        },
        onCrash: () => undefined,
        terminate: () => {
          port.terminated = true;
        },
      };
    });
    const heard: string[] = [];
    engine.onCrash((m) => heard.push(m));
    const seen: number[] = [];
    const loading = engine.load({ kind: 'catalog', id: MODEL }, (p) => seen.push(p.fraction));
    const first = ports[0];
    const request = first?.posted[0];
    if (!first || request?.kind !== 'load') throw new Error('the load was not sent');
    first.reply?.({ kind: 'progress', id: request.id, progress: { fraction: 0.2, text: 'Fetching', elapsedMs: 1 } });

    engine.cancelLoad();
    await expect(loading).rejects.toBeInstanceOf(LoadCancelledError);
    expect(first.terminated).toBe(true);
    expect(heard).toEqual([]);
    // A late message of the ended worker changes nothing.
    first.reply?.({ kind: 'progress', id: request.id, progress: { fraction: 0.4, text: 'Fetching', elapsedMs: 2 } });
    expect(seen).toEqual([0.2]);

    void engine.load({ kind: 'catalog', id: MODEL }).catch(() => undefined);
    expect(ports).toHaveLength(2);
    expect(ports[1]?.posted[0]?.kind).toBe('load');
  });

  it('cancelLoad() with no load running leaves the worker alone', async () => {
    const { engine } = setup();
    await engine.load({ kind: 'catalog', id: MODEL });
    engine.cancelLoad();
    await expect(engine.generate({ api: 'completion', prompt: 'p' })).resolves.toMatchObject({
      text: 'Hello there, friend',
    });
  });

  it('a lost device ends the running generation as stopped, keeping what streamed, and tells the listeners', async () => {
    const { engine, backend, post } = setup();
    await engine.load({ kind: 'catalog', id: MODEL });
    backend.stepMs = 30;
    let text = '';
    const lost: string[] = [];
    engine.onDeviceLost((m) => lost.push(m));
    const pending = engine.generate({ api: 'completion', prompt: 'p' }, (_d, t) => {
      text = t;
    });
    while (text === '') await sleep(5);
    post({ kind: 'deviceLost', message: 'Device was lost' });
    const r = await pending;
    expect(r).toEqual({ text, finishReason: 'abort' });
    expect(lost).toEqual(['Device was lost']);
  });

  it("web-llm's IntegrityError arrives as ModelIntegrityError with the file and both hashes", async () => {
    const { engine, backend } = setup();
    backend.reload = async () => {
      const e = Object.assign(
        new Error(
          'Integrity verification failed for https://h/m/resolve/main/tokenizer.json\n  Expected: sha256-AAA\n  Actual: sha256-BBB\nThis may indicate file corruption or tampering.',
        ),
        {
          name: 'IntegrityError',
          url: 'https://h/m/resolve/main/tokenizer.json',
          expected: 'sha256-AAA',
          actual: 'sha256-BBB',
        },
      );
      throw e;
    };
    const err = await engine.load({ kind: 'catalog', id: MODEL }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelIntegrityError);
    expect(wordError(err as ModelIntegrityError).message).toBe(
      'https://h/m/resolve/main/tokenizer.json does not match its integrity hash; nothing was kept.',
    );
    expect((err as ModelIntegrityError).data).toMatchObject({ expected: 'sha256-AAA', actual: 'sha256-BBB' });
  });

  it('reports a partly downloaded model as not cached, with the bytes it has', async () => {
    const { engine } = setup({ partial: true });
    expect(await engine.cacheStatus([{ kind: 'catalog', id: MODEL }])).toEqual([
      { modelId: MODEL, cached: false, bytes: 123, partial: { cachedBytes: 60, totalBytes: 80 } },
    ]);
    expect((await engine.load({ kind: 'catalog', id: MODEL })).fromCache).toBe(false);
  });
});
