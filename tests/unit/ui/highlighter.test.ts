/**
 * The highlighter fetches each grammar when a block in its language first appears: it must know every
 * name a grammar answers to before loading it, and highlight only once the grammar is there.
 */
import hljs from 'highlight.js/lib/core';
import type { LanguageFn } from 'highlight.js';
import { describe, expect, it } from 'vitest';
import { GRAMMAR_OF, highlight, prepare } from '../../../src/ui/components/markdown/highlighter.ts';

describe('highlighter', () => {
  it('knows every name and alias its grammars declare, and no other', async () => {
    const names = [...new Set(GRAMMAR_OF.values())].sort();
    expect(names).toHaveLength(16);
    for (const name of names) {
      const { default: grammar } = (await import(`../../../node_modules/highlight.js/es/languages/${name}.js`)) as {
        default: LanguageFn;
      };
      const declared = [name, ...(grammar(hljs).aliases ?? [])].sort();
      const ours = [...GRAMMAR_OF]
        .filter(([, of]) => of === name)
        .map(([alias]) => alias)
        .sort();
      expect(ours, name).toEqual(declared);
    }
  });

  it('highlights a language once its grammar is prepared, by name or alias', async () => {
    expect(highlight('fn main() {}', 'rs')).toBeUndefined();
    await prepare('rs');
    const tokens = highlight('fn main() {}', 'rs')?.children;
    expect(JSON.stringify(tokens)).toContain('hljs-keyword');
    expect(highlight('fn main() {}', 'rust')?.children).toEqual(tokens);
  });

  it('leaves a language it has no grammar for plain, and guesses one only with every grammar there', async () => {
    await prepare('klingon');
    expect(highlight('x', 'klingon')).toBeUndefined();
    await prepare('__proto__');
    expect(highlight('x', '__proto__')).toBeUndefined();
    await prepare(undefined);
    expect(JSON.stringify(highlight('def greet(name):\n    return f"hi {name}"\n', undefined))).toContain(
      'hljs-keyword',
    );
  });
});
