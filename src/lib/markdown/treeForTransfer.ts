/**
 * A block's tree made cheaper to send from the Markdown worker to the page. The page rebuilds every
 * object of a structured clone in one task: a 64 KB paragraph of `*a* ` is 32,000 nodes, and with each
 * node's `position` (three objects more) the page spent about 50 ms rebuilding it
 * (`bench:stream --kinds=emphasis --profile`, reopened). Only the block's top-level nodes' positions
 * are read after a parse (MarkdownStream and parseBlock find where a node starts in the text); the
 * view reads none, so every deeper node's position is left out.
 */
import type { Nodes, Root } from 'mdast';

/** Removes `position` from every node below the root's children, in place; returns the same tree. */
export function treeForTransfer(root: Root): Root {
  const stack: Nodes[] = [];
  for (const child of root.children) if ('children' in child) stack.push(...child.children);
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    delete node.position;
    if ('children' in node) for (const child of node.children) stack.push(child);
  }
  return root;
}
