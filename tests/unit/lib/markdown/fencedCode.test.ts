/**
 * fencedCodeTree: wherever it builds a tree itself, the tree is the one the Markdown parser gives
 * (positions aside), for fences closed or still open, and it leaves every other text to the parser.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fencedCodeTree, readFence } from '../../../../src/lib/markdown/fencedCode.ts';
import { fastestTime } from '../../fastestTime.ts';
import { parserTree as parsed } from './parserTree.ts';

const piece = fc.constantFrom(
  '```',
  '````',
  '~~~',
  '``',
  '\n',
  '\n\n',
  ' ',
  '   ',
  '\t',
  'ts',
  'x = 1;',
  '`',
  '~',
  'a b',
  '# not a heading',
  '- not a list',
  '\r\n',
  '&amp;',
  '\\',
);

describe('fencedCodeTree', () => {
  it('gives the parser’s tree for every fence it builds, at every length of the text', () => {
    fc.assert(
      fc.property(fc.constantFrom('```', '````', '~~~'), fc.array(piece, { maxLength: 25 }), (fence, pieces) => {
        const text = fence + pieces.join('');
        for (let end = 1; end <= text.length; end += 1) {
          const prefix = text.slice(0, end);
          const tree = fencedCodeTree(prefix);
          if (tree !== undefined) expect(tree, JSON.stringify(prefix)).toEqual(parsed(prefix));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('reads a growing fence from where it was still open as it reads the whole text', () => {
    fc.assert(
      fc.property(fc.constantFrom('```', '~~~'), fc.array(piece, { maxLength: 25 }), (fence, pieces) => {
        const text = fence + pieces.join('');
        for (let cut = 1; cut <= text.length; cut += 1) {
          if (readFence(text.slice(0, cut))?.open !== true) continue;
          for (let end = cut; end <= text.length; end += 1)
            expect(readFence(text.slice(0, end), cut)).toEqual(readFence(text.slice(0, end)));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('builds the tree of what models write: closed, open, and cut inside its first line', () => {
    for (const text of ['```ts\nconst a = 1;\n```\n\n', '```py\nif x:\n    y()\n', '```', '```js', '~~~\na\n~~~']) {
      expect(fencedCodeTree(text), text).toEqual(parsed(text));
    }
  });

  it('leaves text after the fence, indented fences and other blocks to the parser', () => {
    for (const text of ['```\na\n```\nmore', '  ```\na', 'text\n```\na', '```a b\nx', '```\r\na']) {
      expect(fencedCodeTree(text), text).toBeUndefined();
    }
  });

  // A ratio of times in the same run: the tree of a long fence costs about what reading it costs.
  it('costs time linear in the fence, however many lines look like closers', { retry: 2 }, () => {
    const code = (n: number) => `\`\`\`ts\n${'let s = "```x";\n````` no\n'.repeat(n / 25)}`;
    const small = code(20_000);
    const large = code(80_000);
    const ratio =
      fastestTime(() => fencedCodeTree(large), 5) /
      Math.max(
        fastestTime(() => fencedCodeTree(small), 5),
        0.05,
      );
    expect(ratio).toBeLessThan(8);
  });
});
