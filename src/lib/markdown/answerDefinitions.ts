/**
 * The link and footnote definitions of one answer, across its blocks.
 *
 * Why: MarkdownStream parses each block alone, but `[text][label]`, `[label]` and `[^note]` are
 * references only if the label is defined somewhere in the document, often in a later block (the
 * footnotes at the end of an answer). So the stream collects the definitions of its complete blocks
 * here, parses each block with the definitions of the labels its text uses (parseBlock), and parses
 * a complete block again when a label it uses gets defined.
 *
 * Keys are the labels as CommonMark compares them (micromark's `normalizeIdentifier`, then lower
 * case, as mdast's `identifier`), a footnote's with `^` before it.
 */
import type { Definition, Nodes, Root } from 'mdast';
import { normalizeIdentifier } from 'micromark-util-normalize-identifier';
import { definitionLines } from './parseBlock.ts';

/** A label as written between brackets: escapes allowed, no unescaped bracket inside (CommonMark). */
const LABEL = /\[((?:[^[\]\\]|\\[\s\S])+)\]/g;

const keyOf = (label: string): string => normalizeIdentifier(label).toLowerCase();

/**
 * The keys of every label `text` may use as a reference: each bracketed text, as a link label and,
 * after `^`, as a footnote's. A superset (link texts, code spans and links with a URL are counted
 * too): a key too many costs a parse, one too few would leave a reference as text.
 */
export function labelsIn(text: string): Set<string> {
  const keys = new Set<string>();
  for (const [, label = ''] of text.matchAll(LABEL)) {
    keys.add(keyOf(label));
    // A footnote's key is `^` and the key of what follows it (the same but where that starts with a space).
    if (label.startsWith('^')) keys.add(`^${keyOf(label.slice(1))}`);
  }
  return keys;
}

export class AnswerDefinitions {
  /** Link definitions by key: the first of a label wins, as in CommonMark. */
  readonly #links = new Map<string, Definition>();
  /** Footnote labels as written, by key ('^' + identifier). */
  readonly #footnotes = new Map<string, string>();

  /** The link definitions so far, by key: what a view resolves `[text][label]` with. */
  get links(): ReadonlyMap<string, Definition> {
    return this.#links;
  }

  /** Adds the definitions in `tree` (a complete block's); returns the keys that were not defined before. */
  add(tree: Root): string[] {
    const added: string[] = [];
    const stack: Nodes[] = [tree];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (node.type === 'definition' && !this.#links.has(node.identifier)) {
        this.#links.set(node.identifier, node);
        added.push(node.identifier);
      } else if (node.type === 'footnoteDefinition' && !this.#footnotes.has(`^${node.identifier}`)) {
        this.#footnotes.set(`^${node.identifier}`, node.label ?? node.identifier);
        added.push(`^${node.identifier}`);
      }
      // In document order: the first definition of a label wins.
      if ('children' in node)
        for (let i = node.children.length - 1; i >= 0; i -= 1) stack.push(node.children[i] as Nodes);
    }
    return added;
  }

  /**
   * For a block's text: the definitions of the labels it uses, as Markdown to parse after it
   * (parseBlock), and the keys it uses that are not defined yet (so it can be parsed again when one is).
   */
  for(text: string): { lines: string; missing: Set<string> } {
    if (!text.includes('[')) return { lines: '', missing: new Set() };
    const links: string[] = [];
    const footnotes: string[] = [];
    const missing = new Set<string>();
    for (const key of labelsIn(text)) {
      const link = this.#links.get(key);
      const footnote = this.#footnotes.get(key);
      if (link !== undefined) links.push(link.label ?? link.identifier);
      else if (footnote !== undefined) footnotes.push(footnote);
      else missing.add(key);
    }
    return { lines: definitionLines({ links, footnotes }), missing };
  }
}
