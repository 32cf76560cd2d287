/**
 * micromark merges its constructs with the extensions once (combineExtensionsOnce.ts, handed to it by
 * scripts/micromarkConstructsOnce.ts, which vite.config.ts applies to these tests as to the build).
 */
import { describe, expect, it } from 'vitest';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { combineExtensions as original } from 'micromark-util-combine-extensions';
import { gfm } from 'micromark-extension-gfm';
import { combineExtensions } from '../../../../src/lib/markdown/combineExtensionsOnce.ts';
import { parseBlock } from '../../../../src/lib/markdown/parseBlock.ts';

/** A syntax extension that counts how often a merge reads it. */
function countedExtension(): { extension: Parameters<typeof original>[0][number]; reads: () => number } {
  let reads = 0;
  const extension = {};
  Object.defineProperty(extension, 'text', {
    enumerable: true,
    get: () => {
      reads += 1;
      return {};
    },
  });
  return { extension, reads: () => reads };
}

describe('combineExtensions, remembered', () => {
  it('merges the same extension objects once, into what the original merges', () => {
    const a = gfm();
    const b = countedExtension().extension;
    const combined = combineExtensions([a, b]);
    expect(combineExtensions([a, b])).toBe(combined);
    expect(combined).toEqual(original([a, b]));
  });

  it('merges other lists apart: other objects, another order, fewer', () => {
    const a = gfm();
    const b = countedExtension().extension;
    const ab = combineExtensions([a, b]);
    expect(combineExtensions([b, a])).not.toBe(ab);
    expect(combineExtensions([a])).not.toBe(ab);
    expect(combineExtensions([a, countedExtension().extension])).not.toBe(ab);
    expect(combineExtensions([])).toEqual(original([]));
  });

  it('is what micromark parses with: two parses merge the extensions once', () => {
    const counted = countedExtension();
    const options = { extensions: [counted.extension] };
    fromMarkdown('one', options);
    fromMarkdown('two', options);
    // Without the build's redirect micromark merges on every parse: 2.
    expect(counted.reads()).toBe(1);
  });

  it('keeps what one parse learns out of the next: definitions and footnotes', () => {
    expect(parseBlock('[a]: https://example.com\n\n[^1]: A note.').children.map((n) => n.type)).toEqual([
      'definition',
      'footnoteDefinition',
    ]);
    const [paragraph] = parseBlock('See [a] and [^1].').children;
    expect(paragraph).toEqual(expect.objectContaining({ type: 'paragraph' }));
    const kinds = paragraph && 'children' in paragraph ? paragraph.children.map((n) => n.type) : [];
    expect(kinds).toEqual(['text']);
  });
});
