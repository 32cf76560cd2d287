/**
 * linearAttentionExtension: micromark with it gives the very trees (positions included) micromark
 * gives with its own emphasis resolver, on random text dense in `*`, `_`, `~` and what they interact
 * with (escapes, code spans, links, line breaks, quotes, lists); and it parses dense emphasis in time
 * linear in its length, where micromark's own was quadratic.
 */
import fc from 'fast-check';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { linearAttentionExtension } from '../../../../src/lib/markdown/linearAttention.ts';
import { parseBlock } from '../../../../src/lib/markdown/parseBlock.ts';

const own = { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] };
const linear = { extensions: [gfm(), linearAttentionExtension], mdastExtensions: [gfmFromMarkdown()] };

/** Mostly markers, with the characters that decide whether they open or close, and the constructs around them. */
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('*', '**', '***', '_', '__', '~') },
  { weight: 4, arbitrary: fc.constantFrom('a', 'word', 'é', '1', ' ', '.', '!', '(') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('\n', '\\', '`', '[', ']', '](u)', '"', '> ', '- ', '[^n]', '~~', '\n\n', '<b>'),
  },
);
// `size: 'max'`: fast-check's default size keeps arrays to about ten pieces, too few for the
// partly used runs that catch a wrong search bound.
const text = fc.array(piece, { maxLength: 30, size: 'max' }).map((pieces) => pieces.join(''));

describe('linearAttentionExtension', () => {
  it('gives the same tree as micromark’s own resolver, positions included, for any text', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(fromMarkdown(t, linear)).toEqual(fromMarkdown(t, own));
      }),
      { numRuns: 3_000 },
    );
  });

  it('gives the same trees for nested, partly used and rule-of-three runs', () => {
    for (const t of [
      '***strong emph***',
      '*a **b** c*',
      '**a *b* c**',
      '*a **b* c**',
      '__a_b_c__ _a__b__c_',
      '*foo**bar**baz*',
      '*foo**bar*',
      'foo***bar***baz ****a****',
      '**_*.b!]\n""*  _é`]`]1*`>~_ (b[*b`*(*!é[',
      '!__1]~[[_*. _\n(.~_.)]a(_ !.].`_]]',
      '[*a](u) *b [c*](u) ~~*d*~~',
    ])
      expect(fromMarkdown(t, linear), t).toEqual(fromMarkdown(t, own));
  });

  // A ratio of times in the same run: a run disturbed by other work on the machine is tried again.
  it('parses dense emphasis in time linear in its length', { timeout: 120_000, retry: 2 }, () => {
    const best = (t: string) => {
      let ms = Infinity;
      for (let i = 0; i < 3; i += 1) {
        const started = performance.now();
        parseBlock(t);
        ms = Math.min(ms, performance.now() - started);
      }
      return ms;
    };
    // Through parseBlock, so this also checks that it parses with the extension. Openers that never
    // close, 8× as many: micromark's own took 30× as long or more (each closer walked back over
    // them all, each pair spliced the whole list); with the extension, 8–12× (the garbage collector
    // makes a larger parse cost a little more than its share).
    best('**a'.repeat(500)); // warm up
    const small = best('**a'.repeat(1_000));
    const large = best('**a'.repeat(8_000));
    expect(large / small).toBeLessThan(18);
  });
});
