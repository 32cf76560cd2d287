/**
 * `json.dumps(value, indent=4)` as Python writes it, because the Trelis prompts were built (and the
 * models trained) with it. JSON.stringify with an indent already matches Python's layout: `,` at line
 * ends, `": "` after keys, `[]`/`{}` for empty containers, the same escapes for `"`, `\` and control
 * characters. What differs is Python's default `ensure_ascii=True`: every character outside printable
 * ASCII (DEL and everything above it) becomes `\uXXXX`, astral ones as two escaped surrogates. We
 * mimic that, so a description with "café" or an emoji reaches the model exactly as in training.
 */
import { jsonStringify } from '../text/jsonStringify.ts';

export function pythonJsonDumps(value: unknown, indent = 4): string {
  const text = jsonStringify(value, indent) ?? 'null';
  // Non-ASCII only ever occurs inside JSON strings, so a global replace cannot touch structure.
  // Without the `u` flag the regex sees UTF-16 code units, which yields Python's surrogate pairs.
  return text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
