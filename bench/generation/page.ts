/**
 * Runs in the browser, served by bench/generation.bench.ts through Vite's dev server. Measures the same
 * generations two ways on one model:
 * - Callama: WorkerEngine (src/engine) driven by runAgent with a prompt format, the parser and a
 *   registered function: the path a chat message takes in the app;
 * - bare: web-llm's own worker engine, sent the very requests Callama sent (same prompts, same
 *   sampling), streamed the same way.
 * The engines load one after the other so only one model is in GPU memory at a time.
 */
import { CreateWebWorkerMLCEngine, type Completion } from '@mlc-ai/web-llm';
import { createEngine } from '../../src/engine/createEngine.ts';
import { toChatParams, toCompletionParams, usageToStats } from '../../src/engine/requestMapping.ts';
import { runAgent } from '../../src/lib/agent/runAgent.ts';
import { FunctionRegistry } from '../../src/lib/dispatch/registry.ts';
import { getPromptFormat } from '../../src/lib/formats/index.ts';
import { isFormatId } from '../../src/lib/formats/promptFormat.ts';
import type { GenerateRequest, GenerationStats } from '../../src/lib/types/generation.ts';

export interface BenchConfig {
  modelId: string;
  modelUrl: string;
  modelLibUrl: string;
  formatId: string;
  question: string;
  runs: number;
  maxTokens: number;
}

export interface Sample {
  wallMs: number;
  stats?: GenerationStats;
}

export interface BenchOutput {
  callama: { loadMs: number; generations: Sample[]; agentWallMs: number[] };
  bare: { loadMs: number; generations: Sample[] };
}

declare global {
  interface Window {
    runGenerationBench?: (config: BenchConfig) => Promise<BenchOutput>;
  }
}

const status = (text: string) => {
  const el = document.getElementById('status');
  if (el) el.textContent = text;
};

function weatherRegistry(): FunctionRegistry {
  const registry = new FunctionRegistry();
  registry.register(
    {
      name: 'get_weather',
      description: 'Get the current weather in a city.',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string', description: 'The city name' } },
        required: ['city'],
      },
    },
    (args) => ({ city: args.city, tempC: 21, sky: 'clear' }),
  );
  return registry;
}

async function runCallama(config: BenchConfig, requests: GenerateRequest[]): Promise<BenchOutput['callama']> {
  if (!isFormatId(config.formatId)) throw new Error(`Unknown format "${config.formatId}"`);
  const format = getPromptFormat(config.formatId);
  const engine = createEngine();
  const t0 = performance.now();
  const record = {
    id: config.modelId,
    displayName: config.modelId,
    modelUrl: config.modelUrl,
    modelLibUrl: config.modelLibUrl,
    formatId: format.id,
    requiredFeatures: [],
  };
  await engine.load({ kind: 'custom', record }, (p) => status(p.text));
  const loadMs = performance.now() - t0;
  const generations: Sample[] = [];
  const agentWallMs: number[] = [];
  for (let i = 0; i < config.runs; i++) {
    status(`Callama run ${i + 1}/${config.runs}`);
    let started = 0;
    const a0 = performance.now();
    await runAgent({
      generator: engine,
      format,
      registry: weatherRegistry(),
      turns: [{ role: 'user', content: config.question }],
      generation: { maxTokens: config.maxTokens, temperature: 0 },
      onEvent: (e) => {
        if (e.type === 'generation_start') {
          started = performance.now();
          if (i === 0) requests.push(e.request);
        } else if (e.type === 'generation_end') {
          generations.push({ wallMs: performance.now() - started, ...(e.result.stats && { stats: e.result.stats }) });
        }
      },
    });
    agentWallMs.push(performance.now() - a0);
  }
  await engine.unload();
  return { loadMs, generations, agentWallMs };
}

async function runBare(config: BenchConfig, requests: GenerateRequest[]): Promise<BenchOutput['bare']> {
  const worker = new Worker(new URL('./bareWorker.ts', import.meta.url), { type: 'module' });
  const t0 = performance.now();
  const engine = await CreateWebWorkerMLCEngine(worker, config.modelId, {
    appConfig: { model_list: [{ model: config.modelUrl, model_id: config.modelId, model_lib: config.modelLibUrl }] },
    initProgressCallback: (p) => status(p.text),
  });
  const loadMs = performance.now() - t0;
  const generations: Sample[] = [];
  for (let i = 0; i < config.runs; i++) {
    for (const request of requests) {
      status(`bare web-llm run ${i + 1}/${config.runs}`);
      const s0 = performance.now();
      let usage: Completion['usage'];
      if (request.api === 'completion') {
        for await (const chunk of await engine.completions.create(toCompletionParams(request)))
          usage = chunk.usage ?? usage;
      } else {
        for await (const chunk of await engine.chat.completions.create(toChatParams(request)))
          usage = chunk.usage ?? usage;
      }
      const stats = usageToStats(usage ?? undefined);
      generations.push({ wallMs: performance.now() - s0, ...(stats && { stats }) });
    }
  }
  await engine.unload();
  worker.terminate();
  return { loadMs, generations };
}

window.runGenerationBench = async (config) => {
  const requests: GenerateRequest[] = [];
  const callama = await runCallama(config, requests);
  const bare = await runBare(config, requests);
  status('done');
  return { callama, bare };
};
status('ready');
