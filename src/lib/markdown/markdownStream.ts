/**
 * The Markdown of a streamed answer as parsed blocks, grouped and chunked for the view, at a cost per
 * update that depends on what is new, not on the answer so far.
 *
 * BlockSplitter finds the blocks. A complete block is parsed once and keeps its object (and so its
 * rendered elements). The last block is parsed again as it grows: on every update while it is short
 * (REPARSE_ALWAYS_UP_TO, a bounded cost per update), then once it has grown by 1/32 of the length
 * it had at its last parse. Each character so pays for at most 32 characters of parsing, however
 * long the block, so a whole stream costs time linear in its length; the text that arrived since the
 * last parse (at most 1/32 of the block, a few characters for ordinary ones) is shown as `pending`
 * plain text meanwhile. A last block longer than LIVE_PARSE_UP_TO is not parsed again until the
 * answer is complete: one parse of it would be a long task (micromark reads about 1 KB per ms). A
 * fenced code block is exempt from both limits: its tree is built without the parser
 * (fencedCode.ts), so a long listing is shown whole on every update. When the answer is complete
 * (`final`), the last block is parsed in full.
 *
 * What the view gets is built for a keyed view to touch only what changed: consecutive one-list
 * blocks with the same marker are one group (one list in CommonMark: the splitter gives each item a
 * block), and groups come in chunks of CHUNK. A group that can take no more blocks keeps its object,
 * a full chunk too, so per update the view compares one entry per chunk and re-renders only the last
 * chunk's last groups, and never walks a complete block's tree again (its link definitions are
 * collected once, with its parse).
 */
import type { Definition, List, Nodes, Root } from 'mdast';
import { BlockSplitter, listMarker } from './blockSplitter.ts';
import { parseBlock } from './parseBlock.ts';
import { readFence } from './fencedCode.ts';

export interface MarkdownBlock {
  /** Where the block starts in the text: stable for its whole life, so a view can key by it. */
  readonly key: number;
  readonly tree: Root;
  /** Text of this block that arrived after `tree` was parsed (only for a long last block). */
  readonly pending: string;
  /** The block can no longer change. */
  readonly complete: boolean;
  /**
   * When the block is one list: its marker ("-", "*", "+", "." or ")"). Consecutive blocks with the
   * same marker are one list in CommonMark (the splitter gives each item a block), so a view joins them.
   */
  readonly listMarker: string | undefined;
  /** Link definitions of the block, by normalized label (for `[text][label]` references). */
  readonly definitions: ReadonlyMap<string, Definition>;
  /**
   * The block's paragraph goes on in the next block: a long paragraph cut at a line break while it
   * streamed (see PARAGRAPH_RUN). A view shows the two without space between them.
   */
  readonly joinsNext: boolean;
}

/** Blocks shown together: one non-list block, or consecutive one-list blocks that make one list. */
export interface MarkdownGroup {
  /** The first block's key. */
  readonly key: number;
  /** The list the blocks make up together (the first block's), or undefined for a non-list block. */
  readonly list: List | undefined;
  readonly blocks: readonly MarkdownBlock[];
}

/** Consecutive groups; every chunk but the last is full and never changes. */
export interface MarkdownChunk {
  /** The first group's key. */
  readonly key: number;
  readonly groups: readonly MarkdownGroup[];
}

/** A last block up to this long is parsed on every update. */
export const REPARSE_ALWAYS_UP_TO = 512;
/** A longer one is parsed again once it has grown by 1/REPARSE_AFTER of its parsed length. */
export const REPARSE_AFTER = 32;
/** A last block longer than this is not parsed again while it streams (unless it is a code fence). */
export const LIVE_PARSE_UP_TO = 16_000;
/** Groups per chunk. */
export const CHUNK = 32;
/**
 * A growing paragraph longer than this is cut at a line break, where that cannot change what it reads
 * as (`paragraphCut`): the part before becomes a complete block, so neither the parser nor the
 * browser's layout handles the whole paragraph again on every update.
 */
export const PARAGRAPH_RUN = 2_048;

export class MarkdownStream {
  #splitter = new BlockSplitter();
  /** How many of the splitter's blocks are complete and placed in a group. */
  #completeCount = 0;
  /** Full chunks, in order; never changed once added. */
  #sealed: MarkdownChunk[] = [];
  /** Groups that can take no more blocks, not yet in a full chunk. */
  #closed: MarkdownGroup[] = [];
  /** The group of the latest complete block: a later list item may still join it. */
  #open: { list: List | undefined; marker: string | undefined; blocks: MarkdownBlock[] } | undefined;
  /** The open group as the view gets it, until a block joins it (so an unchanged group keeps its object). */
  #openGroup: MarkdownGroup | undefined;
  #last: MarkdownBlock | undefined;
  /** Length of the last block's text when `#last.tree` was parsed. */
  #lastParsed = 0;
  /** The last block (by its start) was read as a fence still open at this length. */
  #openFence = { start: -1, length: 0 };
  #result: readonly MarkdownChunk[] = [];
  /** Where the last block's text begins: its splitter block's start, or later once a paragraph was cut. */
  #from = 0;

  /**
   * The chunks of `text`. `text` normally extends the previous one; any other text starts over.
   * `final`: the text is complete, so the last block is parsed in full.
   */
  update(text: string, final = false): readonly MarkdownChunk[] {
    if (text.length < this.#splitter.text.length || !text.startsWith(this.#splitter.text)) this.#reset();
    const before = this.#last;
    const changed = this.#completeCount;
    this.#splitter.append(text);
    const starts = this.#splitter.starts;
    while (this.#completeCount < starts.length - 1) {
      const i = this.#completeCount;
      // A block whose paragraph was cut while it streamed: only what follows the cut is left to parse.
      const start = Math.max(starts[i] ?? 0, this.#from);
      const end = starts[i + 1] ?? text.length;
      this.#place(block(start, text.slice(start, end), true));
      this.#completeCount += 1;
      this.#last = undefined;
      this.#from = end;
    }
    const start = Math.max(starts.at(-1) ?? 0, this.#from);
    const lastText = text.slice(start);
    this.#updateLast(start, lastText, final);
    if (this.#last !== before || this.#completeCount !== changed) this.#result = this.#build(lastText);
    return this.#result;
  }

  #updateLast(start: number, lastText: string, final: boolean): void {
    const last = this.#last;
    if (last !== undefined && this.#lastParsed === lastText.length && last.complete === final) return;
    const known = this.#openFence.start === start ? this.#openFence.length : 0;
    const fence = final ? undefined : readFence(lastText, known);
    this.#openFence = { start, length: fence?.open === true ? lastText.length : 0 };
    if (fence !== undefined) {
      this.#last = blockOf(start, fence.tree, lastText, false);
      this.#lastParsed = lastText.length;
      return;
    }
    const grown = lastText.length - this.#lastParsed;
    if (
      last === undefined ||
      final ||
      lastText.length <= REPARSE_ALWAYS_UP_TO ||
      (lastText.length <= LIVE_PARSE_UP_TO && grown * REPARSE_AFTER >= this.#lastParsed)
    ) {
      const cut = final || lastText.length <= PARAGRAPH_RUN ? undefined : paragraphCut(lastText);
      if (cut !== undefined) {
        // The paragraph so far up to the cut is complete; the rest is the last block now.
        this.#place(blockOf(start, cut.tree, lastText.slice(0, cut.at), true, true));
        this.#last = undefined;
        this.#from = start + cut.at;
        this.#updateLast(this.#from, lastText.slice(cut.at), final);
        return;
      }
      this.#last = block(start, lastText, final);
      this.#lastParsed = lastText.length;
    } else {
      this.#last = { ...last, pending: lastText.slice(this.#lastParsed) };
    }
  }

  /** Adds a complete block to the open group, or closes that group and opens one with it. */
  #place(b: MarkdownBlock): void {
    this.#openGroup = undefined;
    const open = this.#open;
    if (open?.list !== undefined && b.listMarker !== undefined && b.listMarker === open.marker) {
      open.blocks.push(b);
      return;
    }
    if (open !== undefined) this.#close(open);
    this.#open = { list: listOf(b), marker: b.listMarker, blocks: [b] };
  }

  #close(open: { list: List | undefined; blocks: MarkdownBlock[] }): void {
    this.#closed.push(groupOf(open.list, open.blocks));
    if (this.#closed.length === CHUNK) {
      this.#sealed.push({ key: this.#closed[0]?.key ?? 0, groups: this.#closed });
      this.#closed = [];
    }
  }

  /** The chunks: the sealed ones as they are, then one of the closed groups, the open one and the last block. */
  #build(lastText: string): readonly MarkdownChunk[] {
    const tail = [...this.#closed];
    const open = this.#open;
    const last = this.#last;
    const showLast = last !== undefined && !(lastText === '' && this.#completeCount === 0);
    if (open !== undefined) {
      const joins =
        showLast && open.list !== undefined && last.listMarker !== undefined && last.listMarker === open.marker;
      tail.push(
        joins ? groupOf(open.list, [...open.blocks, last]) : (this.#openGroup ??= groupOf(open.list, [...open.blocks])),
      );
      if (showLast && !joins) tail.push(groupOf(listOf(last), [last]));
    } else if (showLast) {
      tail.push(groupOf(listOf(last), [last]));
    }
    if (tail.length === 0) return this.#sealed.length === 0 ? [] : [...this.#sealed];
    return [...this.#sealed, { key: tail[0]?.key ?? 0, groups: tail }];
  }

  #reset(): void {
    this.#splitter = new BlockSplitter();
    this.#completeCount = 0;
    this.#sealed = [];
    this.#closed = [];
    this.#open = undefined;
    this.#openGroup = undefined;
    this.#last = undefined;
    this.#lastParsed = 0;
    this.#openFence = { start: -1, length: 0 };
    this.#result = [];
    this.#from = 0;
  }
}

/** A first line that, after a paragraph's line, can only go on with that paragraph: a letter first, no table cells. */
const PLAIN_LINE = /^ {0,3}\p{L}[^|\n]*\n/u;
/** Characters an inline construct opens with, or closes with: left as text, they may still pair with later text. */
const OPENERS = /[*_~`[\]<]/;

/**
 * Where a growing paragraph can be cut, and its tree up to there: at the start of a line such that
 * the part before, parsed alone, reads as it will in the whole paragraph whatever comes later, and
 * the part after starts a paragraph that the whole would continue. That holds when
 * - the part before is one paragraph whose text (what no construct took) has no character an
 *   emphasis, code span, link, strikethrough or HTML could still pair with later text (`OPENERS`);
 * - its last line does not end in a space, tab or backslash (a hard line break there would change);
 * - the line after the cut is complete, starts with at most 3 spaces and a letter (no heading,
 *   list, quote, fence, HTML, setext underline, definition or indented code) and has no `|` (no
 *   table header), so what follows reads the same in the part after as in the whole.
 * The one thing later text could still change is a setext underline further down (`===` or `---`
 * under a line), which makes a heading of the paragraph from the cut on instead of from its start.
 * Tries the last few line starts, the latest first (the part after is then short); undefined when
 * none qualifies or the part before is not one plain paragraph.
 */
function paragraphCut(text: string): { at: number; tree: Root } | undefined {
  let end = text.lastIndexOf('\n');
  for (let tries = 0; tries < 8 && end > 0; tries += 1) {
    const at = text.lastIndexOf('\n', end - 1) + 1;
    if (at === 0) return undefined;
    end = at - 1;
    const before = text.charCodeAt(at - 2);
    if (before === 32 || before === 9 || before === 92 || before === 10 || before === 13) continue;
    if (!PLAIN_LINE.test(text.slice(at, text.indexOf('\n', at) + 1))) continue;
    const tree = parseBlock(text.slice(0, at));
    const only = tree.children.length === 1 ? tree.children[0] : undefined;
    return only?.type === 'paragraph' && !textHas(only, OPENERS) ? { at, tree } : undefined;
  }
  return undefined;
}

/** Whether a text node under `node` has a character of `chars`. */
function textHas(node: Nodes, chars: RegExp): boolean {
  const stack: Nodes[] = [node];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (n.type === 'text' && chars.test(n.value)) return true;
    if ('children' in n) for (const child of n.children) stack.push(child);
  }
  return false;
}

/** Every block of `chunks`, in order (for tests and for views that want them flat). */
export function blocksOf(chunks: readonly MarkdownChunk[]): MarkdownBlock[] {
  return chunks.flatMap((c) => c.groups.flatMap((g) => g.blocks));
}

function groupOf(list: List | undefined, blocks: readonly MarkdownBlock[]): MarkdownGroup {
  return { key: blocks[0]?.key ?? 0, list, blocks };
}

function listOf(b: MarkdownBlock): List | undefined {
  const only = b.tree.children[0];
  return b.listMarker !== undefined && only?.type === 'list' ? only : undefined;
}

function block(key: number, text: string, complete: boolean): MarkdownBlock {
  return blockOf(key, parseBlock(text), text, complete);
}

function blockOf(key: number, tree: Root, text: string, complete: boolean, joinsNext = false): MarkdownBlock {
  const only = tree.children.length === 1 ? tree.children[0] : undefined;
  const firstLine = only?.type === 'list' ? (/^[ \t]*\S.*$/m.exec(text)?.[0] ?? '') : '';
  return {
    key,
    tree,
    pending: '',
    complete,
    listMarker: only?.type === 'list' ? listMarker(firstLine) : undefined,
    definitions: definitionsOf(tree),
    joinsNext,
  };
}

/** The tree's link definitions, collected without recursion. */
function definitionsOf(tree: Root): ReadonlyMap<string, Definition> {
  const definitions = new Map<string, Definition>();
  const stack: Nodes[] = [tree];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'definition') definitions.set(node.identifier, node);
    else if ('children' in node) for (const child of node.children) stack.push(child);
  }
  return definitions;
}
