/**
 * STYLE.md rule 8: repair what the model left unclosed, never what the token limit cut off.
 * When generation stopped for 'length', the last call may have been cut mid-value; the parser (which
 * repairs unclosed JSON) cannot tell that apart from a model that forgot a bracket. This returns the
 * output before the outermost structure still open at the end: every call found in it is complete
 * (parseAnswer.ts works out which calls inside the open structure are).
 */

const OPEN = new Set(['{', '[', '(']);
const CLOSE = new Set(['}', ']', ')']);

/**
 * The text before the outermost bracket still open at the end of `text` (or before an open string at
 * top level). Returns `text` itself when
 * nothing is left open at its end. Only double-quoted strings are tracked: single quotes are far more
 * often apostrophes in prose than Python string delimiters.
 */
export function completePrefix(text: string): string {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let lastBalanced = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (OPEN.has(ch)) depth++;
    else if (CLOSE.has(ch) && depth > 0) depth--;
    if (depth === 0 && !inString) lastBalanced = i + 1;
  }
  return depth === 0 && !inString ? text : text.slice(0, lastBalanced);
}
