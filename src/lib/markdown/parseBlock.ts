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
import { plainBlockTree } from './plainBlock.ts';
import { linearAttentionExtension } from './linearAttention.ts';

/** GFM, with emphasis resolved in linear time (linearAttention.ts: micromark's own is quadratic on dense emphasis). */
const options = { extensions: [gfm(), linearAttentionExtension], mdastExtensions: [gfmFromMarkdown()] };

/**
 * The same, without the pass that finds GFM's literal links (`www.example.com`, `https://…`,
 * `a@b.co`) in the finished tree: four patterns tried on every text node, a third of the parse of
 * ordinary Markdown (and of dense emphasis: 8 of 18 ms in a `bench:stream --kinds=emphasis` profile).
 * Each pattern needs `://`, `www.` or `@` within one text node, and a text node's characters are the
 * source's, or come from a backslash escape or a character reference; so a block without any of
 * MAY_HAVE_LITERAL_LINK can have no literal link, and its tree is the same without the pass. (In
 * mdast-util-gfm, the literal-link extension is the one with a transform.)
 */
const withoutLiteralLinks = {
  ...options,
  mdastExtensions: [
    gfmFromMarkdown().map((extension) => (extension.transforms ? { ...extension, transforms: [] } : extension)),
  ],
};
const MAY_HAVE_LITERAL_LINK = /[@&\\]|:\/\/|www\./i;

/** Deeper nodes are shown as their plain text: a view renders nodes recursively, and so would overflow. */
export const MAX_DEPTH = 24;

/**
 * The syntax tree of `text`, at most MAX_DEPTH deep. Never throws: a text the parser cannot take
 * (thousands of nested quotes overflow its stack) is shown as one plain paragraph. A block that is
 * one fenced code block, or plain prose, gets its tree without the parser (fencedCode.ts,
 * plainBlock.ts: the same tree, far faster).
 *
 * `definitions`: link and footnote definitions from elsewhere in the answer, as Markdown
 * (`definitionLines`). Whether `[text][label]`, `[label]` or `[^note]` is a reference depends on a
 * definition of its label anywhere in the document, and a block is parsed alone; so they are parsed
 * after the block's text, and their nodes left out of its tree. Where the block would take them in
 * (it ends inside an HTML block or an open fence, which run on past a blank line), the block is
 * parsed without them.
 */
export function parseBlock(text: string, definitions = ''): Root {
  const plain = plainBlockTree(text);
  if (plain !== undefined) return plain;
  const fenced = fencedCodeTree(text);
  if (fenced !== undefined) return fenced;
  let root: Root;
  try {
    root = definitions !== '' && text.includes('[') ? withoutAfter(parse(text + definitions), text) : parse(text);
  } catch {
    return { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', value: text }] }] };
  }
  capDepth(root);
  return root;
}

const parse = (text: string): Root =>
  fromMarkdown(text, MAY_HAVE_LITERAL_LINK.test(text) ? options : withoutLiteralLinks);

/**
 * The tree of `text` parsed with definitions after it: without the nodes that begin after `text`;
 * parsed alone if a node runs on past its end (it took in what was after it).
 */
function withoutAfter(root: Root, text: string): Root {
  const own = root.children.filter((n) => (n.position?.start.offset ?? 0) < text.length);
  if ((own.at(-1)?.position?.end.offset ?? 0) > text.length) return parse(text);
  root.children = own;
  // Where a parse of the text alone ends: after its last character.
  const lines = text.split('\n');
  root.position = {
    start: { line: 1, column: 1, offset: 0 },
    end: { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1, offset: text.length },
  };
  return root;
}

/**
 * Definitions as Markdown to parse after a block (see parseBlock): `[label]: #` for a link, `[^label]:
 * .` for a footnote, each after a blank line (which ends whatever the block left open, bar HTML and
 * fences), with the labels as written, so they match what they matched where they were written. Only
 * which labels are defined matters to the parse; the view takes a link's target from the definition
 * itself.
 */
export function definitionLines(labels: { links: Iterable<string>; footnotes: Iterable<string> }): string {
  let out = '';
  for (const label of labels.links) out += `\n\n[${label}]: #`;
  for (const label of labels.footnotes) out += `\n\n[^${label}]: .`;
  return out;
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
