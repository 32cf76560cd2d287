/**
 * plainBlockTree: wherever it builds a tree itself, the tree is the one the Markdown parser gives
 * (positions aside); it answers for the plain prose, list items and headings answers are full of, and
 * leaves anything that could be Markdown to the parser.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainBlockTree } from '../../../../src/lib/markdown/plainBlock.ts';
import { parserTree } from './parserTree.ts';

const piece = fc.constantFrom(
  'Step',
  'the time',
  'Été',
  '東京',
  '42',
  '1.',
  '2)',
  ' ',
  '  ',
  '\n',
  '\n\n',
  '\t',
  ',',
  '.',
  ':',
  '!',
  '?',
  "'",
  '"',
  '(',
  ')',
  '%',
  '/',
  '+',
  '=',
  '-',
  '---',
  '===',
  '*',
  '_',
  '~',
  '`',
  '[',
  ']',
  '<',
  '>',
  '|',
  '\\',
  '&amp;',
  '#',
  '@',
  'a@b.co',
  'www.example.com',
  'https://example.com',
  'mailto:',
);

/** Pieces of plain text (mostly), so that many of the texts are plain list items or headings. */
const plainPiece = fc.constantFrom(
  'Step',
  'the time',
  'Été',
  '東京',
  '42',
  ' ',
  ',',
  '.',
  '(',
  ')',
  '%',
  '/',
  '+',
  '-',
);

describe('plainBlockTree', () => {
  it('builds the parser’s tree whenever it builds one', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        const tree = plainBlockTree(text);
        if (tree !== undefined) expect(tree, JSON.stringify(text)).toEqual(parserTree(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers for plain prose, on one line or several, with line feeds around it', () => {
    const prose = [
      'Step 12: I will check the time in Tokyo now, then say what it is there.',
      'It is 21 °C in Paris'.replace('°', ''),
      "Let me work it out. That's 23 × 19".replace(' × ', ' times '),
      'First line of the answer.\nSecond line, (with a remark) and 50% more!',
      '\nThe weather in Zürich is mild today.\n\n',
      'Ratio 3/4 + 1 = 7/4 - done?',
    ];
    for (const text of prose) {
      expect(plainBlockTree(text), text).toBeDefined();
      expect(plainBlockTree(text), text).toEqual(parserTree(text));
    }
  });

  it('builds the parser’s tree for a list item or heading whenever it builds one', () => {
    let built = 0;
    const marker = fc.constantFrom(
      '- ',
      '* ',
      '+ ',
      '1. ',
      '10) ',
      '007. ',
      '123456789. ',
      '# ',
      '## ',
      '###### ',
      '####### ',
      '-  ',
      '#  ',
      '1.  ',
      '',
    );
    fc.assert(
      fc.property(
        marker,
        fc.array(fc.oneof({ arbitrary: plainPiece, weight: 4 }, { arbitrary: piece, weight: 1 }), { maxLength: 16 }),
        (start, pieces) => {
          const text = start + pieces.join('');
          const tree = plainBlockTree(text);
          if (tree === undefined) return;
          expect(tree, JSON.stringify(text)).toEqual(parserTree(text));
          const kind = tree.children[0]?.type;
          if (kind === 'list' || kind === 'heading') built += 1;
        },
      ),
      { numRuns: 3000 },
    );
    // Not vacuous: many of the texts were list items or headings it built.
    expect(built).toBeGreaterThan(100);
  });

  it('answers for a one-line list item or heading of plain text', () => {
    const blocks = [
      '- one item of a list\n',
      '* another item\n\n',
      '+ a third, with (remarks) and 50%',
      '1. Step one\n',
      '12) Step twelve',
      '## Part 4',
      '###### The smallest heading\n',
    ];
    for (const text of blocks) {
      expect(plainBlockTree(text), text).toBeDefined();
      expect(plainBlockTree(text), text).toEqual(parserTree(text));
    }
  });

  it('leaves every text that may hold Markdown to the parser', () => {
    const markdown = [
      'Some **bold** words',
      'a `code` span',
      'a [link](https://example.com)',
      'see www.example.com',
      'see https://example.com',
      'write to a@b.co',
      'x < y',
      'a | b',
      '- a **bold** item',
      '- [ ] a task',
      '- an item\n  going on',
      '- one\n- two',
      '1. first\n2. second',
      '-  two spaces',
      '-\tx',
      '- ',
      '-item',
      '1.item',
      '1234567890. ten digits',
      '# ',
      '#hashtag',
      '# Title #',
      '####### seven',
      '## Title\nmore',
      '> quote',
      'Title\n===',
      'Title\n---',
      'line with a hard break  \nnext',
      'first\n\nsecond paragraph',
      '  indented',
      '\tcode',
      'AT&amp;T',
      'a ~~strike~~',
      'a\\*b',
      '',
    ];
    for (const text of markdown) expect(plainBlockTree(text), JSON.stringify(text)).toBeUndefined();
  });
});
