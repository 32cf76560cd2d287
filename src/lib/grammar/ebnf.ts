/**
 * Helpers for the EBNF grammars the grammar builders write for xgrammar (pythonicGrammar.ts,
 * gemmaGrammar.ts): quoting fixed text, and numbering the rules a schema walk creates.
 */

/** An EBNF string literal: JSON's escapes are the ones xgrammar reads. */
export function ebnfLiteral(text: string): string {
  return JSON.stringify(text);
}

/** Rules created while walking a schema, each with a unique name (`prefix_N`). */
export class RuleSet {
  readonly rules: string[] = [];
  #count = 0;
  add(prefix: string, body: string): string {
    const name = `${prefix}_${this.#count++}`;
    this.rules.push(`${name} ::= ${body}`);
    return name;
  }
}
