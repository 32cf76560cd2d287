/**
 * `<function=name>` bodies, read by the final parser:
 * - Qwen3-Coder / Qwen3.5 XML parameters: `<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n</function>`.
 *   Values are raw text, not JSON: each is converted by the parameter's schema type (string kept,
 *   numbers and booleans read, objects and arrays parsed as JSON), as vLLM's qwen3_coder parser does.
 *   One newline right after `>` and right before `</parameter>` belongs to the layout, not the value.
 * - Llama 3.1 custom tools: `<function=name>{"arg": 1}</function>`, a JSON object.
 * Several `<function=…>` blocks in a row are read one after another.
 */
import type { FoundItem, FoundSpan, ScanContext } from '../candidate.ts';
import { isObject } from '../normalizeCall.ts';
import { parseLooseJson } from '../repairJson.ts';

export const FUNCTION_TAG_OPEN = '<function=';
const FUNCTION_CLOSE = '</function>';
const PARAMETER_OPEN = '<parameter=';
const PARAMETER_CLOSE = '</parameter>';
const NAME = /^[A-Za-z_][\w.-]*/;

/** Whether a function-tag body starts at `from` (after whitespace). */
export function startsFunctionTag(text: string, from: number, limit: number): boolean {
  return text.startsWith(FUNCTION_TAG_OPEN, skipSpace(text, from, limit));
}

/** Reads every `<function=…>` block from `from` up to `limit`; returns the items found. */
export function readFunctionTags(
  text: string,
  from: number,
  limit: number,
  scan: ScanContext,
  spans: FoundSpan[],
): number {
  let found = 0;
  let i = skipSpace(text, from, limit);
  while (i < limit && text.startsWith(FUNCTION_TAG_OPEN, i)) {
    const block = readOne(text, i, limit, scan);
    spans.push({ start: i, end: block.end, items: [block.item] });
    found += 1;
    i = skipSpace(text, block.end, limit);
  }
  return found;
}

function readOne(text: string, start: number, limit: number, scan: ScanContext): { item: FoundItem; end: number } {
  const nameStart = start + FUNCTION_TAG_OPEN.length;
  const name = NAME.exec(text.slice(nameStart, Math.min(limit, nameStart + 200)))?.[0];
  const close = text.indexOf(FUNCTION_CLOSE, nameStart);
  const end = close === -1 || close >= limit ? limit : close + FUNCTION_CLOSE.length;
  const raw = text.slice(start, end);
  if (name === undefined || text.charAt(nameStart + name.length) !== '>') {
    return { item: { kind: 'malformed', message: 'The <function=…> tag has no readable function name.', raw }, end };
  }
  const bodyEnd = close === -1 || close >= limit ? limit : close;
  const body = text.slice(nameStart + name.length + 1, bodyEnd).trim();
  if (body === '') return { item: { kind: 'call', name, args: {}, raw }, end };
  if (body.startsWith(PARAMETER_OPEN)) return { item: readParameters(body, name, raw, scan), end };
  const parsed = parseLooseJson(body);
  if (parsed.ok && isObject(parsed.value)) return { item: { kind: 'call', name, args: parsed.value, raw }, end };
  return { item: { kind: 'malformed', name, message: `The arguments of ${name} are not a JSON object.`, raw }, end };
}

/** `<parameter=k>\nv\n</parameter>` pairs; a parameter left open (no closer) runs to the end of the body. */
function readParameters(body: string, name: string, raw: string, scan: ScanContext): FoundItem {
  const args: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let i = 0;
  while (i < body.length) {
    if (!body.startsWith(PARAMETER_OPEN, i)) {
      return {
        kind: 'malformed',
        name,
        message: `Unexpected text among the parameters of ${name}: expected <parameter=…>.`,
        raw,
      };
    }
    const keyStart = i + PARAMETER_OPEN.length;
    const gt = body.indexOf('>', keyStart);
    const key = gt === -1 ? '' : body.slice(keyStart, gt).trim();
    if (key === '' || /[<\n]/.test(key))
      return { kind: 'malformed', name, message: `A parameter of ${name} has no readable name.`, raw };
    const close = body.indexOf(PARAMETER_CLOSE, gt + 1);
    const valueEnd = close === -1 ? body.length : close;
    args[key] = convertParameter(stripLayoutNewlines(body.slice(gt + 1, valueEnd)), scan.parameterType(name, key));
    i = close === -1 ? body.length : skipSpace(body, close + PARAMETER_CLOSE.length, body.length);
  }
  return { kind: 'call', name, args: { ...args }, raw };
}

function stripLayoutNewlines(value: string): string {
  let v = value;
  if (v.startsWith('\n')) v = v.slice(1);
  if (v.endsWith('\n')) v = v.slice(0, -1);
  return v;
}

/**
 * A raw parameter value as the schema's type wants it. A value that does not read as that type is
 * kept as text, so the schema check reports it ("must be integer") instead of it vanishing.
 */
export function convertParameter(value: string, type: string | readonly string[] | undefined): unknown {
  const types = type === undefined ? [] : typeof type === 'string' ? [type] : type;
  const trimmed = value.trim();
  if (types.includes('string')) return value;
  if (/^(null|None)$/.test(trimmed) && (types.length === 0 || types.includes('null'))) return null;
  if (types.includes('integer') || types.includes('number')) {
    const n = Number(trimmed);
    if (trimmed !== '' && Number.isFinite(n)) return n;
  }
  if (types.includes('boolean')) {
    if (/^true$/i.test(trimmed)) return true;
    if (/^false$/i.test(trimmed)) return false;
  }
  if (types.includes('object') || types.includes('array') || types.length === 0) {
    if (/^[[{]/.test(trimmed) || (types.length === 0 && /^(-?\d|true$|false$)/.test(trimmed))) {
      const parsed = parseLooseJson(trimmed);
      if (parsed.ok) return parsed.value;
    }
  }
  return value;
}

function skipSpace(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && /\s/.test(text.charAt(i))) i += 1;
  return i;
}
