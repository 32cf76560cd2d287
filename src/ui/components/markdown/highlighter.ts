/**
 * Syntax highlighting as tokens (a hast tree of spans and text), never HTML: HastNodes.svelte renders
 * it as elements. This module is its own chunk, imported only when a code block is on screen, so
 * the highlighter and its grammars cost the first screen nothing. A small set of common
 * grammars (each registers its own aliases: js, ts, py, sh, html, yml…).
 */
import type { Root } from 'hast';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { createLowlight } from 'lowlight';

const lowlight = createLowlight({
  bash,
  c,
  cpp,
  css,
  diff,
  go,
  java,
  javascript,
  json,
  markdown,
  python,
  rust,
  sql,
  typescript,
  xml,
  yaml,
});

/*
 * Highlighting is one task on the main thread at about 1 ms per KB per grammar, so longer code is
 * left plain rather than stalling the page for over 50 ms (a grammar cannot resume where an earlier
 * piece stopped, so it cannot be split). Guessing the language runs every grammar, hence its lower limit.
 */
const LIMIT = 30_000;
const AUTO_LIMIT = 2_000;

/**
 * Compiles `lang`'s grammar (highlight.js compiles one on its first use) by highlighting a line, so
 * that a code block still streaming has its grammar ready when it is complete: compiling and
 * highlighting in one task took up to 70 ms at the first block (bench:stream --profile).
 */
export function prepare(lang: string | null | undefined): void {
  if (lang && lowlight.registered(lang)) lowlight.highlight(lang, 'x = 1');
}

/**
 * Tokens of `code` in `lang`; without a language, in the grammar that fits best. Undefined when the
 * language is unknown (the code stays plain text).
 */
export function highlight(code: string, lang: string | null | undefined): Root | undefined {
  if (code.length > LIMIT) return undefined;
  if (lang) return lowlight.registered(lang) ? lowlight.highlight(lang, code) : undefined;
  return code.length <= AUTO_LIMIT ? lowlight.highlightAuto(code) : undefined;
}
