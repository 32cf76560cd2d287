/**
 * A tool server as it is stored (localStorage `callama:toolServers`), and the reader that keeps only
 * well-formed records: a hand-edited or old value can never add a server whose address the page may
 * not reach or whose name could not prefix a function name.
 */
import { SERVER_NAME_PATTERN } from '../../lib/mcp/admitTools.ts';
import { checkServerUrl } from '../../mcp/serverUrl.ts';

export interface ToolServerRecord {
  id: string;
  url: string;
  /** Prefix of its tools' function names: `<name>__<tool>`. */
  name: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Tools the user switched off (by their name on the server). */
  disabled: string[];
  /** How long one call may take before it fails as a timeout. */
  timeoutSeconds: number;
}

/** The agent loop stops every call at 15 s (agent/runAgent.ts); a server's own limit stays below it. */
export const TIMEOUT_LIMITS = { min: 1, max: 14, default: 12 } as const;

export function parseServers(text: string | null): ToolServerRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const out: ToolServerRecord[] = [];
  for (const item of parsed) {
    const record = readRecord(item);
    if (record && !out.some((s) => s.id === record.id || s.name === record.name || s.url === record.url)) {
      out.push(record);
    }
  }
  return out;
}

function readRecord(item: unknown): ToolServerRecord | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const o = item as Record<string, unknown>;
  if (typeof o.id !== 'string' || typeof o.url !== 'string' || typeof o.name !== 'string') return undefined;
  if (!SERVER_NAME_PATTERN.test(o.name)) return undefined;
  const url = checkServerUrl(o.url);
  if (!url.ok) return undefined;
  const seconds = typeof o.timeoutSeconds === 'number' && Number.isFinite(o.timeoutSeconds) ? o.timeoutSeconds : NaN;
  return {
    id: o.id,
    url: url.url,
    name: o.name,
    ...(typeof o.token === 'string' && o.token !== '' ? { token: o.token } : {}),
    disabled: Array.isArray(o.disabled) ? o.disabled.filter((t): t is string => typeof t === 'string') : [],
    timeoutSeconds: Number.isNaN(seconds)
      ? TIMEOUT_LIMITS.default
      : Math.min(TIMEOUT_LIMITS.max, Math.max(TIMEOUT_LIMITS.min, Math.round(seconds))),
  };
}
