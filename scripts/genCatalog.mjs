#!/usr/bin/env node
/**
 * Generates src/engine/catalog.generated.json from web-llm's `prebuiltAppConfig`.
 *
 * Why generated: the catalog is shown on the main thread, which must not import web-llm (a 6 MB
 * module; the app shell must stay small). The installed web-llm is the only source of truth for
 * which prebuilt model libraries work with it, so we copy just the records we use, at build time.
 * tests/unit/engine/catalog.test.ts regenerates in memory and fails when the committed file is stale
 * (e.g. after a web-llm upgrade). Run: `node scripts/genCatalog.mjs`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prebuiltAppConfig, modelVersion } from '@mlc-ai/web-llm';

/** The builds we offer: families that call functions well, 4-bit f16 and f32 variants, full context. */
export const INCLUDE = [
  /^Llama-2-7b-chat-hf-q4f(16|32)_1-MLC$/,
  /^Llama-3\.1-8B-Instruct-q4f(16|32)_1-MLC$/,
  /^Llama-3\.2-[13]B-Instruct-q4f(16|32)_1-MLC$/,
  /^Mistral-7B-Instruct-v0\.3-q4f(16|32)_1-MLC$/,
  /^Hermes-2-Pro-(Llama-3-8B|Mistral-7B)-q4f(16|32)_1-MLC$/,
  /^Hermes-3-Llama-3\.(1-8B|2-3B)-q4f(16|32)_1-MLC$/,
  /^Qwen2\.5-(0\.5|1\.5|3|7)B-Instruct-q4f(16|32)_1-MLC$/,
  // Qwen3 and Qwen3.5 publish no "-Instruct" name: the released checkpoints are the chat models
  // (hybrid thinking), trained on tool calls. q0 builds are left out: 4-bit is smaller and faster.
  /^Qwen3-(0\.6|1\.7|4|8)B-q4f(16|32)_1-MLC$/,
  /^Qwen3\.5-(0\.8|2|4|9)B-q4f(16|32)_1-MLC$/,
  /^gemma-4-E2B-it-q4f(16|32)_1-MLC$/,
  // Ministral 3: the Instruct and Reasoning models. The Base model is not instruction-tuned, so it
  // has no chat or tool-call training to rely on.
  /^Ministral-3-3B-(Instruct-2512-BF16|Reasoning-2512)-q4f(16|32)_1-MLC$/,
  /^Phi-4-mini-instruct-q4f(16|32)_1-MLC$/,
  // SmolLM2: only the 1.7B card names function calling (its fine-tune mixed in Argilla's APIGen call
  // data); the 360M and 135M cards do not, and models that small have no tool training worth offering.
  /^SmolLM2-1\.7B-Instruct-q4f(16|32)_1-MLC$/,
];

const QUANT = /-(q\d+f\d+(?:_\d+)?)-MLC$/;

/** @param {import('@mlc-ai/web-llm').AppConfig} appConfig */
export function buildCatalogData(appConfig = prebuiltAppConfig, version = modelVersion) {
  const variants = appConfig.model_list
    .filter((r) => INCLUDE.some((re) => re.test(r.model_id)))
    .map((r) => {
      const quantization = QUANT.exec(r.model_id)?.[1] ?? 'unknown';
      const v = {
        modelId: r.model_id,
        baseId: r.model_id.replace(QUANT, ''),
        quantization,
        model: r.model,
        modelLib: r.model_lib,
        vramMB: r.vram_required_MB ?? null,
        lowResource: r.low_resource_required ?? false,
        contextWindow: r.overrides?.context_window_size ?? null,
        requiredFeatures: r.required_features ?? [],
        bufferSizeRequiredBytes: r.buffer_size_required_bytes ?? null,
      };
      return v;
    })
    .sort((a, b) => a.modelId.localeCompare(b.modelId));
  return { generatedFrom: '@mlc-ai/web-llm prebuiltAppConfig', modelVersion: version, variants };
}

export function renderCatalogJson(data = buildCatalogData()) {
  return JSON.stringify(data, null, 2) + '\n';
}

export const OUTPUT = fileURLToPath(new URL('../src/engine/catalog.generated.json', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OUTPUT, renderCatalogJson());
  console.log(`wrote ${OUTPUT}`);
}
