/** parseBlock on what model answers contain (cases kept from the hand-written reader it replaced). */
import { describe, expect, it } from 'vitest';
import { parseBlock } from '../../../../src/lib/markdown/parseBlock.ts';

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
});
