/**
 * Highlighter tokens (hast from highlighter.ts: spans with class names, and text) as DOM nodes.
 *
 * Why not a component per token: a highlighted block never changes, but a Svelte component (or an
 * `{#each}` item) per token keeps effects and props alive for each one. For a long answer with code
 * that was the largest part of the memory its view took (15–19 MB of 75–85 MB for 16k tokens of
 * Markdown with code), which the garbage collector then walks in pauses of 20–70 ms.
 *
 * Still no markup: only `span` elements are made, only their class names are copied (strings from
 * the highlighter's own grammar), and every piece of text goes in as a text node.
 */
import type { ElementContent } from 'hast';

/** The tokens as a fragment of spans and text nodes, in order. */
export function tokenFragment(nodes: readonly ElementContent[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  append(fragment, nodes);
  return fragment;
}

function append(parent: Node, nodes: readonly ElementContent[]): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      parent.appendChild(document.createTextNode(node.value));
    } else if (node.type === 'element') {
      const span = document.createElement('span');
      const names = node.properties.className;
      if (Array.isArray(names)) span.className = names.filter((n) => typeof n === 'string').join(' ');
      // The highlighter's nesting is a few levels at most (a grammar's sub-languages).
      append(span, node.children);
      parent.appendChild(span);
    }
  }
}
