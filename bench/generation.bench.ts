/**
 * `tsx bench/generation.bench.ts --model-dir <MLC model folder> --model-lib <model .wasm> [--format generic]
 *  [--runs 3] [--max-tokens 128] [--question "…"]` (part of `npm run bench`).
 *
 * Decode and prefill tokens/s through Callama's full path (WorkerEngine + runAgent + prompt format +
 * parser, see bench/generation/page.ts) against bare web-llm on the same model, same requests, same
 * browser, as a ratio (1.0 = no overhead). Also the agent loop's own time outside generation.
 * The model is served from the local folder on localhost (laid out under /resolve/main/ as web-llm
 * expects); nothing is downloaded. Needs a WebGPU adapter that can run the model (SwiftShader can run
 * q4f32 models, very slowly). Without --model-dir/--model-lib it says so and exits 0.
 * Writes bench/results/generation.json.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connect, Plugin } from 'vite';
import { round, table } from './lib/measure.ts';
import type { BenchConfig, BenchOutput, Sample } from './generation/page.ts';
import { CHROMIUM_ARGS } from './shell.bench.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsFile = join(root, 'bench/results/generation.json');

function readArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (key?.startsWith('--') && value !== undefined) args.set(key.slice(2), value);
  }
  return args;
}

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

/** Serves the model folder at /models/<id>/resolve/main/ and the library at /libs/<file>. */
function modelFiles(modelDir: string, modelLib: string, modelId: string): Plugin {
  const prefix = `/models/${modelId}/resolve/main/`;
  const libPath = `/libs/${basename(modelLib)}`;
  const serve: Connect.NextHandleFunction = (req, res, next) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file: string | undefined;
    if (path === libPath) file = modelLib;
    else if (path.startsWith(prefix)) {
      const candidate = normalize(join(modelDir, path.slice(prefix.length)));
      if (candidate.startsWith(normalize(modelDir) + sep)) file = candidate;
    }
    if (!file || !existsSync(file) || !statSync(file).isFile()) return next();
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.end(readFileSync(file));
  };
  return { name: 'callama:bench-model-files', configureServer: (server) => void server.middlewares.use(serve) };
}

const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};
const statMedian = (samples: Sample[], key: 'decodeTokensPerS' | 'prefillTokensPerS') =>
  median(samples.map((s) => s.stats?.[key] ?? NaN));

export function summarizeBench(out: BenchOutput, runs: number) {
  const decode = {
    callama: statMedian(out.callama.generations, 'decodeTokensPerS'),
    bare: statMedian(out.bare.generations, 'decodeTokensPerS'),
  };
  const prefill = {
    callama: statMedian(out.callama.generations, 'prefillTokensPerS'),
    bare: statMedian(out.bare.generations, 'prefillTokensPerS'),
  };
  const perRun = out.callama.generations.length / Math.max(1, runs);
  // Time the agent spent outside generation (prompt building, parsing, dispatch), per user message.
  const overheadMs = out.callama.agentWallMs.map(
    (wall, i) =>
      wall - out.callama.generations.slice(i * perRun, (i + 1) * perRun).reduce((sum, g) => sum + g.wallMs, 0),
  );
  return {
    decodeTokensPerS: { ...decode, ratio: decode.callama / decode.bare },
    prefillTokensPerS: { ...prefill, ratio: prefill.callama / prefill.bare },
    agentOverheadMs: median(overheadMs),
    loadMs: { callama: out.callama.loadMs, bare: out.bare.loadMs },
  };
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  const modelDir = args.get('model-dir');
  const modelLib = args.get('model-lib');
  if (!modelDir || !modelLib || !existsSync(join(modelDir, 'mlc-chat-config.json')) || !existsSync(modelLib)) {
    const reason =
      !modelDir || !modelLib
        ? 'no --model-dir/--model-lib given'
        : `model files not found (${join(modelDir, 'mlc-chat-config.json')}, ${modelLib})`;
    console.log(
      `generation bench skipped: ${reason}.\nUsage: tsx bench/generation.bench.ts --model-dir <MLC model folder> --model-lib <model .wasm> [--format generic] [--runs 3]`,
    );
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(
      resultsFile,
      `${JSON.stringify({ date: new Date().toISOString(), skipped: true, reason }, null, 2)}\n`,
    );
    return;
  }

  const runs = Number(args.get('runs') ?? 3);
  const modelId = basename(normalize(modelDir));
  const { createServer } = await import('vite');
  const { chromium } = await import('@playwright/test');
  const server = await createServer({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0 },
    plugins: [modelFiles(modelDir, modelLib, modelId)],
  });
  await server.listen();
  const address = server.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => m.type() === 'error' && console.error(`[page] ${m.text()}`));
    await page.goto(`${origin}/bench/generation/index.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, {
      timeout: 120_000,
    });
    const config: BenchConfig = {
      modelId,
      modelUrl: `${origin}/models/${modelId}/resolve/main/`,
      modelLibUrl: `${origin}/libs/${basename(modelLib)}`,
      formatId: args.get('format') ?? 'generic',
      question: args.get('question') ?? 'What is the weather in Paris right now?',
      runs,
      maxTokens: Number(args.get('max-tokens') ?? 128),
    };
    console.log(`Running ${runs} run(s) of "${config.question}" on ${modelId} (format ${config.formatId})…`);
    const out = await page.evaluate((c) => {
      if (!window.runGenerationBench) throw new Error('benchmark page not ready');
      return window.runGenerationBench(c);
    }, config);
    const summary = summarizeBench(out, runs);
    console.log(
      `\n${table(
        ['tokens/s (median)', 'Callama', 'bare web-llm', 'ratio'],
        [
          [
            'decode',
            round(summary.decodeTokensPerS.callama),
            round(summary.decodeTokensPerS.bare),
            round(summary.decodeTokensPerS.ratio, 3),
          ],
          [
            'prefill',
            round(summary.prefillTokensPerS.callama),
            round(summary.prefillTokensPerS.bare),
            round(summary.prefillTokensPerS.ratio, 3),
          ],
        ],
      )}`,
    );
    console.log(`\nAgent loop time outside generation: ${round(summary.agentOverheadMs)} ms per message (median)`);
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(
      resultsFile,
      `${JSON.stringify({ date: new Date().toISOString(), skipped: false, config, summary, raw: out }, null, 2)}\n`,
    );
    console.log('\nwrote bench/results/generation.json');
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
