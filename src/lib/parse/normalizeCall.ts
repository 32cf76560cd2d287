/**
 * Decides whether a parsed JSON value is a function call, and reads the name and raw arguments from
 * any of the shapes models use:
 *
 * - Trelis v2:       {"function": "name", "arguments": {…}}
 * - Trelis v3/OpenAI {"name": "name", "arguments": {…} or "<JSON text>"}
 * - Llama 3.1:       {"name": "name", "parameters": {…}}
 * - OpenAI items:    {"type": "function", "function": {"name", "arguments"}}, and the
 *                    {"tool_calls": [ … ]} envelope around them
 * - several calls:   a JSON array of any of these
 *
 * "Looks like a call" must not catch JSON the user asked for: `{"temperature": 20}` has no name key,
 * and `{"name": "Alice", "age": 3}` names no registered function and has no arguments key. Inside a
 * call context (<tool_call>, [TOOL_CALLS], <|python_tag|>) everything is meant as a call, so a value
 * that is not one is reported as malformed instead of ignored.
 */
import type { FoundItem } from './candidate.ts';

const ARG_KEYS = ['arguments', 'parameters', 'args'] as const;
/** Keys a bare call object may have besides its name; anything else makes `{"function": …}` data. */
const CALL_KEYS = new Set(['function', 'name', 'type', 'id', ...ARG_KEYS]);

/**
 * @returns the calls (or malformed items) the value holds, or `undefined` when it is not a call at
 * all (the caller then leaves it in the prose).
 */
export function interpretValue(
  value: unknown,
  raw: string,
  names: ReadonlySet<string>,
  inContext: boolean,
): FoundItem[] | undefined {
  if (Array.isArray(value)) {
    const items: FoundItem[] = [];
    let anyCall = false;
    for (const element of value) {
      const inner = interpretValue(element, raw, names, inContext);
      if (inner) {
        anyCall = true;
        items.push(...inner);
      } else if (inContext) {
        items.push({ kind: 'malformed', message: 'An element of the call list is not a function call.', raw });
      }
    }
    return anyCall || (inContext && items.length > 0) ? items : undefined;
  }
  if (!isObject(value)) {
    return inContext ? [{ kind: 'malformed', message: 'Expected a function call object.', raw }] : undefined;
  }
  const envelope = value.tool_calls ?? value.function_call;
  if (envelope !== undefined && (Array.isArray(envelope) || isObject(envelope))) {
    return interpretValue(envelope, raw, names, true) ?? [];
  }
  if (isObject(value.function)) return interpretValue(value.function, raw, names, true);

  const name =
    typeof value.function === 'string' ? value.function : typeof value.name === 'string' ? value.name : undefined;
  if (name === undefined) {
    return inContext ? [{ kind: 'malformed', message: 'The call has no function name.', raw }] : undefined;
  }
  const argKey = ARG_KEYS.find((k) => k in value);
  const onlyCallKeys = Object.keys(value).every((k) => CALL_KEYS.has(k));
  // A name plus an argument key is a call. Without arguments (a call with none), only a registered
  // name, a call context, or a bare `{"function": "x"}` count: `name` alone is common in data.
  const isCall =
    inContext || names.has(name) || argKey !== undefined || (typeof value.function === 'string' && onlyCallKeys);
  if (!isCall) return undefined;
  return [{ kind: 'call', name, args: argKey === undefined ? undefined : value[argKey], raw }];
}

/** Cheap test on text that could not be parsed: does it still read like a call? */
export function looksLikeCallText(text: string, names: ReadonlySet<string>): boolean {
  if (/["']?(?:function|tool_calls)["']?\s*:/.test(text)) return true;
  if (/["']?name["']?\s*:/.test(text) && /["']?(?:arguments|parameters)["']?\s*:/.test(text)) return true;
  const quoted = /["']([A-Za-z_][A-Za-z0-9_]*)["']/g;
  for (let m = quoted.exec(text); m !== null; m = quoted.exec(text)) {
    if (m[1] !== undefined && names.has(m[1])) return true;
  }
  return false;
}

/** The function name in unparseable call text, when one can be read. */
export function nameInText(text: string): string | undefined {
  return /["']?(?:function|name)["']?\s*:\s*["']([^"']+)["']/.exec(text)?.[1];
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
