/**
 * tool_choice `none` as a grammar (issue 12 §6): the prompt keeps its function list, so it extends
 * the previous request and web-llm can reuse its KV cache, and the grammar forbids what would open a
 * call instead.
 *
 * - Tagged syntaxes (`<tool_call>`, ```` ```json ````, `[TOOL_CALLS]`, `<|tool_call>`…): any text that
 *   never contains the opening. xgrammar 0.1.27 has no "any text except" element, so the grammar is
 *   the automaton that matches the openings (Aho–Corasick), with every state that completes one left
 *   out: each rule is a state, each character either advances it or falls back.
 * - Bare syntaxes, whose whole answer is the call (Llama 3.1 JSON, pythonic, Trelis, Mistral v0.3's
 *   list): prose that does not start with the call's first character, as their `auto` grammars
 *   already allow (one leading space for the sentencepiece formats, see rawCallConstraint.ts).
 * Whatever a model writes anyway is still not run: the agent loop does not dispatch calls under
 * `none` (runAgent.ts), so formats that cannot be constrained are safe too.
 */
import type { ResponseFormat } from '../types/generation.ts';
import type { ToolCallSyntax } from './buildToolConstraint.ts';
import { ebnfLiteral } from './ebnf.ts';

/** The text that opens a call, per tagged syntax; bare syntaxes have a first character instead. */
const OPENINGS: Partial<Record<ToolCallSyntax, readonly string[]>> = {
  hermes: ['<tool_call>'],
  'json-fenced': ['```json'],
  'qwen-xml': ['<tool_call>', '<function='],
  gemma4: ['<|tool_call>'],
  'mistral-v13': ['[TOOL_CALLS]'],
  phi4: ['<|tool_call|>'],
  smollm2: ['<tool_call>'],
};

/** Prose grammars of the bare syntaxes: the answer may not start like a call. */
const BARE: Partial<Record<ToolCallSyntax, string>> = {
  'llama3-json': 'root ::= ([^{ \\t\\r\\n] [^]*)?',
  pythonic: 'root ::= ([^[ \\t\\r\\n] [^]*)?',
  'trelis-v2': 'root ::= (" "? [^{ \\t\\r\\n] [^]*)?',
  'trelis-v3': 'root ::= (" "? [^{ \\t\\r\\n] [^]*)?',
  'mistral-v3': 'root ::= (" "? [^\\[ \\t\\r\\n] [^]*)?',
};

/** A character inside an EBNF class `[^…]`. */
function classChar(ch: string): string {
  return /[\]\\^-]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * EBNF for any text that contains none of `forbidden` (non-empty strings). States are the prefixes
 * of the openings read so far; the empty text and every text that stops part-way are allowed.
 */
export function textWithout(forbidden: readonly string[]): string {
  const prefixes = new Set<string>(['']);
  for (const word of forbidden) for (let i = 1; i < word.length; i++) prefixes.add(word.slice(0, i));
  const states = [...prefixes];
  const alphabet = [...new Set(forbidden.join(''))];
  // The longest suffix of `text` that is a state: where the automaton is after reading `text`.
  const stateOf = (text: string): string | undefined => {
    if (forbidden.some((w) => text.endsWith(w))) return undefined;
    for (let i = 0; i <= text.length; i++) {
      const suffix = text.slice(i);
      if (prefixes.has(suffix)) return suffix;
    }
    return '';
  };
  const name = (state: string) => `s${states.indexOf(state)}`;
  const other = `[^${alphabet.map(classChar).join('')}]`;
  const rules = states.map((state) => {
    const branches = ['""', `${other} s0`];
    for (const ch of alphabet) {
      const next = stateOf(state + ch);
      if (next !== undefined) branches.push(`${ebnfLiteral(ch)} ${name(next)}`);
    }
    return `${name(state)} ::= ${branches.join(' | ')}`;
  });
  return ['root ::= s0', ...rules].join('\n');
}

/** The response_format that lets the model answer in prose but not open a call of `syntax`. */
export function noCallFormat(syntax: ToolCallSyntax): ResponseFormat {
  const bare = BARE[syntax];
  if (bare !== undefined) return { type: 'grammar', grammar: bare };
  return { type: 'grammar', grammar: textWithout(OPENINGS[syntax] ?? []) };
}

/** What the inspector says the grammar forbids. */
export function noCallDescription(syntax: ToolCallSyntax): string {
  const openings = OPENINGS[syntax];
  if (openings) return `no ${openings.join(' or ')} may be written`;
  return 'the answer may not start like a call';
}
