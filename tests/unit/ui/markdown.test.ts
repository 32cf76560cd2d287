import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from '../../../src/ui/components/chat/markdown.ts';

describe('parseInline', () => {
  it('reads code, bold and italic', () => {
    expect(parseInline('23 × 19 = **437**, see `calculate` and *this*.')).toEqual([
      { kind: 'text', text: '23 × 19 = ' },
      { kind: 'strong', text: '437' },
      { kind: 'text', text: ', see ' },
      { kind: 'code', text: 'calculate' },
      { kind: 'text', text: ' and ' },
      { kind: 'em', text: 'this' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('leaves arithmetic and snake_case alone', () => {
    expect(parseInline('2*3*4 and 5 * 6 * 7 via get_current_time')).toEqual([
      { kind: 'text', text: '2*3*4 and 5 * 6 * 7 via get_current_time' },
    ]);
  });

  it('keeps HTML as literal text', () => {
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([
      { kind: 'text', text: '<img src=x onerror=alert(1)>' },
    ]);
  });
});

describe('parseMarkdown', () => {
  it('splits paragraphs, lists, headings and fenced code', () => {
    const blocks = parseMarkdown(
      '# Notes\nfirst line\nsecond line\n\n- milk\n- **eggs**\n1. one\n2. two\n```js\nconst a = 1;\n```',
    );
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'para', 'list', 'list', 'code']);
    expect(blocks[1]).toEqual({ kind: 'para', inlines: [{ kind: 'text', text: 'first line\nsecond line' }] });
    expect(blocks[2]).toMatchObject({
      ordered: false,
      items: [[{ text: 'milk' }], [{ kind: 'strong', text: 'eggs' }]],
    });
    expect(blocks[3]).toMatchObject({ ordered: true, items: [[{ text: 'one' }], [{ text: 'two' }]] });
    expect(blocks[4]).toEqual({ kind: 'code', text: 'const a = 1;', lang: 'js' });
  });

  it('runs an unclosed fence (still streaming) to the end', () => {
    expect(parseMarkdown('Here:\n```\nline 1\nline 2')).toEqual([
      { kind: 'para', inlines: [{ kind: 'text', text: 'Here:' }] },
      { kind: 'code', text: 'line 1\nline 2', lang: '' },
    ]);
  });
});
