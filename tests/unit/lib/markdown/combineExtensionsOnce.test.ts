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
import { micromarkConstructsOnce } from '../../../../scripts/micromarkConstructsOnce.ts';

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

  describe('the build step that hands it to micromark', () => {
    const parseModule = '/app/node_modules/micromark/lib/parse.js';
    type Hook = (this: unknown, ...args: unknown[]) => unknown;
    const hook = (plugin: ReturnType<typeof micromarkConstructsOnce>, name: 'resolveId' | 'buildEnd'): Hook =>
      plugin[name] as unknown as Hook;
    const context = (ids: string[]) => ({
      getModuleIds: () => ids[Symbol.iterator](),
      error: (message: string) => {
        throw new Error(message);
      },
    });

    it("redirects the import in micromark's parse module only", () => {
      const plugin = micromarkConstructsOnce();
      const resolveId = hook(plugin, 'resolveId');
      expect(resolveId.call({}, 'micromark-util-combine-extensions', parseModule)).toMatch(
        /combineExtensionsOnce\.ts$/,
      );
      expect(
        resolveId.call({}, 'micromark-util-combine-extensions', '/app/node_modules/micromark/lib/compile.js'),
      ).toBe(null);
      expect(
        resolveId.call({}, 'micromark-util-combine-extensions', '/app/src/lib/markdown/combineExtensionsOnce.ts'),
      ).toBe(null);
    });

    it("fails a build that has micromark's parse module but redirected nothing", () => {
      const plugin = micromarkConstructsOnce();
      expect(() => hook(plugin, 'buildEnd').call(context([parseModule]))).toThrow(/no longer imports/);
      hook(plugin, 'resolveId').call({}, 'micromark-util-combine-extensions', parseModule);
      expect(() => hook(plugin, 'buildEnd').call(context([parseModule]))).not.toThrow();
      expect(() => hook(micromarkConstructsOnce(), 'buildEnd').call(context(['/app/src/main.ts']))).not.toThrow();
    });
  });
});
