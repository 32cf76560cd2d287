/**
 * The postMessage protocol between a host page and the Callama widget in its iframe (embed.html).
 * public/embed.js implements the host side in plain JS; it must follow this file.
 *
 * host → iframe
 *   callama:register   { functions: FunctionSpec[] }          add (or replace) host functions; a spec
 *                                                             with `confirm: true` runs only after the
 *                                                             visitor allows the call in the widget
 *   callama:unregister { names: string[] }                    remove host functions
 *   callama:result     { id, value } | { id, error: string }  the answer to a callama:call
 * iframe → host
 *   callama:ready      { version }                            the widget listens; send registrations now
 *   callama:registered { accepted: string[], refused: {name, reasons}[] }
 *   callama:call       { id, name, arguments }                run a host function, answer with callama:result
 *
 * Trust: the widget accepts a message only when `event.source === window.parent` and `event.origin` is
 * one of the `allowedOrigins` URL parameter, compared exactly (scheme, host and port). Everything else
 * is ignored with a console warning. The iframe posts only to explicit origins, never to '*'.
 * This module holds the types and the shape checks; the stateful side is hostBridge.ts.
 */
import type { FunctionSpec } from '../lib/types/functionSpec.ts';

export const PROTOCOL_VERSION = 1;

/** At most this many functions per register message, and this long an error text: keeps prompts sane. */
export const MAX_FUNCTIONS_PER_MESSAGE = 64;
export const MAX_ERROR_LENGTH = 2000;
/**
 * At most this many host functions in all, and this much definition JSON in all (characters): the
 * per-message limit alone let a host register without end, and every definition is kept, checked
 * and written into the prompt. Over-cap registrations are refused with the reason.
 */
export const MAX_HOST_FUNCTIONS = 128;
export const MAX_HOST_SCHEMA_CHARS = 256 * 1024;

/**
 * `refusal` is set when the message as a whole cannot be used (`functions` is not a list, or a longer
 * one than MAX_FUNCTIONS_PER_MESSAGE): every function in it is refused with that reason, so the host
 * hears back instead of waiting for an answer that never comes.
 */
export type RegisterMessage = { type: 'callama:register'; functions: unknown[]; refusal?: string };
export type UnregisterMessage = { type: 'callama:unregister'; names: string[] };
export type ResultMessage =
  { type: 'callama:result'; id: string; value: unknown } | { type: 'callama:result'; id: string; error: string };

/** What a host may send. `functions` stay unknown here: each is checked with validateFunctionSpec. */
export type HostMessage = RegisterMessage | UnregisterMessage | ResultMessage;

export interface RefusedFunction {
  /** The name as sent, or null when the definition had no usable name. */
  name: string | null;
  reasons: string[];
}

/** What the widget sends. */
export type WidgetMessage =
  | { type: 'callama:ready'; version: number }
  | { type: 'callama:registered'; accepted: string[]; refused: RefusedFunction[] }
  | { type: 'callama:call'; id: string; name: string; arguments: Record<string, unknown> };

export type { FunctionSpec };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for anything that claims to be part of this protocol (`type` starting with "callama:"). */
export function isProtocolMessage(data: unknown): boolean {
  return isRecord(data) && typeof data.type === 'string' && data.type.startsWith('callama:');
}

/**
 * Checks the shape of a message from a host. Returns null for anything malformed, unknown or
 * ambiguous (a result with both or neither of `value` and `error`).
 */
export function parseHostMessage(data: unknown): HostMessage | null {
  if (!isRecord(data)) return null;
  switch (data.type) {
    case 'callama:register': {
      const { functions } = data;
      if (!Array.isArray(functions)) {
        return {
          type: 'callama:register',
          functions: [],
          refusal: '"functions" must be a list of function definitions.',
        };
      }
      if (functions.length > MAX_FUNCTIONS_PER_MESSAGE) {
        const refusal = `A register message may hold at most ${MAX_FUNCTIONS_PER_MESSAGE} functions (this one has ${functions.length}); send them in several messages.`;
        return { type: 'callama:register', functions, refusal };
      }
      return { type: 'callama:register', functions };
    }
    case 'callama:unregister': {
      const { names } = data;
      if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) return null;
      return { type: 'callama:unregister', names };
    }
    case 'callama:result': {
      const { id } = data;
      if (typeof id !== 'string' || id === '') return null;
      const hasValue = 'value' in data;
      const hasError = 'error' in data;
      if (hasValue === hasError) return null;
      if (hasError) {
        if (typeof data.error !== 'string') return null;
        return { type: 'callama:result', id, error: data.error.slice(0, MAX_ERROR_LENGTH) };
      }
      return { type: 'callama:result', id, value: data.value };
    }
    default:
      return null;
  }
}

export interface OriginList {
  /** Normalised origins, e.g. "https://shop.example" or "http://localhost:8080". */
  origins: string[];
  /** Entries that are not a plain http(s) origin, e.g. "*", "null", or a URL with a path. */
  rejected: string[];
}

/**
 * Parses the `allowedOrigins` URL parameter: a comma-separated list of origins. Only exact http(s)
 * origins count (a trailing slash is tolerated); "*" and "null" are refused, because a wildcard would let
 * any page that frames the widget run calls and read results.
 */
export function parseOriginList(raw: string | null | undefined): OriginList {
  const origins: string[] = [];
  const rejected: string[] = [];
  for (const part of (raw ?? '').split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const origin = normaliseOrigin(entry);
    if (origin === null) rejected.push(entry);
    else if (!origins.includes(origin)) origins.push(origin);
  }
  return { origins, rejected };
}

function normaliseOrigin(entry: string): string | null {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // Only the origin itself: "https://a.example/" is fine, "https://a.example/page" or "?x" is a mistake.
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    return null;
  }
  if (entry.replace(/\/$/, '').toLowerCase() !== url.origin.toLowerCase()) return null;
  return url.origin;
}

/** The parts of a MessageEvent the trust check needs (so tests can pass plain objects). */
export interface MessageOrigin {
  origin: string;
  source: unknown;
}

/**
 * Whether a message may be handled: it comes from the page that frames the widget (`source` is
 * `window.parent`) AND its origin is allowed, compared exactly. A widget opened top-level (no parent)
 * trusts nobody.
 */
export function isTrustedSender(event: MessageOrigin, allowedOrigins: readonly string[], parent: unknown): boolean {
  if (parent === null || parent === undefined) return false;
  if (event.source !== parent) return false;
  return allowedOrigins.includes(event.origin);
}
