/**
 * The rules of the "Add a custom model" form: MLC weights URL + model library + prompt format (+
 * optional context window and SRI hashes). validateCustomModel checks every field, ties each problem
 * to its field, and (with an injected fetch) probes the weights folder (customModelProbe.ts); a valid
 * form becomes the record that is stored and loaded (customModelRecord.ts). Persisting custom models
 * is the UI's job.
 */
import { CATALOG, findModel } from './catalog.ts';
import { MODEL_LIB_VERSION, WEB_LLM_VERSION } from './webLlmVersion.ts';
import { isFormatId } from '../lib/formats/index.ts';
import { sriProblem, type CustomModelIntegrity, type CustomModelRecord } from './customModelRecord.ts';
import { modelLibUrlProblem, normalizeModelUrl, urlProblem } from './customModelUrl.ts';
import { probeWeightsFolder, type ProbeFetch } from './customModelProbe.ts';

export type CustomModelLib = { kind: 'url'; url: string } | { kind: 'catalog'; modelId: string };

/** SRI hashes the form takes ("sha256-…", "sha384-…", "sha512-…"); empty strings mean "none". */
export interface IntegrityInput {
  config?: string;
  modelLib?: string;
  tokenizerJson?: string;
  tokenizerModel?: string;
}

export interface CustomModelInput {
  id: string;
  displayName?: string;
  modelUrl: string;
  modelLib: CustomModelLib;
  formatId: string;
  contextWindow?: number;
  integrity?: IntegrityInput;
}

export type CustomModelField =
  | 'id'
  | 'modelUrl'
  | 'modelLib'
  | 'formatId'
  | 'contextWindow'
  | 'integrityConfig'
  | 'integrityModelLib'
  | 'integrityTokenizerJson'
  | 'integrityTokenizerModel';
export type ValidationResult =
  | { ok: true; record: CustomModelRecord; warnings: string[] }
  | { ok: false; errors: { field: CustomModelField; message: string }[] };

export const LIBRARY_VERSION_NOTE =
  `The model library (.wasm) must be compiled for web-llm ${WEB_LLM_VERSION} (modelVersion ${MODEL_LIB_VERSION}); ` +
  'a library built for another version fails to load with a WebAssembly LinkError.';

const INTEGRITY_FIELDS = [
  ['config', 'integrityConfig'],
  ['modelLib', 'integrityModelLib'],
  ['tokenizerJson', 'integrityTokenizerJson'],
  ['tokenizerModel', 'integrityTokenizerModel'],
] as const;

/** The form's hashes as web-llm's integrity record, or the problems found (each tied to its field). */
function checkIntegrity(
  input: IntegrityInput | undefined,
  errors: { field: CustomModelField; message: string }[],
): CustomModelIntegrity | undefined {
  const out: CustomModelIntegrity = {};
  for (const [key, field] of INTEGRITY_FIELDS) {
    const value = input?.[key]?.trim() ?? '';
    if (value === '') continue;
    const problem = sriProblem(value);
    if (problem) {
      errors.push({ field, message: problem });
      continue;
    }
    if (key === 'config') out.config = value;
    else if (key === 'modelLib') out.model_lib = value;
    else out.tokenizer = { ...out.tokenizer, [key === 'tokenizerJson' ? 'tokenizer.json' : 'tokenizer.model']: value };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export interface ValidateOptions {
  existingIds: Iterable<string>;
  /** When given, checks that mlc-chat-config.json and tensor-cache.json (or ndarray-cache.json) answer. */
  fetch?: ProbeFetch;
}

/** @returns the record to store and load, or every problem found, each tied to its form field. */
export async function validateCustomModel(
  input: CustomModelInput,
  options: ValidateOptions,
): Promise<ValidationResult> {
  const errors: { field: CustomModelField; message: string }[] = [];
  const warnings: string[] = [];
  const id = input.id.trim();
  const taken = new Set([...options.existingIds, ...CATALOG.map((m) => m.id)]);
  if (id === '') errors.push({ field: 'id', message: 'Give the model an id.' });
  else if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id))
    errors.push({ field: 'id', message: 'Use letters, digits, ".", "_" and "-" only.' });
  else if (taken.has(id)) errors.push({ field: 'id', message: `"${id}" is already used by another model.` });

  let modelUrl: string | undefined;
  if (input.modelUrl.trim() === '')
    errors.push({ field: 'modelUrl', message: 'Enter the URL of the MLC weights folder.' });
  else {
    const bad = urlProblem(input.modelUrl);
    if (bad) errors.push({ field: 'modelUrl', message: bad });
    else {
      const n = normalizeModelUrl(input.modelUrl);
      modelUrl = n.url;
      // Short: the field's help already explains the rule; this says where it led.
      if (n.appendedResolve) warnings.push(`Files will be read from ${n.url}.`);
    }
  }

  let modelLibUrl: string | undefined;
  let requiredFeatures: string[] = [];
  let vramMB: number | undefined;
  if (input.modelLib.kind === 'catalog') {
    const lib = findModel(input.modelLib.modelId);
    if (!lib)
      errors.push({
        field: 'modelLib',
        message: `No catalog model "${input.modelLib.modelId}" to borrow a library from.`,
      });
    else {
      modelLibUrl = lib.modelLibUrl;
      requiredFeatures = lib.needsF16 ? ['shader-f16'] : [];
      vramMB = lib.vramMB;
    }
  } else if (input.modelLib.url.trim() === '') {
    errors.push({
      field: 'modelLib',
      message: 'Enter the model library URL (.wasm), or pick a catalog library of the same architecture.',
    });
  } else {
    const bad = modelLibUrlProblem(input.modelLib.url);
    if (bad) errors.push({ field: 'modelLib', message: bad });
    else {
      modelLibUrl = new URL(input.modelLib.url.trim()).href;
      // Short: the field's help (LIBRARY_VERSION_NOTE) already says why the version matters.
      if (!modelLibUrl.includes(MODEL_LIB_VERSION))
        warnings.push(
          `The library URL does not contain ${MODEL_LIB_VERSION}: check that it was built for web-llm ${WEB_LLM_VERSION}.`,
        );
      if (/f16/.test(modelLibUrl)) requiredFeatures = ['shader-f16'];
    }
  }

  if (!isFormatId(input.formatId)) errors.push({ field: 'formatId', message: 'Pick a prompt format.' });
  const integrity = checkIntegrity(input.integrity, errors);
  if (input.contextWindow !== undefined && !(Number.isInteger(input.contextWindow) && input.contextWindow >= 256)) {
    errors.push({ field: 'contextWindow', message: 'The context window is a whole number of tokens, at least 256.' });
  }

  if (errors.length === 0 && modelUrl && options.fetch) {
    for (const message of await probeWeightsFolder(options.fetch, modelUrl))
      errors.push({ field: 'modelUrl', message });
  }

  if (errors.length > 0 || !modelUrl || !modelLibUrl || !isFormatId(input.formatId)) return { ok: false, errors };
  const record: CustomModelRecord = {
    id,
    displayName: input.displayName?.trim() || id,
    modelUrl,
    modelLibUrl,
    formatId: input.formatId,
    requiredFeatures,
  };
  if (input.contextWindow !== undefined) record.contextWindow = input.contextWindow;
  if (vramMB !== undefined) record.vramMB = vramMB;
  if (integrity) record.integrity = integrity;
  return { ok: true, record, warnings };
}
