/**
 * The widget is configured entirely by its URL (embed.html?model=…&functions=…), so a host needs no
 * build step. This parses and checks the parameters; what cannot be used is reported in `problems`
 * (shown in the widget) instead of failing silently.
 */
import { parseOriginList } from './protocol.ts';
import { DEFAULT_HOST_CALL_TIMEOUT_MS } from './hostBridge.ts';
import { originMatches } from '../security/contentSecurityPolicy.ts';

export type EmbedTheme = 'light' | 'dark' | 'auto';

export interface EmbedConfig {
  /** Catalog model id; null → the catalog default. */
  model: string | null;
  /** Prompt format id; null → the model's format from the catalog. */
  format: string | null;
  /** Built-in function ids to enable (known ones only). */
  functions: string[];
  theme: EmbedTheme;
  welcome: string;
  /** Origins allowed to register and run host functions. Empty → host functions are off. */
  allowedOrigins: string[];
  /** true: the model loads when the first message is sent; false: a "Load model" button. */
  autoload: boolean;
  callTimeoutMs: number;
  /** Parameters that were ignored, in words. */
  problems: string[];
}

export const DEFAULT_WELCOME = 'Hi! I am a language model running entirely in your browser. Ask me something.';
export const MAX_WELCOME_LENGTH = 500;
export const MIN_CALL_TIMEOUT_MS = 100;
export const MAX_CALL_TIMEOUT_MS = 300_000;

export interface KnownIds {
  formats: readonly string[];
  functions: readonly string[];
  /**
   * The deploy-time list of sites allowed to frame the widget (CALLAMA_EMBED_ORIGINS, the same list
   * as the `frame-ancestors` of embed.html in `_headers`). When set, it bounds `allowedOrigins`: the
   * URL cannot let in an origin the deployment does not allow. Empty or absent: no bound.
   */
  deployOrigins?: readonly string[];
}

function list(raw: string | null): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function parseBoolean(raw: string | null): boolean | null {
  if (raw === null) return null;
  const v = raw.trim().toLowerCase();
  if (['', '1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return null;
}

export function parseEmbedConfig(search: string | URLSearchParams, known: KnownIds): EmbedConfig {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const problems: string[] = [];

  const model = params.get('model')?.trim() || null;

  let format = params.get('format')?.trim() || null;
  if (format !== null && !known.formats.includes(format)) {
    problems.push(`Unknown prompt format "${format}"; using the model's own.`);
    format = null;
  }

  const functions: string[] = [];
  for (const id of list(params.get('functions'))) {
    if (!known.functions.includes(id)) problems.push(`Unknown built-in function "${id}" ignored.`);
    else if (!functions.includes(id)) functions.push(id);
  }

  const rawTheme = params.get('theme');
  let theme: EmbedTheme = 'auto';
  if (rawTheme === 'light' || rawTheme === 'dark' || rawTheme === 'auto') theme = rawTheme;
  else if (rawTheme !== null) problems.push(`Unknown theme "${rawTheme}"; using auto.`);

  const welcome = (params.get('welcome') ?? '').trim().slice(0, MAX_WELCOME_LENGTH) || DEFAULT_WELCOME;

  const origins = parseOriginList(params.get('allowedOrigins'));
  for (const entry of origins.rejected) {
    problems.push(`"${entry}" is not an origin (like https://example.com) and was not allowed.`);
  }
  const deployOrigins = known.deployOrigins ?? [];
  const allowedOrigins = origins.origins.filter((origin) => {
    if (deployOrigins.length === 0 || deployOrigins.some((pattern) => originMatches(pattern, origin))) return true;
    problems.push(`"${origin}" is not among the sites this deployment lets embed the widget, and was not allowed.`);
    return false;
  });

  const autoload = parseBoolean(params.get('autoload'));
  if (autoload === null && params.has('autoload')) problems.push('autoload must be true or false.');

  let callTimeoutMs = DEFAULT_HOST_CALL_TIMEOUT_MS;
  const rawTimeout = params.get('callTimeoutMs');
  if (rawTimeout !== null) {
    const n = Number(rawTimeout);
    if (Number.isInteger(n) && n >= MIN_CALL_TIMEOUT_MS && n <= MAX_CALL_TIMEOUT_MS) callTimeoutMs = n;
    else {
      problems.push(
        `callTimeoutMs must be a whole number of milliseconds from ${MIN_CALL_TIMEOUT_MS} to ${MAX_CALL_TIMEOUT_MS}; using ${DEFAULT_HOST_CALL_TIMEOUT_MS}.`,
      );
    }
  }

  return {
    model,
    format,
    functions,
    theme,
    welcome,
    allowedOrigins,
    autoload: autoload ?? false,
    callTimeoutMs,
    problems,
  };
}
