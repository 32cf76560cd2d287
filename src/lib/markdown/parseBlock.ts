/**
 * One block of Markdown to a syntax tree (mdast), GFM included: tables, task lists, strikethrough,
 * autolinks, footnotes. The tree is data; the view renders it node by node, so nothing the model
 * writes ever becomes markup.
 */
import type { Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { fencedCodeTree } from './fencedCode.ts';
import { plainParagraphTree } from './plainParagraph.ts';

const options = { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] };

/** Deeper nodes are shown as their plain text: a view renders nodes recursively, and so would overflow. */
export const MAX_DEPTH = 24;

/**
 * The syntax tree of `text`, at most MAX_DEPTH deep. Never throws: a text the parser cannot take
 * (thousands of nested quotes overflow its stack) is shown as one plain paragraph. A block that is
 * one fenced code block, or plain prose, gets its tree without the parser (fencedCode.ts,
 * plainParagraph.ts: the same tree, far faster).
 */
export function parseBlock(text: string): Root {
  const plain = plainParagraphTree(text);
  if (plain !== undefined) return plain;
  const fenced = fencedCodeTree(text);
  if (fenced !== undefined) return fenced;
  let root: Root;
  try {
    root = fromMarkdown(text, options);
  } catch {
    return { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', value: text }] }] };
  }
  capDepth(root);
  return root;
}

/** Replaces the children of nodes at MAX_DEPTH with one text node of their text (no recursion). */
function capDepth(root: Root): void {
  const stack: { node: Nodes; depth: number }[] = [{ node: root, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, depth } = item;
    if (!('children' in node)) continue;
    if (depth < MAX_DEPTH) {
      for (const child of node.children) stack.push({ node: child, depth: depth + 1 });
      continue;
    }
    const flat: Nodes = { type: 'text', value: plainText(node) };
    // The node's own type is kept; its content becomes text (a paragraph can hold text, a list cannot,
    // so those become a paragraph of it).
    (node as { children: Nodes[] }).children =
      node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell'
        ? [flat]
        : [{ type: 'paragraph', children: [flat] }];
  }
}

/** The text of a subtree, in order, without recursion. */
function plainText(node: Nodes): string {
  const out: string[] = [];
  const stack: Nodes[] = [node];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if ('value' in n) out.push(n.value);
    else if ('children' in n) for (let i = n.children.length - 1; i >= 0; i -= 1) stack.push(n.children[i] as Nodes);
  }
  return out.join('');
}
