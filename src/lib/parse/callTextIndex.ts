/**
 * looksLikeCallText (normalizeCall.ts) for many slices of one text, in O(log n) each instead of a
 * regex run over every slice: scanRegion asks it for the value at every `{` and `[`, and nested
 * values' slices overlap, so running the regexes per slice is quadratic on deep nesting.
 *
 * The text is indexed once: where each "function:"/"tool_calls:", "name:", "arguments:"/
 * "parameters:" key and each quoted registered name occurs. A slice reads like a call when one of
 * these lies wholly inside it (the same test as looksLikeCallText, whose leading quote is optional).
 * A quoted name is only a hint (looksLikeCallText pairs quotes left to right, which a slice start
 * can change), so when only a quoted name is inside, the real test runs on the slice.
 */
import { looksLikeCallText } from './normalizeCall.ts';

interface Occurrences {
  starts: number[];
  ends: number[];
}

export class CallTextIndex {
  private readonly functionKeys: Occurrences;
  private readonly nameKeys: Occurrences;
  private readonly argumentKeys: Occurrences;
  private readonly quotedNames: Occurrences;

  constructor(
    private readonly text: string,
    private readonly names: ReadonlySet<string>,
  ) {
    this.functionKeys = occurrences(text, /(?:function|tool_calls)["']?\s*:/g);
    this.nameKeys = occurrences(text, /name["']?\s*:/g);
    this.argumentKeys = occurrences(text, /(?:arguments|parameters)["']?\s*:/g);
    this.quotedNames = quotedNameOccurrences(text, names);
  }

  /** looksLikeCallText(text.slice(from, to), names). */
  looksLikeCall(from: number, to: number): boolean {
    if (inside(this.functionKeys, from, to)) return true;
    if (inside(this.nameKeys, from, to) && inside(this.argumentKeys, from, to)) return true;
    return inside(this.quotedNames, from, to) && looksLikeCallText(this.text.slice(from, to), this.names);
  }
}

function occurrences(text: string, pattern: RegExp): Occurrences {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    starts.push(m.index);
    ends.push(m.index + m[0].length);
  }
  return { starts, ends };
}

/** Every `"name"` or `'name'` of a registered name (either quote on either side, as the regex allows). */
function quotedNameOccurrences(text: string, names: ReadonlySet<string>): Occurrences {
  const starts: number[] = [];
  const ends: number[] = [];
  if (names.size === 0) return { starts, ends };
  const pattern = /["']([A-Za-z_][A-Za-z0-9_]*)(?=["'])/g;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[1] !== undefined && names.has(m[1])) {
      starts.push(m.index);
      ends.push(m.index + m[0].length + 1);
    }
    // Its closing quote may open the next one: `'a'get'`.
    pattern.lastIndex = m.index + m[0].length;
  }
  return { starts, ends };
}

/**
 * Whether an occurrence lies wholly inside [from, to). Occurrences do not overlap, so their ends are
 * sorted like their starts and the first one starting at `from` or later is the one to check.
 */
function inside(list: Occurrences, from: number, to: number): boolean {
  let lo = 0;
  let hi = list.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list.starts[mid] ?? 0) < from) lo = mid + 1;
    else hi = mid;
  }
  const end = list.ends[lo];
  return end !== undefined && end <= to;
}
