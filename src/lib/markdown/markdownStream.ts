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
 * plain text meanwhile. A last block longer than LIVE_PARSE_UP_TO, or whose last parse took longer
 * than LIVE_PARSE_BUDGET_MS, is not parsed again until the answer is complete: one parse of it would
 * be a long task (micromark reads about 1 KB per ms, far less on pathological text). A
 * fenced code block is exempt from both limits: its tree is built without the parser
 * (fencedCode.ts), so a long listing is shown whole on every update. When the answer is complete
 * (`final`), the last block is parsed in full: elsewhere (`ParseAway`, a worker) when it is one that
 * was not parsed again while it streamed, since that parse alone would be a long task; the block is
 * shown as it was meanwhile, and `ParseAway.onChange` is called when its tree has arrived.
 *
 * What the view gets is built for a keyed view to touch only what changed: consecutive one-list
 * blocks with the same marker are one group (one list in CommonMark: the splitter gives each item a
 * block), and groups come in chunks of CHUNK. A group that can take no more blocks keeps its object,
 * a full chunk too (unless a block of it is parsed again, below), so per update the view compares one
 * entry per chunk and re-renders only the last chunk's last groups, and never walks a complete
 * block's tree again (its definitions are collected once, when it is complete).
 *
 * References: each block is parsed with the link and footnote definitions of the complete blocks
 * for the labels its text uses (answerDefinitions.ts). A complete block that uses a label defined
 * only later is parsed again then, and only its group and chunk get new objects; the last block's
 * definitions count once the answer is complete.
 */
import type { Blockquote, Definition, List, Nodes, Root, RootContent, Table } from 'mdast';
import { BlockSplitter, listMarker } from './blockSplitter.ts';
import { parseBlock } from './parseBlock.ts';
import { readFence } from './fencedCode.ts';
import { extendsText } from '../text/extendsText.ts';
import { AnswerDefinitions } from './answerDefinitions.ts';
import { plainPieces, type PlainPiece } from './unfold.ts';

export interface MarkdownBlock {
  /** Where the block starts in the text: stable for its whole life, so a view can key by it. */
  readonly key: number;
  readonly tree: Root;
  /** Text of this block that arrived after `tree` was parsed (only for a long last block). */
  readonly pending: string;
  /**
   * The block is not parsed again until the answer is complete (see LIVE_PARSE_UP_TO), so its
   * `pending` text can grow to any length: a view shows it in pieces of its own (unfold.ts
   * `plainPieces`), not inside the block's last paragraph, which the browser would otherwise lay out
   * whole again on every update.
   */
  readonly frozen: boolean;
  /**
   * A frozen block's `pending` as the pieces a view shows it in (`plainPieces`); empty otherwise. Kept
   * between updates: every piece but the last is the same object with the same string, so a view
   * compares only the last, and an update costs what arrived, not the whole pending text.
   */
  readonly pieces: readonly PlainPiece[];
  /** The block can no longer change. */
  readonly complete: boolean;
  /**
   * When the block is one list: its marker ("-", "*", "+", "." or ")"). Consecutive blocks with the
   * same marker are one list in CommonMark (the splitter gives each item a block), so a view joins them.
   */
  readonly listMarker: string | undefined;
  /**
   * The link definitions `[text][label]` references resolve to, by normalized label: the answer's
   * complete blocks' (the first of a label wins) and, in the last block while it grows, its own.
   */
  readonly definitions: ReadonlyMap<string, Definition>;
  /**
   * The block's paragraph goes on in the next block: a long paragraph cut at a line break while it
   * streamed (see PARAGRAPH_RUN). A view shows the two without space between them.
   */
  readonly joinsNext: boolean;
  /**
   * The block's first node goes on the last node of the block before, a long table or block quote
   * cut while it streamed (see PARAGRAPH_RUN): a `table` of more rows, without a header row (the
   * first part's is the table's), or a `blockquote` of more of the quote. A view shows its content
   * inside the first part's table or quote.
   */
  readonly continues: 'table' | 'blockquote' | undefined;
}

/**
 * Blocks shown together: one block; consecutive one-list blocks that make one list; or a table or
 * quote block and the blocks that continue it.
 */
export interface MarkdownGroup {
  /** The first block's key. */
  readonly key: number;
  /** The list the blocks make up together (the first block's), or undefined for a non-list block. */
  readonly list: List | undefined;
  /**
   * The table the blocks make up together: the first block's, which is that one table alone. The
   * others' tables hold more of its rows (`continues`); the last block may go on after its table.
   */
  readonly table: Table | undefined;
  /** The same for a block quote: the first block is that one quote; the others go on with it. */
  readonly quote: Blockquote | undefined;
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
/**
 * A last block no cut can shorten (over PARAGRAPH_RUN, where a cut is tried first; or one line, over
 * REPARSE_ALWAYS_UP_TO) whose parse while it streamed took longer than this (ms) is not parsed again
 * until the answer is complete: the blocks no rule can cut (one line of thousands of characters, a
 * long quote, pathological emphasis) would otherwise make every reparse a long task on a slow
 * machine. One line of dense emphasis (`*a* ` repeated), left to PARAGRAPH_RUN, was parsed and
 * rendered again every 1/REPARSE_AFTER of its growth: 7 long tasks in a 1k-token answer, which kept
 * only 830 tokens/s (`bench:stream --kinds=emphasis`). A block of several lines is left until then,
 * as a cut may still shorten it. A reparse reads at most 1/REPARSE_AFTER more than the one before,
 * so none takes much longer than this. The parse is only part of such an update: the new tree is
 * rendered in the same task, which for dense inline content costs about as much again (with 16 ms,
 * emphasis updates at 1,000 tokens/s took up to 54 ms; with 10, up to 42).
 */
export const LIVE_PARSE_BUDGET_MS = 10;
/** Groups per chunk. */
export const CHUNK = 32;
/**
 * While an answer streams, the complete blocks parsed again because a label they use got defined add
 * up to at most this many times the answer's length; the others wait until it is complete. Without
 * a bound, a long paragraph of hundreds of references followed by their definitions, one per block,
 * would be parsed again for each: quadratic.
 */
export const REFERENCE_REPARSE_BUDGET = 2;
/**
 * A growing paragraph longer than this is cut at a line break, where that cannot change what it reads
 * as (`paragraphCut`), a growing table between two rows (`tableCut`), and a growing block quote
 * between two of its paragraphs (`quoteCut`): the part before becomes a complete block, so neither
 * the parser nor the browser's layout handles the whole of it again on every update.
 */
export const PARAGRAPH_RUN = 2_048;

export class MarkdownStream {
  /**
   * @param now The clock that times the parses (see LIVE_PARSE_BUDGET_MS), in ms.
   * @param away Where a frozen last block's final parse can run off this thread, and what to call when
   *   its tree has arrived (the result of `update` has changed then). Without it, that parse runs in
   *   `update`.
   */
  constructor(now: () => number = () => performance.now(), away?: ParseAway) {
    this.#now = now;
    this.#away = away;
  }

  #splitter = new BlockSplitter();
  /** How many of the splitter's blocks are complete and placed in a group. */
  #completeCount = 0;
  /** Full chunks, in order; never changed once added. */
  #sealed: MarkdownChunk[] = [];
  /** Groups that can take no more blocks, not yet in a full chunk. */
  #closed: MarkdownGroup[] = [];
  /** The group of the latest complete block: a later list item may still join it. */
  #open: OpenGroup | undefined;
  /** The open group as the view gets it, until a block joins it (so an unchanged group keeps its object). */
  #openGroup: MarkdownGroup | undefined;
  #last: MarkdownBlock | undefined;
  /** Length of the last block's text when `#last.tree` was parsed. */
  #lastParsed = 0;
  /**
   * The start of the last block when a parse of it while it streamed took longer than
   * LIVE_PARSE_BUDGET_MS: it is not parsed again until the answer is complete.
   */
  #slowFrom = -1;
  readonly #now: () => number;
  readonly #away: ParseAway | undefined;
  /** The pieces of the frozen last block's pending text (see `MarkdownBlock.pieces`), and of which block and parse. */
  #pieces: { start: number; parsed: number; list: readonly PlainPiece[] } | undefined;
  /** The final parse of the last block under way elsewhere (see ParseAway): which block, which text. */
  #sentAway: { start: number; text: string; definitions: string } | undefined;
  /** The last block (by its start) was read as a fence still open at this length. */
  #openFence = { start: -1, length: 0 };
  #result: readonly MarkdownChunk[] = [];
  /** Where the last block's text begins: its splitter block's start, or later once a paragraph was cut. */
  #from = 0;
  /**
   * What the text from `#from` goes on, after a cut while it streamed: a table (with its header and
   * delimiter rows, parsed in front of it: a row means what it means only under its table's head) or
   * a block quote.
   */
  #continues: Continued | undefined;
  /** The definitions of the complete blocks (see answerDefinitions.ts). */
  #definitions = new AnswerDefinitions();
  /**
   * Complete blocks (by key) whose text uses labels not defined yet: that text, and those labels. A
   * block is parsed again when one of them gets defined.
   */
  #waiting = new Map<number, { text: string; missing: Set<string> }>();
  /** Complete blocks (by key, with their text) that use a label defined since they were parsed. */
  #stale = new Map<number, string>();
  /** Characters of complete blocks parsed again for their references so far (see REFERENCE_REPARSE_BUDGET). */
  #reparsedLength = 0;
  /** A complete block was parsed again since the result was built. */
  #reparsed = false;

  /**
   * The chunks of `text`. `text` normally extends the previous one; any other text starts over.
   * `final`: the text is complete, so the last block is parsed in full.
   */
  update(text: string, final = false): readonly MarkdownChunk[] {
    if (!extendsText(text, this.#splitter.text)) this.#reset();
    const before = this.#last;
    const changed = this.#completeCount;
    this.#splitter.append(text);
    const starts = this.#splitter.starts;
    while (this.#completeCount < starts.length - 1) {
      const i = this.#completeCount;
      // A block whose paragraph was cut while it streamed: only what follows the cut is left to parse.
      const start = Math.max(starts[i] ?? 0, this.#from);
      const end = starts[i + 1] ?? text.length;
      const blockText = text.slice(start, end);
      const b = this.#block(start, blockText, true, this.#continues);
      this.#place(b);
      this.#completed(b, blockText);
      this.#completeCount += 1;
      this.#last = undefined;
      this.#from = end;
      this.#continues = undefined;
    }
    const start = Math.max(starts.at(-1) ?? 0, this.#from);
    const lastText = text.slice(start);
    this.#updateLast(start, lastText, final);
    // The end of the answer: its last block is complete, and its definitions (footnotes, say) count.
    if (final && this.#last !== before && this.#last?.complete === true) this.#completed(this.#last, lastText);
    this.#reparseStale(text.length, final);
    if (this.#last !== before || this.#completeCount !== changed || this.#reparsed) {
      this.#reparsed = false;
      this.#result = this.#build(lastText);
    }
    return this.#result;
  }

  /**
   * Takes in a block that can no longer change: its definitions, and the labels its text uses that
   * are not defined yet; and marks the complete blocks that use a label it defines to be parsed again.
   */
  #completed(b: MarkdownBlock, text: string): void {
    const added = this.#definitions.add(b.tree);
    const { missing } = this.#definitions.for(text);
    // A part of a table or quote cut while it streamed is parsed in its context (#block); such
    // parts are cut only where no reference can cross them (mayReferAcross).
    if (missing.size > 0 && b.continues === undefined && !b.joinsNext) this.#waiting.set(b.key, { text, missing });
    if (added.length === 0) return;
    for (const [key, waiting] of this.#waiting) {
      if (!added.some((label) => waiting.missing.has(label))) continue;
      for (const label of added) waiting.missing.delete(label);
      if (waiting.missing.size === 0) this.#waiting.delete(key);
      this.#stale.set(key, waiting.text);
    }
  }

  /**
   * Parses again the complete blocks that use a label defined since their parse: each once per
   * update however many of its labels were defined in it, and while the answer streams only within
   * REFERENCE_REPARSE_BUDGET; the rest when the answer is complete (`final`).
   */
  #reparseStale(answerLength: number, final: boolean): void {
    for (const [key, text] of this.#stale) {
      if (!final && this.#reparsedLength + text.length > REFERENCE_REPARSE_BUDGET * answerLength) return;
      this.#reparsedLength += text.length;
      this.#stale.delete(key);
      this.#replace(this.#block(key, text, true, undefined));
    }
  }

  /** Puts `b` in place of the complete block with its key, wherever it is (a chunk, a closed group, the open group). */
  #replace(b: MarkdownBlock): void {
    this.#reparsed = true;
    const swap = (group: MarkdownGroup): MarkdownGroup | undefined => {
      const i = group.blocks.findIndex((x) => x.key === b.key);
      if (i === -1) return undefined;
      const blocks = group.blocks.with(i, b);
      return groupOf(i === 0 ? headOf(b) : { ...group, marker: undefined }, blocks);
    };
    const open = this.#open;
    if (open !== undefined) {
      const i = open.blocks.findIndex((x) => x.key === b.key);
      if (i !== -1) {
        open.blocks[i] = b;
        if (i === 0) this.#open = { ...headOf(b), blocks: open.blocks };
        this.#openGroup = undefined;
        return;
      }
    }
    for (let g = 0; g < this.#closed.length; g += 1) {
      const swapped = swap(this.#closed[g] as MarkdownGroup);
      if (swapped !== undefined) {
        this.#closed[g] = swapped;
        return;
      }
    }
    for (let c = 0; c < this.#sealed.length; c += 1) {
      const chunk = this.#sealed[c] as MarkdownChunk;
      for (let g = 0; g < chunk.groups.length; g += 1) {
        const swapped = swap(chunk.groups[g] as MarkdownGroup);
        if (swapped !== undefined) {
          this.#sealed[c] = { key: chunk.key, groups: chunk.groups.with(g, swapped) };
          return;
        }
      }
    }
  }

  #updateLast(start: number, lastText: string, final: boolean): void {
    // A final parse sent elsewhere for other text (the answer went on: Continue) is not wanted now.
    if (this.#sentAway !== undefined && (this.#sentAway.start !== start || this.#sentAway.text !== lastText))
      this.#sentAway = undefined;
    const last = this.#last;
    if (last !== undefined && this.#lastParsed === lastText.length && last.complete === final) return;
    const known = this.#openFence.start === start ? this.#openFence.length : 0;
    const fence = final ? undefined : readFence(lastText, known);
    this.#openFence = { start, length: fence?.open === true ? lastText.length : 0 };
    if (fence !== undefined) {
      this.#last = blockOf(start, fence.tree, lastText, false, { definitions: this.#definitions.links });
      this.#lastParsed = lastText.length;
      return;
    }
    if (final && last !== undefined && this.#sendsAway(start, lastText)) {
      // Shown as it was (frozen, with its pending text) until the tree arrives.
      const pending = lastText.slice(this.#lastParsed);
      if (last.pending !== pending || !last.frozen)
        this.#last = { ...last, pending, frozen: true, pieces: this.#piecesOf(start, pending) };
      return;
    }
    const grown = lastText.length - this.#lastParsed;
    if (
      last === undefined ||
      final ||
      lastText.length <= REPARSE_ALWAYS_UP_TO ||
      (lastText.length <= LIVE_PARSE_UP_TO && this.#slowFrom !== start && grown * REPARSE_AFTER >= this.#lastParsed)
    ) {
      const began = this.#now();
      const cut = final || lastText.length <= PARAGRAPH_RUN ? undefined : this.#cut(lastText);
      if (cut !== undefined) {
        // The paragraph, table or quote so far up to the cut is complete; the rest is the last block now.
        const joinsNext = cut.next === undefined;
        const continues = this.#continues?.kind;
        this.#place(
          blockOf(start, cut.tree, lastText.slice(0, cut.at), true, {
            joinsNext,
            continues,
            definitions: this.#definitions.links,
          }),
        );
        this.#last = undefined;
        this.#from = start + cut.at;
        this.#continues = cut.next;
        this.#updateLast(this.#from, lastText.slice(cut.at), final);
        return;
      }
      this.#last = this.#block(start, lastText, final, this.#continues);
      this.#lastParsed = lastText.length;
      // Only a block no cut could shorten: over PARAGRAPH_RUN a cut is tried first; below it, one line
      // (every cut is at a line start).
      const uncuttable = lastText.length > PARAGRAPH_RUN || !lastText.includes('\n');
      if (!final && uncuttable && lastText.length > REPARSE_ALWAYS_UP_TO && this.#now() - began > LIVE_PARSE_BUDGET_MS)
        this.#slowFrom = start;
    } else {
      const pending = lastText.slice(this.#lastParsed);
      const frozen = this.#frozen(start, lastText);
      this.#last = { ...last, pending, frozen, pieces: frozen ? this.#piecesOf(start, pending) : [] };
    }
  }

  /**
   * The pieces of `pending`, the frozen last block's (at `start`): those of the last update but its
   * last piece, then the pieces from where that one began (the same as from 0: see `plainPieces`).
   */
  #piecesOf(start: number, pending: string): readonly PlainPiece[] {
    const kept = this.#pieces?.start === start && this.#pieces.parsed === this.#lastParsed ? this.#pieces.list : [];
    const last = kept.at(-1);
    const list = [...kept.slice(0, -1), ...plainPieces(pending, last === undefined ? 0 : last.key - last.text.length)];
    this.#pieces = { start, parsed: this.#lastParsed, list };
    return list;
  }

  /** Whether the last block (`text`, at `start`) is no longer parsed while it streams (see LIVE_PARSE_UP_TO). */
  #frozen(start: number, text: string): boolean {
    return text.length > LIVE_PARSE_UP_TO || this.#slowFrom === start;
  }

  /**
   * Whether the final parse of the last block (`text`, at `start`) runs elsewhere: it was not parsed
   * again while it streamed (frozen), and it does not go on a table cut earlier (whose rows are
   * parsed under its head). Sends it, once.
   */
  #sendsAway(start: number, text: string): boolean {
    const away = this.#away;
    if (away === undefined || !this.#frozen(start, text) || this.#continues !== undefined) return false;
    const sent = this.#sentAway;
    if (sent?.start === start && sent.text === text) return true;
    const request = { start, text, definitions: this.#definitions.for(text).lines };
    this.#sentAway = request;
    away.parse(request.text, request.definitions).then(
      (tree) => this.#arrived(request, tree),
      // Not parsed there (the worker could not start, say): parsed here after all.
      () => this.#arrived(request, parseBlock(request.text, request.definitions)),
    );
    return true;
  }

  /** The final tree of the last block, parsed elsewhere: unless the text changed since it was sent. */
  #arrived(request: { start: number; text: string }, tree: Root): void {
    if (this.#sentAway !== request) return;
    this.#sentAway = undefined;
    const { start, text } = request;
    this.#last = blockOf(start, tree, text, true, { definitions: this.#definitions.links });
    this.#lastParsed = text.length;
    this.#completed(this.#last, text);
    this.#reparseStale(this.#splitter.text.length, true);
    this.#reparsed = false;
    this.#result = this.#build(text);
    this.#away?.onChange();
  }

  /**
   * The block of `text` at `key`, parsed with the definitions of the labels it uses (see
   * answerDefinitions.ts): under its table's head when it continues a table cut earlier (`continued`:
   * `#continues` for the text from `#from`).
   */
  #block(key: number, text: string, complete: boolean, continued: Continued | undefined): MarkdownBlock {
    const { lines } = this.#definitions.for(text);
    const tree = continued?.kind === 'table' ? rowsUnder(continued.head, text, lines) : parseBlock(text, lines);
    return blockOf(key, tree, text, complete, {
      continues: continued?.kind,
      definitions: this.#definitions.links,
      own: !complete,
    });
  }

  /**
   * Where the growing last block can be cut (paragraphCut, tableCut, quoteCut), and what the part
   * after the cut goes on (`next`: undefined for a paragraph, whose parts are joined by `joinsNext`).
   */
  #cut(text: string): { at: number; tree: Root; next: Continued | undefined } | undefined {
    const continued = this.#continues;
    if (continued?.kind === 'table') {
      const cut = tableCut(text, (before) => rowsUnder(continued.head, before));
      return cut && { ...cut, next: continued };
    }
    if (continued?.kind === 'blockquote' || QUOTE.test(text)) {
      const cut = quoteCut(text);
      return cut && { ...cut, next: { kind: 'blockquote' } };
    }
    // A table's first line is its header row, which has a `|`; a paragraph's line may too, but a
    // paragraph with one is not cut anyway (see paragraphCut).
    if (/^[^\n]*\|/.test(text)) {
      const cut = tableCut(text, parseBlock);
      const start = cut?.tree.children[0]?.position?.start.offset;
      return cut && start !== undefined
        ? { ...cut, next: { kind: 'table', head: tableHeadOf(text, start) } }
        : undefined;
    }
    const cut = paragraphCut(text);
    return cut && { ...cut, next: undefined };
  }

  /** Adds a complete block to the open group, or closes that group and opens one with it. */
  #place(b: MarkdownBlock): void {
    this.#openGroup = undefined;
    const open = this.#open;
    if (open !== undefined && joins(open, b)) {
      open.blocks.push(b);
      return;
    }
    if (open !== undefined) this.#close(open);
    this.#open = { ...headOf(b), blocks: [b] };
  }

  #close(open: OpenGroup): void {
    this.#closed.push(groupOf(open, open.blocks));
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
      const joinsOpen = showLast && joins(open, last);
      tail.push(
        joinsOpen ? groupOf(open, [...open.blocks, last]) : (this.#openGroup ??= groupOf(open, [...open.blocks])),
      );
      if (showLast && !joinsOpen) tail.push(groupOf(headOf(last), [last]));
    } else if (showLast) {
      tail.push(groupOf(headOf(last), [last]));
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
    this.#slowFrom = -1;
    this.#sentAway = undefined;
    this.#pieces = undefined;
    this.#openFence = { start: -1, length: 0 };
    this.#result = [];
    this.#from = 0;
    this.#continues = undefined;
    this.#definitions = new AnswerDefinitions();
    this.#waiting = new Map();
    this.#stale = new Map();
    this.#reparsedLength = 0;
    this.#reparsed = false;
  }
}

/**
 * Where a final parse too long for one task runs (a worker), for MarkdownStream. `parse` gives the
 * tree parseBlock would give for the same text and definitions; `onChange` is called when a tree it
 * gave has been taken in.
 */
export interface ParseAway {
  parse(text: string, definitions: string): Promise<Root>;
  onChange(): void;
}

/** What a block cut while it streamed goes on in the next (see `MarkdownBlock.continues`). */
type Continued = { kind: 'table'; head: string } | { kind: 'blockquote' };

/** What decides which blocks a group takes (see `joins`). */
interface GroupHead {
  readonly list: List | undefined;
  readonly marker: string | undefined;
  readonly table: Table | undefined;
  readonly quote: Blockquote | undefined;
}

interface OpenGroup extends GroupHead {
  readonly blocks: MarkdownBlock[];
}

function headOf(b: MarkdownBlock): GroupHead {
  const only = b.tree.children.length === 1 ? b.tree.children[0] : undefined;
  return {
    list: b.listMarker !== undefined && only?.type === 'list' ? only : undefined,
    marker: b.listMarker,
    table: only?.type === 'table' && b.continues === undefined ? only : undefined,
    quote: only?.type === 'blockquote' && b.continues === undefined ? only : undefined,
  };
}

/** Whether `b` belongs in the group headed by `head`: the next item of its list, or more of its table or quote. */
function joins(head: GroupHead, b: MarkdownBlock): boolean {
  if (head.list !== undefined) return b.listMarker !== undefined && b.listMarker === head.marker;
  if (head.table !== undefined) return b.continues === 'table';
  return head.quote !== undefined && b.continues === 'blockquote';
}

/** A first line that, after a paragraph's line, can only go on with that paragraph: a letter first, no table cells. */
const PLAIN_LINE = /^ {0,3}\p{L}[^|\n]*$/u;
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
  return cutBefore(
    text,
    (line, at) => {
      const before = text.charCodeAt(at - 2);
      return before !== 32 && before !== 9 && before !== 92 && before !== 10 && before !== 13 && PLAIN_LINE.test(line);
    },
    parseBlock,
    (only) => only.type === 'paragraph' && !textHas(only, OPENERS),
  );
}

/**
 * The cut of `text` at the latest of its last few line starts (before a complete line) that `lineOk`
 * accepts, with the tree of the part before (`parse`), when `treeOk` accepts that tree's one node;
 * else undefined. Only that latest line start is parsed, so a try costs one parse at most, and the
 * part after is short.
 */
function cutBefore(
  text: string,
  lineOk: (line: string, at: number) => boolean,
  parse: (before: string) => Root,
  treeOk: (only: RootContent) => boolean,
): { at: number; tree: Root } | undefined {
  let end = text.lastIndexOf('\n');
  for (let tries = 0; tries < 8 && end > 0; tries += 1) {
    const at = text.lastIndexOf('\n', end - 1) + 1;
    if (at === 0) return undefined;
    const line = text.slice(at, end);
    end = at - 1;
    if (!lineOk(line, at)) continue;
    const tree = parse(text.slice(0, at));
    const only = tree.children.length === 1 ? tree.children[0] : undefined;
    return only !== undefined && treeOk(only) ? { at, tree } : undefined;
  }
  return undefined;
}

/**
 * A table row's line, where a table is cut: it begins with a pipe (after at most 3 spaces), so no other
 * block can begin there and the part after is rows. (Any line after a row would read the same parsed
 * under the head; cutting only before a row keeps every part a table with rows.)
 */
const ROW = /^ {0,3}\|/;

/**
 * Where a growing table can be cut, and its tree up to there: at the start of a complete line that
 * begins with `|`, such that the part before, parsed alone (`parse`), is that one table. After a
 * table's row, such a line is another row; a row is one line, read the same under its table's head
 * wherever it is (a cell's inline constructs end with the cell), so nothing later can change the
 * part before, and the part after, parsed under the head (`rowsUnder`), reads as in the whole. Tries
 * the last few line starts, the latest first; undefined when none qualifies.
 */
function tableCut(text: string, parse: (before: string) => Root): { at: number; tree: Root } | undefined {
  return cutBefore(
    text,
    (line) => ROW.test(line),
    parse,
    (only) => only.type === 'table' && !mayReferAcross(only),
  );
}

/** A block quote's line: `>` after at most 3 spaces. */
const QUOTE = /^ {0,3}>/;
/** A quoted blank line: nothing after the `>` but spaces and tabs. */
const QUOTED_BLANK = /^ {0,3}>[ \t]*$/;
/** A quoted line whose content starts with a letter right after the `>` and its optional space. */
const QUOTED_LETTER = /^ {0,3}> ?\p{L}/u;

/**
 * Where a growing block quote can be cut, and its tree up to there: at the start of a complete line
 * `> Letter…` after a quoted blank line (`>`), such that the part before, parsed alone, is that one
 * quote and its last child a paragraph. The blank line closed that paragraph, and a paragraph is the
 * only thing that was open (a fence, an HTML block or a list would be the last child instead), so
 * nothing later can change the part before; and the quote's content from the cut on starts afresh,
 * with a paragraph, as the part after parsed alone does. Tries the last few line starts, the latest
 * first; undefined when none qualifies.
 */
function quoteCut(text: string): { at: number; tree: Root } | undefined {
  return cutBefore(
    text,
    (line, at) => QUOTED_LETTER.test(line) && QUOTED_BLANK.test(text.slice(text.lastIndexOf('\n', at - 2) + 1, at - 1)),
    parseBlock,
    (only) => only.type === 'blockquote' && only.children.at(-1)?.type === 'paragraph' && !mayReferAcross(only),
  );
}

/**
 * What an unresolved reference leaves in the text: `[label]`, `[text][label]` and `[^note]` stay text
 * until a definition makes them links, and each leaves its closing bracket as text (a lone `[` cannot
 * pair with a later `]`: the part before ends with closed paragraphs or rows).
 */
const CLOSING_BRACKET = /]/;

/**
 * Whether the part before a cut holds a link definition, or text a definition may yet make a link
 * (a closing bracket left as text): a definition applies to the whole document, before it and after it, so
 * with the reference and the definition in different parts, the parts would not read as the whole.
 * (Across blocks, a block is parsed again when a label it uses is defined: see `#completed`. A part
 * of a table or quote is not, as it is parsed in its context; so such a part is not cut off.)
 */
function mayReferAcross(node: Nodes): boolean {
  return someNode(
    node,
    (n) =>
      n.type === 'definition' ||
      n.type === 'footnoteDefinition' ||
      (n.type === 'text' && CLOSING_BRACKET.test(n.value)),
  );
}

/** The header and delimiter rows of the table that begins at `start` of `text`, each with its line feed. */
function tableHeadOf(text: string, start: number): string {
  const headerEnd = text.indexOf('\n', start);
  return text.slice(start, text.indexOf('\n', headerEnd + 1) + 1);
}

/**
 * The tree of `text`, rows of a table, parsed under that table's head (`head`), without its header
 * row; `definitions` as parseBlock takes them.
 */
function rowsUnder(head: string, text: string, definitions = ''): Root {
  const tree = parseBlock(head + text, definitions);
  const table = tree.children[0];
  if (table?.type === 'table') table.children = table.children.slice(1);
  return tree;
}

/** Whether a text node under `node` has a character of `chars`. */
function textHas(node: Nodes, chars: RegExp): boolean {
  return someNode(node, (n) => n.type === 'text' && chars.test(n.value));
}

/** Whether `node` or a node under it satisfies `test` (without recursion). */
function someNode(node: Nodes, test: (n: Nodes) => boolean): boolean {
  const stack: Nodes[] = [node];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (test(n)) return true;
    if ('children' in n) for (const child of n.children) stack.push(child);
  }
  return false;
}

/** Every block of `chunks`, in order (for tests and for views that want them flat). */
export function blocksOf(chunks: readonly MarkdownChunk[]): MarkdownBlock[] {
  return chunks.flatMap((c) => c.groups.flatMap((g) => g.blocks));
}

function groupOf(head: GroupHead, blocks: readonly MarkdownBlock[]): MarkdownGroup {
  return { key: blocks[0]?.key ?? 0, list: head.list, table: head.table, quote: head.quote, blocks };
}

/**
 * `definitions`: the answer's (AnswerDefinitions.links). `own`: the block's own count too (a last
 * block while it grows, whose definitions are not the answer's yet).
 */
function blockOf(
  key: number,
  tree: Root,
  text: string,
  complete: boolean,
  {
    joinsNext = false,
    continues = undefined as MarkdownBlock['continues'],
    definitions,
    own = false,
  }: {
    joinsNext?: boolean;
    continues?: MarkdownBlock['continues'];
    definitions: ReadonlyMap<string, Definition>;
    own?: boolean;
  },
): MarkdownBlock {
  const only = tree.children.length === 1 ? tree.children[0] : undefined;
  const firstLine = only?.type === 'list' ? (/^[ \t]*\S.*$/m.exec(text)?.[0] ?? '') : '';
  return {
    key,
    tree,
    pending: '',
    frozen: false,
    pieces: [],
    complete,
    listMarker: only?.type === 'list' ? listMarker(firstLine) : undefined,
    definitions: own ? withOwn(definitions, tree) : definitions,
    joinsNext,
    continues,
  };
}

/**
 * The answer's link definitions and the tree's own (collected without recursion), the answer's first:
 * the first definition of a label wins, and the answer's come before the tree's. The answer's map
 * itself when the tree has none.
 */
function withOwn(answer: ReadonlyMap<string, Definition>, tree: Root): ReadonlyMap<string, Definition> {
  const own = new Map<string, Definition>();
  const stack: Nodes[] = [tree];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'definition' && !own.has(node.identifier)) own.set(node.identifier, node);
    // In document order: the first definition of a label wins.
    else if ('children' in node)
      for (let i = node.children.length - 1; i >= 0; i -= 1) stack.push(node.children[i] as Nodes);
  }
  return own.size === 0 ? answer : new Map([...own, ...answer]);
}
