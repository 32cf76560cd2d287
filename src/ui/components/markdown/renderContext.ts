import type { Definition, Nodes, Root } from 'mdast';

/** What every node of one block needs to know while it is rendered. */
export interface RenderContext {
  /** Link definitions of the block, by normalized label (for `[text][label]` references). */
  definitions: ReadonlyMap<string, Definition>;
  /** The block is complete (its code blocks are worth highlighting). */
  complete: boolean;
}

/** The block's context: its definitions, collected without recursion. */
export function renderContext(tree: Root, complete: boolean): RenderContext {
  const definitions = new Map<string, Definition>();
  const stack: Nodes[] = [tree];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'definition') definitions.set(node.identifier, node);
    else if ('children' in node) stack.push(...node.children);
  }
  return { definitions, complete };
}
