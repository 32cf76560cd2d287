/** parseBlock on what model answers contain (cases kept from the hand-written reader it replaced). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { linearAttentionExtension } from '../../../../src/lib/markdown/linearAttention.ts';
import { definitionLines, parseBlock } from '../../../../src/lib/markdown/parseBlock.ts';
import { parserTree } from './parserTree.ts';

describe('parseBlock', () => {
  it('reads code, bold and italic', () => {
    const [para] = parseBlock('23 × 19 = **437**, see `calculate` and *this*.').children;
    expect(para).toMatchObject({
      type: 'paragraph',
      children: [
        { type: 'text', value: '23 × 19 = ' },
        { type: 'strong', children: [{ type: 'text', value: '437' }] },
        { type: 'text', value: ', see ' },
        { type: 'inlineCode', value: 'calculate' },
        { type: 'text', value: ' and ' },
        { type: 'emphasis', children: [{ type: 'text', value: 'this' }] },
        { type: 'text', value: '.' },
      ],
    });
  });

  it('leaves spaced arithmetic and snake_case alone', () => {
    // (Unspaced 2*3*4 is 2<em>3</em>4 in CommonMark, as on GitHub.)
    expect(parseBlock('5 * 6 * 7 via get_current_time').children).toMatchObject([
      { type: 'paragraph', children: [{ type: 'text', value: '5 * 6 * 7 via get_current_time' }] },
    ]);
  });

  it('keeps HTML as an html node (which the view shows as text), never as elements', () => {
    expect(parseBlock('<img src=x onerror=alert(1)>').children).toMatchObject([
      { type: 'html', value: '<img src=x onerror=alert(1)>' },
    ]);
  });

  it('runs an unclosed fence (still streaming) to the end', () => {
    expect(parseBlock('```py\nline 1\n\nline 2').children).toMatchObject([
      { type: 'code', lang: 'py', value: 'line 1\n\nline 2' },
    ]);
  });

  it('reads GFM tables, task lists, strikethrough and autolinks', () => {
    const types = parseBlock('| a | b |\n| - | :-: |\n| 1 | 2 |\n\n- [x] done ~~old~~ www.example.com').children;
    expect(types).toMatchObject([
      { type: 'table', align: [null, 'center'] },
      {
        type: 'list',
        children: [
          {
            checked: true,
            children: [
              {
                children: [
                  { type: 'text', value: 'done ' },
                  { type: 'delete' },
                  { type: 'text', value: ' ' },
                  { type: 'link', url: 'http://www.example.com' },
                ],
              },
            ],
          },
        ],
      },
    ]);
  });

  describe('with definitions from elsewhere in the answer', () => {
    /** The tree without positions. */
    const without = (tree: unknown) =>
      JSON.parse(JSON.stringify(tree, (k, v: unknown) => (k === 'position' ? undefined : v))) as {
        children: unknown[];
      };

    it('reads references to them as a parse of the whole document does, and leaves them out of the tree', () => {
      const lines = definitionLines({ links: ['Docs  Page', '1'], footnotes: ['note'] });
      const text = 'See [the docs][docs page], [1] and a note[^note]; not [other] or [^other].';
      const tree = parseBlock(text, lines);
      const whole = parserTree(
        `${text}\n\n[docs page]: https://a.b/docs\n\n[1]: https://a.b/1\n\n[^note]: A note.`,
      ) as {
        children: unknown[];
      };
      expect(without(tree)).toEqual({ type: 'root', children: [whole.children[0]] });
      expect(JSON.stringify(tree)).not.toMatch(/"type":"(?:definition|footnoteDefinition)"/);
      // The root ends where the text does, as a parse of the text alone would have it.
      expect(tree.position?.end.offset).toBe(text.length);
    });

    it('reads a list, a table and a quote with references as a parse of the whole document does', () => {
      const lines = definitionLines({ links: ['x'], footnotes: ['n'] });
      for (const text of ['- a [x]\n- b [^n]', '| a |\n| - |\n| [x] |', '> q [^n]\n> more', '1. [x]\n\n   two']) {
        const whole = parserTree(`${text}\n\n[x]: https://a.b\n\n[^n]: A note.`) as { children: { type: string }[] };
        const tree = without(parseBlock(text, lines));
        expect(JSON.stringify(tree)).toMatch(/"type":"(?:linkReference|footnoteReference)"/);
        expect(tree.children).toEqual(
          whole.children.filter((n) => n.type !== 'definition' && n.type !== 'footnoteDefinition'),
        );
      }
    });

    it('does not let a block that runs on past a blank line take them in: it is parsed alone', () => {
      const lines = definitionLines({ links: ['x'], footnotes: ['n'] });
      for (const text of ['<pre>\nSee [x] and [^n]', 'text [x]\n```\nopen fence']) {
        expect(parseBlock(text, lines)).toEqual(parseBlock(text));
      }
    });
  });

  describe('literal links (www.…, https://…, a@b.co)', () => {
    // Texts made of what literal links are made of, near misses, and the ways a character gets into a
    // text node other than as itself (escapes, character references).
    const piece = fc.constantFrom(
      'www',
      'ww',
      '.',
      'example',
      '.com',
      'http',
      'https',
      ':',
      '/',
      '//',
      '@',
      'me',
      'b.co',
      'mailto:',
      'xmpp:',
      ' ',
      '\n',
      '*',
      '_',
      '`',
      '\\.',
      '\\@',
      '\\:',
      '&#64;',
      '&commat;',
      '&#46;',
      '&#x3A;',
      '[',
      ']',
      '(',
      ')',
      '<',
      '>',
      'W',
      'WWW',
    );
    const withoutPositions = (tree: unknown): unknown =>
      JSON.parse(JSON.stringify(tree, (k, v: unknown) => (k === 'position' ? undefined : v)));

    // parseBlock skips the pass that finds them where the text cannot have one: its tree must be the
    // tree of the same parse with that pass.
    const withPass = (text: string): unknown =>
      withoutPositions(
        fromMarkdown(text, { extensions: [gfm(), linearAttentionExtension], mdastExtensions: [gfmFromMarkdown()] }),
      );

    it('reads them as the parse with the pass that finds them does, whatever the text', () => {
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
          const text = pieces.join('');
          expect(withoutPositions(parseBlock(text)), JSON.stringify(text)).toEqual(withPass(text));
        }),
        { numRuns: 3000 },
      );
    });

    it('finds them however their characters were written', () => {
      const links = (text: string) => JSON.stringify(parseBlock(text)).match(/"type":"link"/g)?.length ?? 0;
      expect(links('see www.example.com today')).toBe(1);
      expect(links('see WWW.EXAMPLE.COM today')).toBe(1);
      expect(links('see https://example.com')).toBe(1);
      expect(links('write to me@example.com')).toBe(1);
      expect(links('write to me&#64;example.com')).toBe(1);
      expect(links('see www\\.example.com')).toBe(1);
      expect(links('see www example com, me at example')).toBe(0);
    });
  });
});
