/**
 * Syntax highlighting as tokens (a hast tree of spans and text), never HTML: tokenElements.ts builds
 * it as elements. This module is its own chunk, imported only when a code block is on screen, so
 * the highlighter costs the first screen nothing; and each grammar is a chunk of its own, fetched and
 * registered when a block in its language first appears. Evaluating all sixteen with the highlighter
 * was one task of 50–80 ms in the middle of the first answer with code (bench:stream --profile).
 */
import type { Root } from 'hast';
import type { LanguageFn } from 'highlight.js';
import { createLowlight } from 'lowlight';
import { loadOnce } from '../../../lib/async/loadOnce.ts';
import { nextTask } from '../../../lib/async/nextTask.ts';

/** A small set of common grammars, each fetched on first use. */
const GRAMMARS: Record<string, () => Promise<{ default: LanguageFn }>> = {
  bash: () => import('highlight.js/lib/languages/bash'),
  c: () => import('highlight.js/lib/languages/c'),
  cpp: () => import('highlight.js/lib/languages/cpp'),
  css: () => import('highlight.js/lib/languages/css'),
  diff: () => import('highlight.js/lib/languages/diff'),
  go: () => import('highlight.js/lib/languages/go'),
  java: () => import('highlight.js/lib/languages/java'),
  javascript: () => import('highlight.js/lib/languages/javascript'),
  json: () => import('highlight.js/lib/languages/json'),
  markdown: () => import('highlight.js/lib/languages/markdown'),
  python: () => import('highlight.js/lib/languages/python'),
  rust: () => import('highlight.js/lib/languages/rust'),
  sql: () => import('highlight.js/lib/languages/sql'),
  typescript: () => import('highlight.js/lib/languages/typescript'),
  xml: () => import('highlight.js/lib/languages/xml'),
  yaml: () => import('highlight.js/lib/languages/yaml'),
};

/**
 * The grammar of each name a block may give, before its grammar is loaded: the grammars' own names
 * and the aliases each declares (tests/unit/ui/highlighter.test.ts checks this against them).
 */
export const GRAMMAR_OF: ReadonlyMap<string, string> = new Map(
  Object.entries({
    bash: ['sh', 'zsh'],
    c: ['h'],
    cpp: ['cc', 'c++', 'h++', 'hpp', 'hh', 'hxx', 'cxx'],
    css: [],
    diff: ['patch'],
    go: ['golang'],
    java: ['jsp'],
    javascript: ['js', 'jsx', 'mjs', 'cjs'],
    json: ['jsonc', 'json5'],
    markdown: ['md', 'mkdown', 'mkd'],
    python: ['py', 'gyp', 'ipython'],
    rust: ['rs'],
    sql: [],
    typescript: ['ts', 'tsx', 'mts', 'cts'],
    xml: ['html', 'xhtml', 'rss', 'atom', 'xjb', 'xsd', 'xsl', 'plist', 'wsf', 'svg'],
    yaml: ['yml'],
  }).flatMap(([name, aliases]) => [name, ...aliases].map((alias) => [alias, name])),
);

const lowlight = createLowlight();

/**
 * Per grammar: fetch it, register it, then (in a task of its own) compile it by highlighting a line —
 * highlight.js compiles a grammar on its first use — so the block's highlighting, when it is
 * complete, is not one long task with all of that in it.
 */
const grammarReady = new Map<string, () => Promise<void>>(
  Object.entries(GRAMMARS).map(([name, load]) => [
    name,
    loadOnce(async () => {
      const { default: grammar } = await load();
      lowlight.register({ [name]: grammar });
      await nextTask();
      lowlight.highlight(name, 'x = 1');
    }),
  ]),
);

/**
 * Makes `lang` ready to highlight: its grammar, or every grammar when there is no language (guessing
 * runs them all). Resolves at once for a language none of them is for.
 */
export async function prepare(lang: string | null | undefined): Promise<void> {
  const names = lang ? [GRAMMAR_OF.get(lang)].filter((name) => name !== undefined) : Object.keys(GRAMMARS);
  for (const name of names) await grammarReady.get(name)?.();
}

/*
 * Highlighting is one task on the main thread at about 1 ms per KB per grammar, so longer code is
 * left plain rather than stalling the page for over 50 ms (a grammar cannot resume where an earlier
 * piece stopped, so it cannot be split). Guessing the language runs every grammar, hence its lower limit.
 */
const LIMIT = 30_000;
const AUTO_LIMIT = 2_000;

/**
 * Tokens of `code` in `lang`; without a language, in the grammar that fits best. Undefined when the
 * language is unknown or not prepared (`prepare`): the code stays plain text.
 */
export function highlight(code: string, lang: string | null | undefined): Root | undefined {
  if (code.length > LIMIT) return undefined;
  if (lang) return lowlight.registered(lang) ? lowlight.highlight(lang, code) : undefined;
  return code.length <= AUTO_LIMIT ? lowlight.highlightAuto(code) : undefined;
}
