/**
 * The Markdown of a streamed answer as a list of parsed blocks, at a cost linear in its length.
 *
 * BlockSplitter finds the blocks. A complete block is parsed once and keeps its object (and so its
 * rendered elements). The last block is parsed again as it grows: on every update while it is short
 * (REPARSE_ALWAYS_UP_TO, a bounded cost per update), then once it has grown by 1/32 of the length
 * it had at its last parse. Each character so pays for at
 * most 32 characters of parsing, however long the block (a single huge paragraph, list or code
 * block), so a whole stream costs time linear in its length; the text that arrived since the last
 * parse (at most 1/32 of the block, a few characters for ordinary ones) is shown as `pending` plain
 * text meanwhile. When the answer is complete (`final`), the last block is parsed in full.
 */
import type { Root } from 'mdast';
import { BlockSplitter, listMarker } from './blockSplitter.ts';
import { parseBlock } from './parseBlock.ts';

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
}

/** A last block up to this long is parsed on every update. */
export const REPARSE_ALWAYS_UP_TO = 512;
/** A longer one is parsed again once it has grown by 1/REPARSE_AFTER of its parsed length. */
export const REPARSE_AFTER = 32;

export class MarkdownStream {
  #splitter = new BlockSplitter();
  /** Complete blocks, in order; never changed once added. */
  #complete: MarkdownBlock[] = [];
  #last: MarkdownBlock | undefined;
  /** Length of the last block's text when `#last.tree` was parsed. */
  #lastParsed = 0;

  /**
   * The blocks of `text`. `text` normally extends the previous one; any other text starts over.
   * `final`: the text is complete, so the last block is parsed in full.
   */
  update(text: string, final = false): readonly MarkdownBlock[] {
    if (!text.startsWith(this.#splitter.text)) this.#reset();
    this.#splitter.append(text);
    const starts = this.#splitter.starts;
    while (this.#complete.length < starts.length - 1) {
      const i = this.#complete.length;
      const start = starts[i] ?? 0;
      const end = starts[i + 1] ?? text.length;
      this.#complete.push(block(start, text.slice(start, end), true));
      this.#last = undefined;
    }
    const start = starts.at(-1) ?? 0;
    const lastText = text.slice(start);
    const last = this.#last;
    if (last === undefined || this.#lastParsed !== lastText.length || last.complete !== final) {
      if (
        last === undefined ||
        final ||
        lastText.length <= REPARSE_ALWAYS_UP_TO ||
        (lastText.length - this.#lastParsed) * REPARSE_AFTER >= this.#lastParsed
      ) {
        this.#last = block(start, lastText, final);
        this.#lastParsed = lastText.length;
      } else {
        this.#last = { ...last, pending: lastText.slice(this.#lastParsed) };
      }
    }
    if (this.#last === undefined || (lastText === '' && this.#complete.length === 0)) return [];
    return [...this.#complete, this.#last];
  }

  #reset(): void {
    this.#splitter = new BlockSplitter();
    this.#complete = [];
    this.#last = undefined;
    this.#lastParsed = 0;
  }
}

function block(key: number, text: string, complete: boolean): MarkdownBlock {
  const tree = parseBlock(text);
  const only = tree.children.length === 1 ? tree.children[0] : undefined;
  const firstLine = /^[ \t]*\S.*$/m.exec(text)?.[0] ?? '';
  return { key, tree, pending: '', complete, listMarker: only?.type === 'list' ? listMarker(firstLine) : undefined };
}
