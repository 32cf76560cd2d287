/**
 * A deliberately small Markdown reader for model answers: fenced code, headings, lists, paragraphs,
 * and inline `code`, **bold** and *italic*. It returns data, not HTML: MarkdownText.svelte renders each
 * piece as an element with text inside, so nothing the model writes can ever become markup. Links,
 * images and raw HTML stay literal text on purpose.
 */
export interface Inline {
  kind: 'text' | 'strong' | 'em' | 'code';
  text: string;
}

export type Block =
  | { kind: 'code'; text: string; lang: string }
  | { kind: 'heading'; level: 1 | 2 | 3; inlines: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'para'; inlines: Inline[] };

/**
 * Inline pieces, as this regex would find them left to right (kept as the specification; emphasis
 * markers must hug the text and not sit inside a word, so "23*19*2" stays arithmetic):
 *
 *   `([^`\n]+)`  |  (?<![\w*])\*\*(?=\S)([^\n]+?)(?<=\S)\*\*(?![\w*])  |  (?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])
 *
 * The regex itself is quadratic on a line: at every `**` that finds no closer it reads to the end of
 * the line (8,000 × "**a " took 1.5 s per parse). Here the closer of a `**` is looked up in a table
 * built once per text (the first `**` on the same line that may close), so a parse is linear.
 */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const closers = text.includes('**') ? strongClosers(text) : undefined;
  let last = 0;
  let p = 0;
  while (p < text.length) {
    const m = matchAt(text, p, closers);
    if (!m) {
      p += 1;
      continue;
    }
    if (p > last) out.push({ kind: 'text', text: text.slice(last, p) });
    out.push({ kind: m.kind, text: text.slice(m.from, m.to) });
    last = p = m.end;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

type InlineMatch = { kind: 'code' | 'strong' | 'em'; from: number; to: number; end: number };

/** `\s` of the regex; ASCII answered without running one (this is called for every marker). */
function isSpace(c: string): boolean {
  if (c === '') return false;
  const code = c.charCodeAt(0);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(c);
}

/** `[\w*]` of the regex (ASCII only, as `\w` without the u flag). */
function isWordOrStar(c: string): boolean {
  if (c === '') return false;
  const code = c.charCodeAt(0);
  return (
    code === 42 ||
    code === 95 ||
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122)
  );
}

/** The regex's match at `p`, trying its three alternatives in order. */
function matchAt(text: string, p: number, closers: Int32Array | undefined): InlineMatch | undefined {
  const c = text.charAt(p);
  if (c === '`') {
    const q = nextOf(text, p + 1, '`');
    return q > p + 1 && text.charAt(q) === '`' ? { kind: 'code', from: p + 1, to: q, end: q + 1 } : undefined;
  }
  if (c !== '*' || isWordOrStar(text.charAt(p - 1))) return undefined;
  if (text.charAt(p + 1) === '*') {
    const first = text.charAt(p + 2);
    if (first === '' || isSpace(first) || closers === undefined) return undefined;
    const e = p + 3 < text.length ? (closers[p + 3] ?? -1) : -1;
    return e === -1 ? undefined : { kind: 'strong', from: p + 2, to: e, end: e + 2 };
  }
  const first = text.charAt(p + 1);
  if (first === '' || isSpace(first)) return undefined;
  // The content has no `*`, so the only possible closer is the next `*` on the line.
  const f = nextOf(text, p + 1, '*');
  if (text.charAt(f) !== '*' || f < p + 2 || isSpace(text.charAt(f - 1)) || isWordOrStar(text.charAt(f + 1)))
    return undefined;
  return { kind: 'em', from: p + 1, to: f, end: f + 1 };
}

/** The first `marker` or line break at or after `from` (text.length when neither comes). */
function nextOf(text: string, from: number, marker: string): number {
  for (let i = from; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (c === marker || c === '\n') return i;
  }
  return text.length;
}

/** For each index, the first `**` at or after it on the same line that can close bold text, or -1. */
function strongClosers(text: string): Int32Array {
  const next = new Int32Array(text.length + 1).fill(-1);
  let closer = -1;
  for (let i = text.length - 1; i >= 0; i -= 1) {
    if (text.charAt(i) === '\n') closer = -1;
    else if (
      text.charAt(i) === '*' &&
      text.charAt(i + 1) === '*' &&
      i > 0 &&
      !isSpace(text.charAt(i - 1)) &&
      !isWordOrStar(text.charAt(i + 2))
    ) {
      closer = i;
    }
    next[i] = closer;
  }
  return next;
}

const FENCE = /^\s*```(\S*)\s*$/;
const HEADING = /^(#{1,3})\s+(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;

export function parseMarkdown(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  const endPara = () => {
    if (para.length > 0) blocks.push({ kind: 'para', inlines: parseInline(para.join('\n')) });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    if (fence) {
      endPara();
      const code: string[] = [];
      // An unclosed fence (still streaming) runs to the end of the text.
      while (++i < lines.length && !FENCE.test(lines[i] ?? '')) code.push(lines[i] ?? '');
      blocks.push({ kind: 'code', text: code.join('\n'), lang: fence[1] ?? '' });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      endPara();
      blocks.push({
        kind: 'heading',
        level: Math.min(3, heading[1]?.length ?? 1) as 1 | 2 | 3,
        inlines: parseInline(heading[2] ?? ''),
      });
      continue;
    }
    const item = BULLET.exec(line) ?? NUMBERED.exec(line);
    if (item) {
      endPara();
      const ordered = NUMBERED.test(line) && !BULLET.test(line);
      const prev = blocks.at(-1);
      const inlines = parseInline(item[1] ?? '');
      if (prev?.kind === 'list' && prev.ordered === ordered) prev.items.push(inlines);
      else blocks.push({ kind: 'list', ordered, items: [inlines] });
      continue;
    }
    if (line.trim() === '') endPara();
    else para.push(line);
  }
  endPara();
  return blocks;
}
