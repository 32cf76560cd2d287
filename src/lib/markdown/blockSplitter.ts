/**
 * Splits a growing Markdown text into top-level blocks, reading each character once.
 *
 * Why: a streamed answer is re-rendered after every delta. Parsing all of it each time is quadratic,
 * so the view parses each block on its own: a block that is complete is parsed once, and only the
 * last block, still growing, is parsed again. That is only right if a block boundary, once found, can
 * never be undone by text that arrives later — so boundaries are drawn only where CommonMark closes
 * every open block for good:
 *
 *   a line that starts in column 0 (neither space nor tab) after one or more blank lines,
 *   outside a fenced code block;
 *   a line indented by 1 to 3 spaces after one or more blank lines, outside a fenced code block,
 *   in a block none of whose lines began a list item (models often start a paragraph with a space,
 *   and without this rule a whole answer of such paragraphs is one block, parsed and laid out again
 *   as it grows);
 *   in a block that began with a list item, a line in column 0 that begins another list item
 *   (outside a fenced code block): each top-level item is then a block of its own;
 *   in a block where no list item began, the line after a fence's closing line or after an ATX
 *   heading (indented by at most 3 spaces, as anywhere): both close themselves, and nothing after
 *   them can join them or change them, blank line or not. Without this, an answer of code blocks,
 *   headings and paragraphs with no blank line between them is one block, parsed again as it grows
 *   (and the parser itself takes more than linear time on a long run of fences).
 *
 * A blank line ends paragraphs, tables and block quotes; a line in column 0 cannot continue a list
 * item, an indented code block or a footnote (their content is indented). A line indented by 1 to 3
 * spaces can continue only a list item (whose content may start 2 to 5 columns in; a footnote's
 * continuation needs 4 spaces, an indented code block's 4 too), so it is a boundary wherever no list
 * item began in the block. Fences are the construct
 * that keeps blank lines inside, so they are tracked: an opener (up to 3 spaces, then ``` or ~~~) is
 * open until its closer. Items get blocks of their own because lists are the long blocks of model
 * answers and the slowest for the parser; a view shows consecutive one-list blocks with the same
 * marker as one list (`listMarker`), as CommonMark does. Where CommonMark would join the two sides
 * after all, the split shows as a seam: a multi-line HTML comment comes in pieces (HTML is shown as
 * text anyway), and a list is loose or tight per item. (A reference whose definition is in another
 * block is resolved by MarkdownStream, which parses a block with the definitions it uses: see
 * answerDefinitions.ts.)
 *
 * Known approximation: a fence opened inside a list item and never closed there is taken to run on
 * until a closing fence line; the block is then larger than needed, never cut inside a fence.
 *
 * The decision for a line needs only its first character, or its first non-space one (the list
 * rule: the whole line), so a boundary depends on the text up to it and nothing after: feeding a
 * text in any number of pieces gives the same blocks as feeding it at once
 * (tests/unit/lib/markdown/blockSplitter.test.ts checks this at every split point).
 */
import { extendsText } from '../text/extendsText.ts';

interface Fence {
  marker: '`' | '~';
  length: number;
}

export class BlockSplitter {
  #text = '';
  /** Start of each block; the last one is the block still growing. */
  readonly #starts: number[] = [0];
  /** Start of the line not yet classified as a whole (its end has not arrived). */
  #lineStart = 0;
  /** Whether the first character of the current line has been looked at. */
  #lineOpened = false;
  #fence: Fence | undefined;
  /** A blank line came after the last non-blank line (outside a fence). */
  #afterBlank = false;
  /** The current block has a non-blank line (leading blank lines do not make a block). */
  #blockHasText = false;
  /** The current block's first line is a list item. */
  #blockIsList = false;
  /** A line of the current block began a list item (an indented line may continue it). */
  #blockHasItem = false;
  /** The last line closed what it began (a fence's closer, an ATX heading) outside any list item. */
  #afterClosed = false;

  /** The text read so far. */
  get text(): string {
    return this.#text;
  }

  /** Start offsets of the blocks; every block but the last is complete and will never change. */
  get starts(): readonly number[] {
    return this.#starts;
  }

  /**
   * Reads `text`, which must extend the text read so far.
   * @throws {RangeError} when `text` does not start with the text read so far.
   */
  append(text: string): void {
    if (!extendsText(text, this.#text)) throw new RangeError('BlockSplitter.append: the text must only grow');
    const from = this.#text.length;
    this.#text = text;
    let p = from;
    while (p < text.length) {
      if (!this.#lineOpened) {
        // First character of a line, or its first after up to 3 spaces (once it arrives): the boundary test.
        let i = this.#lineStart;
        while (i < text.length && i - this.#lineStart < 4 && text.charCodeAt(i) === 32) i += 1;
        if (i === text.length) break;
        this.#lineOpened = true;
        const c = text.charCodeAt(i);
        // Four spaces in, the line is code or an item's content: no boundary.
        if (i - this.#lineStart < 4 && c !== 9 && c !== 10 && c !== 13) {
          if (i === this.#lineStart) this.#lineBeginsInColumnZero();
          else this.#lineBeginsIndented();
        }
      }
      const nl = text.indexOf('\n', Math.max(p, this.#lineStart));
      if (nl === -1) break;
      this.#closeLine(text.slice(this.#lineStart, nl));
      this.#lineStart = p = nl + 1;
      this.#lineOpened = false;
    }
  }

  #lineBeginsInColumnZero(): void {
    if (this.#fence === undefined && (this.#afterBlank || this.#afterClosed) && this.#blockHasText) this.#newBlock();
  }

  /** A line indented by 1 to 3 spaces (not blank). */
  #lineBeginsIndented(): void {
    if (!this.#blockHasItem) this.#lineBeginsInColumnZero();
  }

  #newBlock(): void {
    if (this.#lineStart > (this.#starts.at(-1) ?? 0)) this.#starts.push(this.#lineStart);
    this.#blockHasText = false;
    this.#blockHasItem = false;
  }

  /** Classifies a whole line (without its line feed). */
  #closeLine(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.#fence !== undefined) {
      if (isCloser(line, this.#fence)) {
        this.#fence = undefined;
        this.#afterClosed = !this.#blockHasItem;
      }
      return;
    }
    if (isBlank(line)) {
      this.#afterBlank = true;
      return;
    }
    const item = listMarker(line) !== undefined;
    if (item && this.#blockIsList && this.#blockHasText && !this.#afterBlank && /^[^ \t]/.test(line)) this.#newBlock();
    if (!this.#blockHasText) this.#blockIsList = item;
    if (item) this.#blockHasItem = true;
    this.#afterBlank = false;
    this.#blockHasText = true;
    this.#fence = opener(line);
    this.#afterClosed = !this.#blockHasItem && HEADING.test(line);
  }
}

const ITEM = /^ {0,3}([-+*]|\d{1,9}[.)])(?=[ \t]|$)/;

/**
 * The marker of a list item that begins `line` ("-", "*", "+", "." or ")" for ordered items), or
 * undefined. Lists with different markers are different lists in CommonMark.
 */
export function listMarker(line: string): string | undefined {
  const marker = ITEM.exec(line)?.[1];
  return marker === undefined || marker.length === 1 ? marker : marker.slice(-1);
}

/** Only spaces and tabs (CommonMark's blank line). */
function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i += 1) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** An ATX heading: up to 3 spaces, 1 to 6 `#`, then a space, a tab or the end of the line. */
const HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;

const OPENER = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const CLOSER = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/** A fence opener: up to 3 spaces, 3+ backticks or tildes; a backtick fence's info has no backtick. */
function opener(line: string): Fence | undefined {
  const m = OPENER.exec(line);
  const run = m?.[1];
  if (run === undefined) return undefined;
  const marker = run.startsWith('`') ? '`' : '~';
  if (marker === '`' && (m?.[2] ?? '').includes('`')) return undefined;
  return { marker, length: run.length };
}

/** A closer: the same character, at least as many, nothing after but spaces. */
function isCloser(line: string, fence: Fence): boolean {
  const run = CLOSER.exec(line)?.[1];
  return run !== undefined && run.startsWith(fence.marker) && run.length >= fence.length;
}
