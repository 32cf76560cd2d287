/**
 * BlockSplitter: the blocks of a text do not depend on how it arrived (fed whole or in any pieces),
 * and a block boundary never cuts a construct the whole-text parse keeps together.
 */
import fc from 'fast-check';
import type { Nodes, Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { BlockSplitter } from '../../../../src/lib/markdown/blockSplitter.ts';
import { parseBlock } from '../../../../src/lib/markdown/parseBlock.ts';

function startsOf(text: string): number[] {
  const s = new BlockSplitter();
  s.append(text);
  return [...s.starts];
}

function blocksOf(text: string): string[] {
  const starts = startsOf(text);
  return starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length));
}

/** Lines of typical model answers, and the awkward ones: fences, indented and quoted lines, blanks. */
const line = fc.constantFrom(
  '',
  '   ',
  'Some text with **bold** and `code`.',
  '# Heading',
  '- item',
  '  continued item',
  ' one space in',
  '   - three spaces in',
  '1. first',
  '2. second',
  '    indented code',
  '> quoted',
  '```js',
  '```',
  '  ```',
  '````',
  '~~~',
  '``` a`b',
  '| a | b |',
  '| - | - |',
  '---',
  '\t tab',
  'x\r',
  '[a]: https://example.com',
);
const document = fc.array(line, { maxLength: 24 }).map((lines) => lines.join('\n'));

describe('BlockSplitter', () => {
  it('gives the same blocks however the text is cut into deltas', () => {
    fc.assert(
      fc.property(document, fc.array(fc.nat(), { maxLength: 12 }), fc.string({ maxLength: 6 }), (text, cuts, extra) => {
        const full = text + extra;
        const points = [...new Set(cuts.map((c) => c % (full.length + 1)))].sort((a, b) => a - b);
        const s = new BlockSplitter();
        for (const p of points) {
          s.append(full.slice(0, p));
          // At every point the blocks so far are those of the same prefix read at once.
          expect([...s.starts]).toEqual(startsOf(full.slice(0, p)));
        }
        s.append(full);
        expect([...s.starts]).toEqual(startsOf(full));
      }),
      { numRuns: 2000 },
    );
  });

  it('splits after a blank line at a line in column 0', () => {
    expect(blocksOf('# Title\n\nA paragraph\nstill it.\n\n\n- a\n- b\n\nEnd')).toEqual([
      '# Title\n\n',
      'A paragraph\nstill it.\n\n\n',
      '- a\n',
      '- b\n\n',
      'End',
    ]);
  });

  it('gives each top-level list item a block, its continuation lines and nested items included', () => {
    expect(blocksOf('- a\nlazy\n  - nested\n- b\n1. c\n\n   more c\n2) d\n- ```\n- e\n')).toEqual([
      '- a\nlazy\n  - nested\n',
      '- b\n',
      '1. c\n\n   more c\n',
      '2) d\n',
      '- ```\n',
      '- e\n',
    ]);
    // Not after a paragraph (there "- x" starts a list, but "2. x" would continue the paragraph).
    expect(blocksOf('text\n- a\n2. b')).toEqual(['text\n- a\n2. b']);
    // Not inside a fence opened in an item.
    expect(blocksOf('- a\n  ```\n- b\n  ```\n- c\n')).toEqual(['- a\n  ```\n- b\n  ```\n', '- c\n']);
  });

  it('splits after a blank line at a line indented by 1 to 3 spaces, unless a list item may go on', () => {
    // Paragraphs a model started with a space: each is a block, not one block for the whole answer.
    expect(blocksOf('One.\n\n Two.\n\n   Three.\n\n\t tab\n\n    code\n\n    more code')).toEqual([
      'One.\n\n',
      ' Two.\n\n',
      '   Three.\n\n\t tab\n\n    code\n\n    more code',
    ]);
    // In a list, an indented line may continue an item ("- a" takes 2 spaces, "10. a" 4).
    expect(blocksOf('- a\n\n  more of a\n\n b')).toEqual(['- a\n\n  more of a\n\n b']);
    expect(blocksOf('Intro:\n1. a\n\n   more of a')).toEqual(['Intro:\n1. a\n\n   more of a']);
    // Decided once the first character after the spaces arrives.
    const s = new BlockSplitter();
    s.append('One.\n\n  ');
    expect([...s.starts]).toEqual([0]);
    s.append('One.\n\n  Two');
    expect([...s.starts]).toEqual([0, 6]);
  });

  it('keeps indented continuations and fenced code with blank lines in one block', () => {
    expect(blocksOf('- a\n\n  more of a\n\n```\ncode\n\nstill code\n```\n\nafter')).toEqual([
      '- a\n\n  more of a\n\n',
      '```\ncode\n\nstill code\n```\n\n',
      'after',
    ]);
    // A fence of four backticks is not closed by three; tildes are not closed by backticks.
    expect(blocksOf('````\na\n```\n\nb\n````\n\nc')).toEqual(['````\na\n```\n\nb\n````\n\n', 'c']);
    expect(blocksOf('~~~\n\n```\n\nx\n~~~\n\ny')).toEqual(['~~~\n\n```\n\nx\n~~~\n\n', 'y']);
  });

  it('splits after a closed fence and after an ATX heading, blank line or not, outside list items', () => {
    // Code blocks and headings with no blank line around them: each ends a block of its own.
    expect(blocksOf('Intro\n```\nx\n```\nthen\n# Title\n## Sub\ntext')).toEqual([
      'Intro\n```\nx\n```\n',
      'then\n# Title\n',
      '## Sub\n',
      'text',
    ]);
    // An unclosed fence, or "#tag" (not a heading), does not end anything.
    expect(blocksOf('```\n# not a heading\nx')).toEqual(['```\n# not a heading\nx']);
    expect(blocksOf('#tag\nmore')).toEqual(['#tag\nmore']);
    // In a list item, what follows may still belong to the item.
    expect(blocksOf('- a\n  ```\n  x\n  ```\n  more of a')).toEqual(['- a\n  ```\n  x\n  ```\n  more of a']);
  });

  it('treats an unclosed fence as running to the end', () => {
    expect(blocksOf('Here:\n\n```py\nprint(1)\n\nprint(2)')).toEqual(['Here:\n\n', '```py\nprint(1)\n\nprint(2)']);
  });

  it('refuses a text that does not extend the one read', () => {
    const s = new BlockSplitter();
    s.append('abc');
    expect(() => {
      s.append('abd');
    }).toThrow(RangeError);
  });
});

/** The tree without positions, lists merged where a boundary split one, as a list of top-level nodes. */
function normalize(trees: Root[]): unknown[] {
  const strip = (node: Nodes): unknown => {
    const { position: _position, ...rest } = node;
    const out: Record<string, unknown> = { ...rest };
    if ('children' in node) out.children = node.children.map((c) => strip(c));
    // Looseness is where a split list and a whole one may differ; it is spacing, not content.
    delete out.spread;
    return out;
  };
  const nodes = trees.flatMap((t) => t.children.map((c) => strip(c) as { type: string; children?: unknown[] }));
  const merged: { type: string; ordered?: boolean; start?: number | null; children?: unknown[] }[] = [];
  for (const node of nodes) {
    const prev = merged.at(-1);
    const n = node as (typeof merged)[number];
    if (prev?.type === 'list' && n.type === 'list' && prev.ordered === n.ordered)
      prev.children = [...(prev.children ?? []), ...(n.children ?? [])];
    else merged.push({ ...n });
  }
  return merged;
}

describe('block-by-block parse', () => {
  it('reads ordinary answers as the whole-text parse does', () => {
    // Documents without reference definitions or multi-line HTML (the documented seams).
    const ordinary = fc
      .array(
        fc.constantFrom(
          '',
          'Some text with **bold** and `code`.',
          '## Heading',
          '- item',
          '  continued item',
          ' a paragraph one space in',
          '   three spaces in, **bold**',
          '    indented code',
          '> quoted',
          '```js',
          '```',
          '| a | b |',
          '| - | - |',
          '- [x] done',
          '~~gone~~ and https://example.com',
        ),
        { maxLength: 20 },
      )
      .map((lines) => lines.join('\n'));
    fc.assert(
      fc.property(ordinary, (text) => {
        expect(normalize(blocksOf(text).map((b) => parseBlock(b)))).toEqual(normalize([parseBlock(text)]));
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
