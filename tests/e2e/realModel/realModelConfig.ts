/**
 * What the real-model smoke test runs against, read from the environment. Weights can never be
 * downloaded on a test machine, so the model comes from disk; when it is not configured the test is
 * skipped with a reason that says which variable is missing (checked with no build and no server, so
 * the skip costs nothing on every `npm test`).
 *
 *   CALLAMA_MODEL_DIR     an MLC model folder: mlc-chat-config.json, tensor-cache.json (or
 *                         ndarray-cache.json), params_shard_*.bin, tokenizer files
 *   CALLAMA_MODEL_LIB     its model library (.wasm) compiled for web-llm 0.2.86 (a q4f32/q0f32 build:
 *                         SwiftShader has no shader-f16)
 *   CALLAMA_MODEL_FORMAT  prompt format id (default "hermes")
 *   CALLAMA_MAX_TOKENS    max tokens per generation (default 64: SwiftShader decodes ~20 s/token for 0.5B)
 *   CALLAMA_TIMEOUT_MIN   the whole test's budget in minutes (default 30)
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { FORMAT_IDS, isFormatId, type FormatId } from '../../../src/lib/formats/promptFormat.ts';

export interface RealModelConfig {
  modelDir: string;
  modelLib: string;
  formatId: FormatId;
  /** Custom-model id in the app; also the folder name in the served URL. */
  modelId: string;
  maxTokens: number;
  budgetMs: number;
}

export type RealModelSetup = { run: true; config: RealModelConfig } | { run: false; reason: string };

const HOW =
  'Set CALLAMA_MODEL_DIR and CALLAMA_MODEL_LIB to run the real-model smoke test ' +
  '(an MLC model folder and its web-llm 0.2.86 model library)';

/** Why `path` (from variable `name`) cannot be used, or undefined when it is a `kind` on disk. */
function problem(name: string, path: string | undefined, kind: 'dir' | 'file'): string | undefined {
  if (!path) return `${name} is not set`;
  if (!existsSync(path)) return `${name}=${path} does not exist`;
  const isDir = statSync(path).isDirectory();
  if (kind === 'dir' && !isDir) return `${name}=${path} is not a folder`;
  if (kind === 'file' && isDir) return `${name}=${path} is a folder, not a .wasm file`;
  return undefined;
}

function positiveInt(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return raw !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
}

export function readRealModelConfig(env: NodeJS.ProcessEnv = process.env): RealModelSetup {
  const dir = env.CALLAMA_MODEL_DIR?.trim();
  const lib = env.CALLAMA_MODEL_LIB?.trim();
  const missing = [problem('CALLAMA_MODEL_DIR', dir, 'dir'), problem('CALLAMA_MODEL_LIB', lib, 'file')].filter(Boolean);
  if (missing.length > 0 || !dir || !lib) return { run: false, reason: `${HOW}; skipped: ${missing.join(', ')}.` };

  const formatId = env.CALLAMA_MODEL_FORMAT?.trim() || 'hermes';
  if (!isFormatId(formatId)) {
    return {
      run: false,
      reason: `${HOW}; skipped: CALLAMA_MODEL_FORMAT="${formatId}" is not one of ${FORMAT_IDS.join(', ')}.`,
    };
  }
  const modelDir = resolve(dir);
  // A catalog id would be refused by the form ("already used"), so the local copy gets its own.
  const stem =
    basename(modelDir)
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '') || 'model';
  return {
    run: true,
    config: {
      modelDir,
      modelLib: resolve(lib),
      formatId,
      modelId: `local-${stem}`,
      maxTokens: positiveInt(env.CALLAMA_MAX_TOKENS, 64),
      budgetMs: positiveInt(env.CALLAMA_TIMEOUT_MIN, 30) * 60_000,
    },
  };
}
