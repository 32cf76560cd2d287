/**
 * The syntax tree of a block that is one fenced code block, built without the Markdown parser.
 *
 * Why: a long code listing is one block that grows for as long as the model writes it, and the view
 * shows the block's tree after every update. micromark reads about 1 KB per millisecond, so parsing
 * a 16k-token listing again and again is quadratic, and even once it is a task far over 50 ms. The
 * tree of a fence is simple — its language and its text — so this finds the opener, looks for a
 * closing fence with native string search, and slices the text: no per-character work in
 * JavaScript. It covers what models write (a fence in column 0, a plain language name, no carriage
 * returns or NUL characters) and answers undefined for anything else, which parseBlock then parses as
 * usual: tests/unit/lib/markdown/fencedCode.test.ts checks that the tree equals the parser's wherever
 * it answers.
 */
import type { Root } from 'mdast';

/** First line: 3+ backticks or tildes in column 0, then a language name made of plain characters. */
const OPENER = /^(`{3,}|~{3,})[ \t]*([\w+.#-]*)[ \t]*(?:\n|$)/;

/**
 * The tree of `text` when it is exactly one fenced code block (closed or still open) followed by
 * nothing but blank lines; undefined when it is anything else or a case left to the parser.
 */
export function fencedCodeTree(text: string): Root | undefined {
  return readFence(text)?.tree;
}

/**
 * fencedCodeTree for a growing text, with whether the fence is still open.
 * @param openUpTo a length at which this text was read as a fence still open (0 if not known): the
 *   text before it is not read again, so a long listing costs each update what it added.
 */
export function readFence(text: string, openUpTo = 0): { tree: Root; open: boolean } | undefined {
  const open = OPENER.exec(text.slice(0, 256));
  const run = open?.[1];
  if (open === null || run === undefined) return undefined;
  // The line went on past the part searched: not a plain opener.
  if (!open[0].endsWith('\n') && open[0].length !== text.length) return undefined;
  // The opener line may be the whole text so far (its line feed has not arrived).
  const contentStart = open[0].endsWith('\n') ? open[0].length : text.length;
  const known = openUpTo > contentStart && openUpTo <= text.length ? openUpTo : 0;
  if (text.indexOf('\r', known) !== -1 || text.indexOf('\0', known) !== -1) return undefined;
  const lang = open[2] === undefined || open[2] === '' ? null : open[2];
  // The line that was still arriving at `known` may have become a closer since.
  const from = known === 0 ? contentStart : Math.max(contentStart, text.lastIndexOf('\n', known - 1) + 1);
  const closer = findCloser(text, from, run);
  let value: string;
  if (closer === undefined) {
    // Still open: the fence runs to the end (its last line feed is not part of the code).
    value = text.slice(contentStart);
    if (value.endsWith('\n')) value = value.slice(0, -1);
  } else {
    if (text.slice(closer.end).trim() !== '') return undefined;
    value = closer.start > contentStart ? text.slice(contentStart, closer.start - 1) : '';
  }
  return { tree: { type: 'root', children: [{ type: 'code', lang, meta: null, value }] }, open: closer === undefined };
}

/**
 * The first line after `from` that closes a fence opened by `run`: up to 3 spaces, at least as many
 * of the same character, then only spaces or tabs. Found by searching for line feeds followed by the
 * fence character, so only candidate lines are looked at.
 */
function findCloser(text: string, from: number, run: string): { start: number; end: number } | undefined {
  const char = run.charAt(0);
  const probe = char.repeat(3);
  const closer = new RegExp(`^ {0,3}${char === '`' ? '`' : '~'}{${run.length},}[ \\t]*$`);
  let best: { start: number; end: number } | undefined;
  for (let indent = 0; indent <= 3; indent += 1) {
    const needle = `${' '.repeat(indent)}${probe}`;
    // A closer on the first content line has no line feed before it.
    let at = text.startsWith(needle, from) ? from : lineStartOf(text, `\n${needle}`, from);
    while (at !== -1 && (best === undefined || at < best.start)) {
      const nl = text.indexOf('\n', at);
      const end = nl === -1 ? text.length : nl;
      if (closer.test(text.slice(at, end))) {
        best = { start: at, end };
        break;
      }
      at = lineStartOf(text, `\n${needle}`, end);
    }
  }
  return best;
}

/** Where the line after the next `\n` + … match starts, from `from` on; -1 when there is none. */
function lineStartOf(text: string, needle: string, from: number): number {
  const i = text.indexOf(needle, Math.max(0, from - 1));
  return i === -1 ? -1 : i + 1;
}
