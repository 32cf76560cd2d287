/**
 * plainParagraphTree: wherever it builds a tree itself, the tree is the one the Markdown parser gives
 * (positions aside); it answers for the plain prose answers are full of, and leaves anything that
 * could be Markdown to the parser.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainParagraphTree } from '../../../../src/lib/markdown/plainParagraph.ts';
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

describe('plainParagraphTree', () => {
  it('builds the parser’s tree whenever it builds one', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        const tree = plainParagraphTree(text);
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
      expect(plainParagraphTree(text), text).toBeDefined();
      expect(plainParagraphTree(text), text).toEqual(parserTree(text));
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
      '1. a list',
      '- a list',
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
    for (const text of markdown) expect(plainParagraphTree(text), JSON.stringify(text)).toBeUndefined();
  });
});
