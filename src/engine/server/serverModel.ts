/**
 * A model another program serves ("Run on a server"): llama.cpp's `llama-server`, Hugging Face TGI, or
 * any server with OpenAI's raw completions endpoint (vLLM, llama.cpp, LM Studio, Ollama). Callama
 * still builds the prompt, so only raw-prompt formats (`api: 'completion'`) fit: the server is sent
 * the exact template text and only turns tokens.
 *
 * The record is what the form saves (ui/state/serverModels.svelte.ts) and what travels in a
 * ModelSource; `validateServerModel` is the one check every record passes before it is saved, and
 * `isServerModelRecord` the shape check for records read back from storage.
 */
import { getPromptFormat, isFormatId, promptFormats, type FormatId } from '../../lib/formats/index.ts';

export type ServerKind = 'llamacpp' | 'tgi' | 'openai';

export const SERVER_KINDS: readonly { kind: ServerKind; label: string; example: string }[] = [
  { kind: 'llamacpp', label: 'llama.cpp server (/completion)', example: 'http://localhost:8080' },
  { kind: 'tgi', label: 'Text Generation Inference (/generate_stream)', example: 'http://localhost:3000' },
  {
    kind: 'openai',
    label: 'OpenAI-compatible completions (/v1/completions: vLLM, llama.cpp, LM Studio, Ollama)',
    example: 'http://localhost:8000',
  },
];

export interface ServerModelRecord {
  id: string;
  displayName: string;
  kind: ServerKind;
  /** The server's root, without a trailing slash (nor `/v1` for OpenAI-compatible servers). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when set (llama-server --api-key, vLLM --api-key, TGI behind a proxy). */
  apiKey?: string;
  /** OpenAI-compatible servers: the `model` field (Ollama and LM Studio serve several; vLLM its one). */
  model?: string;
  /** A raw-prompt format: Callama renders the whole prompt, the server only continues it. */
  formatId: FormatId;
}

/** Formats whose prompts are plain text a server can continue: the raw-prompt (completion API) ones. */
export const SERVER_FORMATS = promptFormats.filter((f) => f.api === 'completion');

export interface ServerModelInput {
  displayName: string;
  kind: ServerKind;
  baseUrl: string;
  apiKey: string;
  model: string;
  formatId: string;
}

export type ServerModelField = 'displayName' | 'kind' | 'baseUrl' | 'formatId' | 'model';

export type ServerModelValidation =
  { ok: true; record: ServerModelRecord } | { ok: false; errors: Partial<Record<ServerModelField, string>> };

/** The root URL the endpoints are appended to: no trailing slashes, and no `/v1` for OpenAI servers. */
export function normalizeBaseUrl(url: string, kind: ServerKind): string {
  let base = url.trim().replace(/\/+$/, '');
  if (kind === 'openai') base = base.replace(/\/v1$/, '');
  return base;
}

/** Ids of server models start with "server:", so they never collide with catalog or custom ids. */
export function serverModelId(displayName: string): string {
  const slug = displayName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `server:${slug || 'model'}`;
}

/**
 * Checks the form's input and builds the record.
 * @param allowed whether this build's connect-src lets the page reach the URL (security/connectPolicy.ts)
 * @param existingIds ids already taken (a new one gets a numbered suffix)
 */
export function validateServerModel(
  input: ServerModelInput,
  allowed: (url: string) => boolean,
  existingIds: readonly string[] = [],
): ServerModelValidation {
  const errors: Partial<Record<ServerModelField, string>> = {};
  const displayName = input.displayName.trim();
  if (!displayName) errors.displayName = 'Give the model a name, e.g. "Trelis Llama-2-7b v2 on llama-server".';
  if (!SERVER_KINDS.some((k) => k.kind === input.kind)) errors.kind = 'Choose the kind of server.';
  const baseUrl = normalizeBaseUrl(input.baseUrl, input.kind);
  let parsed: URL | undefined;
  try {
    parsed = new URL(baseUrl);
  } catch {
    errors.baseUrl = 'Enter the server’s address, e.g. http://localhost:8080.';
  }
  if (parsed && parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    errors.baseUrl = 'The address must start with http:// or https://.';
  } else if (parsed && (parsed.username || parsed.password)) {
    errors.baseUrl = 'Put credentials in the API key field, not in the address.';
  } else if (parsed && !allowed(baseUrl)) {
    errors.baseUrl = `This site does not allow connections to ${parsed.origin}. Servers on this computer (http://localhost:PORT or http://127.0.0.1:PORT) are allowed; another host must be added to CALLAMA_MODEL_HOSTS when the site is built (see “Privacy and Content-Security-Policy” in the README).`;
  }
  if (!isFormatId(input.formatId) || getPromptFormat(input.formatId).api !== 'completion') {
    errors.formatId =
      'Choose a raw-prompt format (Trelis v2/v3, Mistral…): Callama writes the whole prompt and the server continues it.';
  }
  const model = input.model.trim();
  if (Object.keys(errors).length > 0 || !isFormatId(input.formatId)) return { ok: false, errors };
  let id = serverModelId(displayName);
  for (let n = 2; existingIds.includes(id); n++) id = `${serverModelId(displayName)}-${n}`;
  const record: ServerModelRecord = { id, displayName, kind: input.kind, baseUrl, formatId: input.formatId };
  const apiKey = input.apiKey.trim();
  if (apiKey) record.apiKey = apiKey;
  if (model && input.kind === 'openai') record.model = model;
  return { ok: true, record };
}

/** A record read back from storage has every field the engine needs, of the right type. */
export function isServerModelRecord(value: unknown): value is ServerModelRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Record<keyof ServerModelRecord, unknown>>;
  return (
    typeof r.id === 'string' &&
    r.id.startsWith('server:') &&
    typeof r.displayName === 'string' &&
    typeof r.kind === 'string' &&
    SERVER_KINDS.some((k) => k.kind === r.kind) &&
    typeof r.baseUrl === 'string' &&
    typeof r.formatId === 'string' &&
    isFormatId(r.formatId) &&
    (r.apiKey === undefined || typeof r.apiKey === 'string') &&
    (r.model === undefined || typeof r.model === 'string')
  );
}

/** How the chat names where messages go: "llama.cpp server at http://localhost:8080". */
export function serverDescription(record: ServerModelRecord): string {
  const what = record.kind === 'llamacpp' ? 'llama.cpp server' : record.kind === 'tgi' ? 'TGI server' : 'server';
  return `${what} at ${record.baseUrl}`;
}
