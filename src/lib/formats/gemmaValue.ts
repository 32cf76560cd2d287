/**
 * Gemma 4's own value syntax (not JSON), as its chat template writes it (`format_argument` in the
 * E2B template, ollama/ollama model/renderers/testdata/gemma4_e2b_chat_template.jinja2 — H):
 * strings between `<|"|>` delimiters (a single token; nothing inside is escaped), numbers and
 * `true`/`false`/`null` bare, lists `[a,b]`, mappings `{key:value}` with keys in Jinja `dictsort`
 * order (case-insensitive) and no spaces anywhere. Keys are bare in calls and tool responses, and
 * `<|"|>`-quoted inside declarations (`escape_keys`, the template's default).
 */

/** The string delimiter token. */
export const GEMMA_QUOTE = '<|"|>';

/** Jinja's `dictsort`: entries by key, case-insensitively; equal keys keep their order (a stable sort). */
export function dictsort<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `format_argument(value, escape_keys)`: one value in Gemma syntax. */
export function gemmaValue(value: unknown, escapeKeys = true): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return GEMMA_QUOTE + value + GEMMA_QUOTE;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map((v) => gemmaValue(v, escapeKeys)).join(',')}]`;
  if (isRecord(value)) {
    const entries = dictsort(value).map(
      ([k, v]) => `${escapeKeys ? GEMMA_QUOTE + k + GEMMA_QUOTE : k}:${gemmaValue(v, escapeKeys)}`,
    );
    return `{${entries.join(',')}}`;
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- only numbers are left of a JSON value
  return String(value);
}

/** The `key:value,…` inside a call's or a mapping result's braces: bare keys, dictsort order. */
export function gemmaArguments(args: Readonly<Record<string, unknown>>): string {
  return dictsort(args)
    .map(([k, v]) => `${k}:${gemmaValue(v, false)}`)
    .join(',');
}
