/**
 * The syntax tree of a block that is plain prose, built without the Markdown parser: a paragraph, a
 * one-line list item, or an ATX heading (`## Title`) whose text is plain.
 *
 * Why: micromark and mdast cost about 0.2 ms a parse whatever the length, before reading anything.
 * An answer with calls shows the prose between them as separate parts, each parsed on its own: 200
 * calls' worth took 80 ms of parsing when the conversation was opened again (`npm run bench:stream`,
 * reopen). Most of those parts, and many paragraphs of any answer, hold no Markdown at all. List
 * items and headings are the other small blocks answers are full of (the splitter gives each
 * top-level item a block of its own), so they pay that cost many times over.
 *
 * "Plain" is kept narrow enough that no construct can start, so the tree is one paragraph with the
 * text as it is: letters, digits, spaces and common punctuation, but no `*_~\`[]<>|\\&#@` (emphasis,
 * code, links, HTML, tables, escapes, references, headings, e-mail autolinks), no `www.` or `://`
 * (GFM's literal autolinks), every line starting with a letter (no list, quote, fence, heading or
 * setext underline can begin) and ending in no space (no hard break), no blank line and no tab. A list
 * item or heading is one line: its marker (`-`, `*`, `+`, 1–9 digits and `.` or `)`; 1–6 `#`), one
 * space, and plain text on that line.
 * tests/unit/lib/markdown/plainBlock.test.ts checks that the tree equals the parser's wherever this
 * answers; for anything else it answers undefined and the parser reads the text.
 */
import type { Root, RootContent } from 'mdast';

const PLAIN_CHARACTERS = /^[\p{L}\p{N} \n,.;:?!'"()%/+=-]+$/u;
const LITERAL_AUTOLINK = /www\.|:\/\//i;
/** A line that starts with anything but a letter, or ends with a space (a hard break or its start). */
const UNSAFE_LINE = /(?:^|\n)(?!\p{L})| (?:\n|$)/u;
/** A list item's marker and the one space after it; an ordered one's number. */
const LIST_ITEM = /^(?:[-*+]|(\d{1,9})[.)]) /;
/** A heading's marker and the one space after it. */
const HEADING = /^(#{1,6}) /;

/** Whether `text` is plain prose (see above). */
function plain(text: string): boolean {
  return PLAIN_CHARACTERS.test(text) && !LITERAL_AUTOLINK.test(text) && !UNSAFE_LINE.test(text);
}

/**
 * The tree of `text` when it is plain prose, a plain one-line list item or a plain heading (see
 * above), line feeds before and after it allowed; undefined when the parser must read it.
 */
export function plainBlockTree(text: string): Root | undefined {
  const block = text.replace(/^\n+/, '').replace(/\n+$/, '');
  const node = plainParagraph(block) ?? plainListItem(block) ?? plainHeading(block);
  return node && { type: 'root', children: [node] };
}

function plainParagraph(text: string): RootContent | undefined {
  return plain(text) ? { type: 'paragraph', children: [{ type: 'text', value: text }] } : undefined;
}

/** The marker `marker` finds at the start of `text`, and the one line of plain text after it; else undefined. */
function markedLine(marker: RegExp, text: string): { marker: RegExpExecArray; content: string } | undefined {
  const found = marker.exec(text);
  const content = found && text.slice(found[0].length);
  return found && content && !content.includes('\n') && plain(content) ? { marker: found, content } : undefined;
}

function plainListItem(text: string): RootContent | undefined {
  const item = markedLine(LIST_ITEM, text);
  if (item === undefined) return undefined;
  const number = item.marker[1];
  return {
    type: 'list',
    ordered: number !== undefined,
    start: number !== undefined ? Number(number) : null,
    spread: false,
    children: [
      {
        type: 'listItem',
        spread: false,
        checked: null,
        children: [{ type: 'paragraph', children: [{ type: 'text', value: item.content }] }],
      },
    ],
  };
}

function plainHeading(text: string): RootContent | undefined {
  const heading = markedLine(HEADING, text);
  const hashes = heading?.marker[1];
  if (heading === undefined || hashes === undefined) return undefined;
  return {
    type: 'heading',
    depth: hashes.length as 1 | 2 | 3 | 4 | 5 | 6,
    children: [{ type: 'text', value: heading.content }],
  };
}
