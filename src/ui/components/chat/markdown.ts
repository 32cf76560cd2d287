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

// Emphasis markers must hug the text and not sit inside a word, so "23*19*2" stays arithmetic.
const INLINE = /`([^`\n]+)`|(?<![\w*])\*\*(?=\S)([^\n]+?)(?<=\S)\*\*(?![\w*])|(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])/g;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    if (m[1] !== undefined) out.push({ kind: 'code', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'strong', text: m[2] });
    else out.push({ kind: 'em', text: m[3] ?? '' });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
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
      blocks.push({ kind: 'heading', level: Math.min(3, heading[1]?.length ?? 1) as 1 | 2 | 3, inlines: parseInline(heading[2] ?? '') });
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
