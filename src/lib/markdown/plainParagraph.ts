/**
 * The syntax tree of a block that is plain prose, built without the Markdown parser.
 *
 * Why: micromark and mdast cost about 0.2 ms a parse whatever the length, before reading anything.
 * An answer with calls shows the prose between them as separate parts, each parsed on its own: 200
 * calls' worth took 80 ms of parsing when the conversation was opened again (`npm run bench:stream`,
 * reopen). Most of those parts, and many paragraphs of any answer, hold no Markdown at all.
 *
 * "Plain" is kept narrow enough that no construct can start, so the tree is one paragraph with the
 * text as it is: letters, digits, spaces and common punctuation, but no `*_~\`[]<>|\\&#@` (emphasis,
 * code, links, HTML, tables, escapes, references, headings, e-mail autolinks), no `www.` or `://`
 * (GFM's literal autolinks), every line starting with a letter (no list, quote, fence, heading or
 * setext underline can begin) and ending in no space (no hard break), no blank line and no tab.
 * tests/unit/lib/markdown/plainParagraph.test.ts checks that the tree equals the parser's wherever
 * this answers; for anything else it answers undefined and the parser reads the text.
 */
import type { Root } from 'mdast';

const PLAIN_CHARACTERS = /^[\p{L}\p{N} \n,.;:?!'"()%/+=-]+$/u;
const LITERAL_AUTOLINK = /www\.|:\/\//i;
/** A line that starts with anything but a letter, or ends with a space (a hard break or its start). */
const UNSAFE_LINE = /(?:^|\n)(?!\p{L})| (?:\n|$)/u;

/**
 * The tree of `text` when it is plain prose (see above), line feeds before and after it allowed;
 * undefined when the parser must read it.
 */
export function plainParagraphTree(text: string): Root | undefined {
  const prose = text.replace(/^\n+/, '').replace(/\n+$/, '');
  if (!PLAIN_CHARACTERS.test(prose) || LITERAL_AUTOLINK.test(prose) || UNSAFE_LINE.test(prose)) return undefined;
  return { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', value: prose }] }] };
}
