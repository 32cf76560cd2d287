/**
 * Reads every function call in a model's answer, whatever shape the model used, and checks it
 * against the registered functions. Pipeline:
 *
 * 0. Reasoning blocks (every format's markers, formats/knownSyntax.ts) are cut out first: a draft
 *    call inside them is a thought, not a request, and never becomes a call or an error card.
 * 1. findCalls: split the output into call contexts (tags) and prose, and find calls in both —
 *    JSON (strict, then repaired with jsonrepair), pythonic `f(a=1)` for registered names.
 * 2. For each call: the function must be registered (`unknown_function`); its arguments must be an
 *    object (JSON text is decoded, as OpenAI sends it) and match the schema (`invalid_arguments`,
 *    with `missing` listing the required arguments left out, so the app can ask the user).
 * 3. The prose is the output without the calls, their tags and fences.
 *
 * Repairs fill in what the model left unclosed. Whether the output was cut by the token limit is the
 * agent loop's business (it knows the finish reason), not this function's.
 *
 * It never throws: malformed output is reported as data, and an unexpected internal failure returns
 * the whole output as prose with one `malformed` error.
 */
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { ParseError, ParseResult, ToolCall } from '../types/toolCall.ts';
import { checkArguments } from '../validate/argumentValidator.ts';
import { findReservedKey, reservedKeyMessage } from '../validate/reservedKeys.ts';
import type { FoundItem, ScanContext } from './candidate.ts';
import { buildProse } from './buildProse.ts';
import { findCalls } from './findCalls.ts';
import { isObject } from './normalizeCall.ts';
import { parseLooseJson } from './repairJson.ts';
import { KNOWN_REASONING } from '../formats/knownSyntax.ts';
import { splitReasoning } from '../text/splitReasoning.ts';
import { errorMessage } from '../errors.ts';

export interface ParseOptions {
  /**
   * Text the prompt already wrote at the start of the answer (BuiltPrompt.answerPrefix, e.g. an
   * opening `<think>\n`): the output is read as its continuation.
   */
  answerPrefix?: string;
}

/**
 * @param output the model's raw answer
 * @param functions the functions the model was offered
 * @returns valid calls in order, errors for call attempts that cannot be used, and the prose
 */
export function parseToolCalls(output: string, functions: FunctionSpec[], options: ParseOptions = {}): ParseResult {
  const text =
    (typeof options.answerPrefix === 'string' ? options.answerPrefix : '') +
    (typeof output === 'string' ? output : String(output));
  try {
    const { reasoning, answer, hasReasoning } = splitReasoning(text, KNOWN_REASONING);
    const parsed = parse(answer, Array.isArray(functions) ? functions : []);
    return hasReasoning ? { ...parsed, reasoning } : parsed;
  } catch (error) {
    const reason = errorMessage(error);
    return {
      calls: [],
      errors: [{ kind: 'malformed', message: `The answer could not be read (${reason}).`, raw: text.slice(0, 500) }],
      text: text.trim(),
    };
  }
}

function parse(output: string, functions: FunctionSpec[]): ParseResult {
  const byName = new Map<string, FunctionSpec>();
  for (const f of functions) byName.set(f.name, f);
  const scan: ScanContext = {
    names: new Set(byName.keys()),
    argumentOrder: (name) => Object.keys(byName.get(name)?.parameters.properties ?? {}),
    parameterType: (name, argument) => byName.get(name)?.parameters.properties?.[argument]?.type,
  };
  const spans = findCalls(output, scan);
  const calls: ToolCall[] = [];
  const errors: ParseError[] = [];
  for (const span of spans) {
    for (const item of span.items) {
      const checked = checkItem(item, byName);
      if ('kind' in checked) errors.push(checked);
      else calls.push(checked);
    }
  }
  return { calls, errors, text: buildProse(output, spans) };
}

function checkItem(item: FoundItem, byName: ReadonlyMap<string, FunctionSpec>): ToolCall | ParseError {
  if (item.kind === 'malformed') {
    return {
      kind: 'malformed',
      message: item.message,
      raw: item.raw,
      ...(item.name !== undefined && { name: item.name }),
    };
  }
  const { name, raw } = item;
  const spec = byName.get(name);
  if (!spec) {
    const known = [...byName.keys()];
    const list = known.length > 0 ? `Known functions: ${known.join(', ')}.` : 'No functions are available.';
    return { kind: 'unknown_function', message: `Unknown function "${name}". ${list}`, raw, name };
  }
  const args = toArgumentObject(item.args);
  if (!args.ok) return { kind: args.kind, message: args.message.replace('%s', name), raw, name };
  // Before the schema check: a `__proto__` key would otherwise pass it unseen (reservedKeys.ts).
  const reserved = findReservedKey(args.value);
  if (reserved !== undefined)
    return { kind: 'invalid_arguments', message: reservedKeyMessage(reserved, name), raw, name };
  const check = checkArguments(spec, args.value);
  if (!check.ok) {
    return {
      kind: 'invalid_arguments',
      message: check.message,
      raw,
      name,
      ...(check.missing.length > 0 && { missing: check.missing }),
    };
  }
  return { name, arguments: args.value };
}

type ArgumentObject =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; kind: 'malformed' | 'invalid_arguments'; message: string };

/** The raw arguments as an object: absent means none; JSON text is decoded (and repaired). */
function toArgumentObject(args: unknown): ArgumentObject {
  if (args === undefined || args === null) return { ok: true, value: {} };
  if (isObject(args)) return { ok: true, value: args };
  if (typeof args === 'string') {
    if (args.trim() === '') return { ok: true, value: {} };
    const parsed = parseLooseJson(args);
    if (parsed.ok && isObject(parsed.value)) return { ok: true, value: parsed.value };
    return { ok: false, kind: 'malformed', message: 'The arguments of %s are not a JSON object.' };
  }
  const what = Array.isArray(args) ? 'a list' : typeof args;
  return { ok: false, kind: 'invalid_arguments', message: `The arguments of %s must be an object, not ${what}.` };
}
