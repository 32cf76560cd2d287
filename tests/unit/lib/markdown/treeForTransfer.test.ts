/**
 * treeForTransfer: what the Markdown worker sends the page. The view must get the same tree, bar the
 * positions it never reads; the block's top-level nodes keep theirs (where a node starts in the text
 * is read after a parse); and what crosses the worker boundary is much smaller.
 */
import { describe, expect, it } from 'vitest';
import { parseBlock } from '../../../../src/lib/markdown/parseBlock.ts';
import { treeForTransfer } from '../../../../src/lib/markdown/treeForTransfer.ts';

/** The tree as JSON without any `position`: what the view reads. */
const shown = (tree: unknown): string =>
  JSON.stringify(tree, (key, value: unknown) => (key === 'position' ? undefined : value));

const SAMPLE = [
  'Some **bold *and nested* text**, `code`, ~~gone~~, [a link](https://example.com).',
  '- item one\n  - nested *item*\n- [x] done',
  '| a | b |\n| --- | --- |\n| *1* | `2` |',
  '> a quote with **bold**',
  '```js\nconst x = 1;\n```',
].join('\n\n');

describe('treeForTransfer', () => {
  it('keeps everything the view reads, and the top-level positions', () => {
    const tree = parseBlock(SAMPLE, '');
    const expected = shown(tree);
    const topPositions = tree.children.map((node) => structuredClone(node.position));
    expect(topPositions.every((position) => position?.start.offset !== undefined)).toBe(true);

    const sent = treeForTransfer(tree);
    expect(shown(sent)).toBe(expected);
    expect(sent.children.map((node) => node.position)).toEqual(topPositions);
  });

  it('leaves no position below the top-level nodes', () => {
    const deeper: unknown[] = [];
    const collect = (node: { position?: unknown; children?: unknown[] }, depth: number) => {
      if (depth > 1 && node.position !== undefined) deeper.push(node);
      for (const child of node.children ?? []) collect(child as typeof node, depth + 1);
    };
    collect(treeForTransfer(parseBlock(SAMPLE, '')), 0);
    expect(deeper).toEqual([]);
  });

  it('sends a paragraph of thousands of emphases in well under half the size', () => {
    const tree = parseBlock('*a* '.repeat(4000), '');
    const before = JSON.stringify(tree).length;
    const after = JSON.stringify(treeForTransfer(tree)).length;
    expect(after).toBeLessThan(before / 2);
  });
});
