/** The Markdown parser's own tree of a text (GFM, as parseBlock reads it), without positions: what the parser-free trees must equal. */
import type { Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

export function parserTree(text: string): unknown {
  const strip = (node: Nodes): unknown => {
    const { position: _position, ...rest } = node;
    return 'children' in node ? { ...rest, children: node.children.map((c) => strip(c as Nodes)) } : rest;
  };
  return strip(fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }));
}
