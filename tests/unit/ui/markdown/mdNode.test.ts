/**
 * Every mdast node type as MdNode shows it (rendered with svelte/server), for Markdown of each kind:
 * what a reader sees of an answer, with the markup that carries it. Comments (Svelte's anchors) and
 * runs of white space are dropped before comparing.
 */
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import MdNode from '../../../../src/ui/components/markdown/MdNode.svelte';
import type { Nodes } from 'mdast';
import { MarkdownStream } from '../../../../src/lib/markdown/markdownStream.ts';
import { parseBlock } from '../../../../src/lib/markdown/parseBlock.ts';

const NO_DEFINITIONS = { definitions: new Map(), complete: true };

/** The HTML of a finished answer, block by block as the stream cuts it, each top-level node through MdNode. */
function html(markdown: string): string {
  const out: string[] = [];
  for (const chunk of new MarkdownStream(() => 0).update(markdown, true))
    for (const group of chunk.groups)
      for (const block of group.blocks)
        for (const node of block.tree.children) out.push(render(MdNode, { props: { node, ctx: block } }).body);
  return normalized(out.join(''));
}

/** The HTML of one block parsed whole (a list with all its items, say). */
function blockHtml(markdown: string): string {
  return normalized(
    parseBlock(markdown)
      .children.map((node) => render(MdNode, { props: { node, ctx: NO_DEFINITIONS } }).body)
      .join(''),
  );
}

function normalized(html: string): string {
  return html
    .replace(/<!--[^>]*-->/g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?(<\/?(?:p|ul|ol|li|blockquote|div|hr|table|thead|tbody|tr|th|td|pre)\b[^>]*>) ?/g, '$1')
    .trim();
}

describe('MdNode', () => {
  it('shows inline text: strong, emphasis, strikethrough, inline code and a line break', () => {
    expect(html('Some **bold _and em_** ~~gone~~ `x < 1`  \nnext')).toBe(
      '<p>Some <strong>bold <em>and em</em></strong> <del>gone</del> <code class="inline">x &lt; 1</code><br/>next</p>',
    );
  });

  it('shows headings as styled paragraphs, and a thematic break', () => {
    expect(html('# One\n\n### Three\n\n---')).toBe('<p class="heading h1">One</p><p class="heading h3">Three</p><hr/>');
  });

  it('shows links with the link policy, defined references as links, undefined ones as their text', () => {
    // A definition applies within its block (each block is parsed alone).
    const out = html(
      '[r]: https://example.com/r\n[docs](https://example.com/a "T") [ref][r] [nope][x] [bad](javascript:alert(1))',
    );
    expect(out).toContain(
      '<a href="https://example.com/a" target="_blank" rel="noopener noreferrer" title="T" data-testid="md-link">docs</a>',
    );
    expect(out).toContain(
      '<a href="https://example.com/r" target="_blank" rel="noopener noreferrer" data-testid="md-link">ref</a>',
    );
    expect(out).toContain('[nope][x]');
    expect(out).toContain('<span class="unsafe s');
    expect(out).toContain('bad (javascript:alert(1))</span>');
    expect(out).not.toContain('href="javascript');
  });

  it('shows images, direct or by reference, as links to them: never an <img>', () => {
    const out = html('[i]: https://images.example.com/i.png\n![pixel](https://images.example.com/p.png) ![ref][i]');
    expect(out).not.toContain('<img');
    expect(out).toContain('href="https://images.example.com/p.png"');
    expect(out).toContain('Image: pixel</a>');
    expect(out).toContain('href="https://images.example.com/i.png"');
    expect(out).toContain('Image: ref</a>');
  });

  it('shows raw HTML as text', () => {
    const out = html('a <b onclick="x()">b</b>\n\n<div>block</div>');
    expect(out).toContain('<span class="html">&lt;b onclick="x()"></span>');
    expect(out).not.toContain('<b ');
    expect(out).not.toContain('<div>');
  });

  it('shows tight lists without paragraph spacing, loose ones with it, ordered ones from their start', () => {
    expect(blockHtml('- one\n- two *em*')).toBe('<ul><li>one</li><li>two <em>em</em></li></ul>');
    expect(blockHtml('1. a\n\n2. b')).toBe('<ol start="1"><li><p>a</p></li><li><p>b</p></li></ol>');
    expect(blockHtml('3) c\n4) d')).toBe('<ol start="3"><li>c</li><li>d</li></ol>');
    expect(blockHtml('- outer\n  - inner\n  - more')).toBe(
      '<ul><li>outer<ul><li>inner</li><li>more</li></ul></li></ul>',
    );
    expect(blockHtml('- tight\n- list\n  > with a *quote*')).toBe(
      '<ul><li>tight</li><li>list<blockquote><p>with a <em>quote</em></p></blockquote></li></ul>',
    );
  });

  it('shows task list items with a disabled checkbox', () => {
    const out = html('- [x] done\n- [ ] todo');
    expect(out).toContain(
      '<li class="task"><input type="checkbox" checked="" disabled="" aria-label="Done"/>done</li>',
    );
    expect(out).toContain('<li class="task"><input type="checkbox" disabled="" aria-label="Not done"/>todo</li>');
  });

  it('shows quotes, footnotes and their references', () => {
    expect(html('> quoted *text*')).toBe('<blockquote><p>quoted <em>text</em></p></blockquote>');
    expect(html('[^1]: The source.')).toBe('<div class="footnote"><sup>[1]</sup><p>The source.</p></div>');
    // A reference is parsed as one only where its definition is in the same block.
    const ref: Nodes = {
      type: 'paragraph',
      children: [
        { type: 'text', value: 'A claim' },
        { type: 'footnoteReference', identifier: '1', label: '1' },
      ],
    };
    expect(normalized(render(MdNode, { props: { node: ref, ctx: NO_DEFINITIONS } }).body)).toBe(
      '<p>A claim<sup>[1]</sup></p>',
    );
  });

  it('shows code blocks and tables through their own components', () => {
    const out = html('```js\nlet a = 1;\n```\n\n| h |\n| - |\n| c |');
    expect(out).toContain('data-testid="code-block"');
    expect(out).toContain('let a = 1;');
    expect(out).toMatch(/<th[^>]*>h<\/th>/);
    expect(out).toMatch(/<td[^>]*>c<\/td>/);
  });

  it('shows text that arrived after the parse at the end of its paragraph, and marks one that goes on', () => {
    const node = { type: 'paragraph' as const, children: [{ type: 'text' as const, value: 'so far' }] };
    const ctx = { definitions: new Map(), complete: false };
    const body = render(MdNode, { props: { node, ctx, pending: ' and more', joinsNext: true } }).body;
    expect(normalized(body)).toBe('<p class="joins-next">so far<span class="pending"> and more</span></p>');
  });

  it('shows a node of more children than one step renders: the first ones formatted, the rest as their text', () => {
    const many = Array.from({ length: 1000 }, (_, i) => i);
    const paragraph: Nodes = {
      type: 'paragraph',
      children: many.map((i) => ({ type: 'emphasis', children: [{ type: 'text', value: `w${i}` }] })),
    };
    const body = normalized(render(MdNode, { props: { node: paragraph, ctx: NO_DEFINITIONS } }).body);
    const formatted = body.match(/<em>/g)?.length ?? 0;
    expect(formatted).toBeGreaterThan(0);
    expect(formatted).toBeLessThan(many.length);
    expect(body).toContain(`<em>w${formatted - 1}</em>w${formatted}w${formatted + 1}`);
    expect(body).toContain(`w${many.length - 1}</p>`);

    // A quote's paragraphs waiting their step are on lines of their own, not run together.
    const paragraphs: Nodes = {
      type: 'blockquote',
      children: many.map((i) => ({ type: 'paragraph', children: [{ type: 'text', value: `p${i}` }] })),
    };
    const quote = render(MdNode, { props: { node: paragraphs, ctx: NO_DEFINITIONS } }).body;
    const shown = quote.match(/<p>/g)?.length ?? 0;
    expect(shown).toBeLessThan(many.length);
    expect(quote).toContain(`p${shown}\np${shown + 1}\n`);
  });
});
