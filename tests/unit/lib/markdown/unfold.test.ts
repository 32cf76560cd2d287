/**
 * nextPrefixEnd and nextSliceSize: the slices a finished answer is parsed in, one per task; olderStart:
 * the batches of older messages a conversation opened is shown in; plainPieces: the plain rest shown
 * meanwhile.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_SLICE,
  MIN_SLICE,
  nextPrefixEnd,
  nextSliceSize,
  olderStart,
  PIECE,
  TARGET_TASK_MS,
  plainPieces,
} from '../../../../src/lib/markdown/unfold.ts';

describe('nextPrefixEnd', () => {
  it('ends at the text’s end when the slice reaches it', () => {
    expect(nextPrefixEnd('one\ntwo\n', 0, 100)).toBe(8);
    expect(nextPrefixEnd('one\ntwo', 4, 3)).toBe(7);
  });

  it('ends just after the last line break inside the slice', () => {
    const text = 'line one\nline two\nline three\n';
    expect(nextPrefixEnd(text, 0, 20)).toBe('line one\nline two\n'.length);
    expect(nextPrefixEnd(text, 9, 12)).toBe('line one\nline two\n'.length);
  });

  it('cuts inside a line only when the slice holds no line break', () => {
    expect(nextPrefixEnd('x'.repeat(50), 0, 20)).toBe(20);
    expect(nextPrefixEnd(`a\n${'x'.repeat(50)}`, 2, 20)).toBe(22);
  });

  it('covers any text in steps that always advance, each at most a slice long', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', '\n', '#', '`') }),
        fc.integer({ min: 1, max: 40 }),
        (text, slice) => {
          let end = 0;
          for (let steps = 0; end < text.length; steps += 1) {
            const next = nextPrefixEnd(text, end, slice);
            expect(next).toBeGreaterThan(end);
            expect(next - end).toBeLessThanOrEqual(slice);
            // A prefix that is not the whole text ends a line, unless its slice had no line break.
            if (next < text.length && text.slice(end, end + slice).includes('\n')) expect(text[next - 1]).toBe('\n');
            end = next;
            expect(steps).toBeLessThan(text.length + 1);
          }
          expect(end).toBe(text.length);
        },
      ),
    );
  });
});

describe('nextSliceSize', () => {
  it('sizes the next slice to take the target time at the rate the last one went', () => {
    expect(nextSliceSize(4_000, TARGET_TASK_MS * 2)).toBe(2_000);
    expect(nextSliceSize(4_000, TARGET_TASK_MS)).toBe(4_000);
    expect(nextSliceSize(3_000, TARGET_TASK_MS / 1.5)).toBe(4_500);
  });

  it('at most doubles after a fast slice, and stays within its bounds', () => {
    expect(nextSliceSize(4_000, 0.1)).toBe(8_000);
    expect(nextSliceSize(4_000, 0)).toBe(8_000);
    expect(nextSliceSize(MAX_SLICE, 0.1)).toBe(MAX_SLICE);
    expect(nextSliceSize(1_000, 500)).toBe(MIN_SLICE);
  });
});

describe('olderStart', () => {
  it('takes the items just before `from` while their sizes fit the budget, at least one', () => {
    expect(olderStart([100, 100, 100, 100], 4, 250)).toBe(2);
    expect(olderStart([100, 100, 100, 100], 2, 250)).toBe(0);
    expect(olderStart([100, 5_000, 100], 3, 250)).toBe(2);
    expect(olderStart([100, 5_000, 100], 2, 250)).toBe(1);
    expect(olderStart([100, 100], 0, 250)).toBe(0);
  });

  it('reaches the first item in batches that each show at least one more item', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 3_000 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 5_000 }),
        (sizes, budget) => {
          let from = sizes.length;
          while (from > 0) {
            const start = olderStart(sizes, from, budget);
            expect(start).toBeLessThan(from);
            const batch = sizes.slice(start, from);
            if (batch.length > 1) expect(batch.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(budget);
            from = start;
          }
        },
      ),
    );
  });
});

describe('plainPieces', () => {
  const lines = (count: number, length: number) =>
    Array.from({ length: count }, (_, i) => String(i).padEnd(length, 'x')).join('\n');
  /** The text the pieces show, read back: a line break between two pieces where the text had one. */
  const shown = (text: string, pieces: { key: number; text: string }[]) =>
    pieces.map((p) => p.text + (text[p.key] === '\n' ? '\n' : '')).join('');

  it('shows the whole rest, cut at line breaks near each multiple of PIECE', () => {
    const text = lines(300, 99); // 100 characters a line with its break
    const pieces = plainPieces(text, 0);
    expect(pieces.map((p) => p.text).join('\n')).toBe(text);
    expect(pieces).toHaveLength(Math.ceil(text.length / PIECE));
    // Each piece but the last ends at the first line break at or after a multiple of PIECE.
    for (const [i, piece] of pieces.slice(0, -1).entries()) expect(piece.key).toBe(text.indexOf('\n', (i + 1) * PIECE));
    expect(pieces.at(-1)?.key).toBe(text.length);
  });

  it('keeps every piece but the first the same as the rest shrinks', () => {
    const text = lines(300, 99);
    const before = plainPieces(text, 0);
    const after = plainPieces(text, 5_000);
    expect(after[0]?.text).toBe(text.slice(5_000, after[0]?.key));
    expect(after.slice(1)).toEqual(before.slice(2));
  });

  it('cuts a line without breaks after a space, or inside a word with no space, never inside a surrogate pair', () => {
    const words = 'word '.repeat(3 * PIECE);
    const pieces = plainPieces(words, 0);
    expect(pieces.length).toBeGreaterThan(10);
    for (const piece of pieces.slice(0, -1)) {
      expect(piece.text.endsWith(' ')).toBe(true);
      expect(piece.text.length).toBeLessThan(2 * PIECE);
    }
    expect(shown(words, pieces)).toBe(words);

    const unbroken = 'x'.repeat(3 * PIECE);
    expect(plainPieces(unbroken, 10).map((p) => p.key)).toEqual([2 * PIECE - 1, 3 * PIECE - 1, 3 * PIECE]);
    const emoji = 'x'.repeat(2 * PIECE - 2) + '🙂'.repeat(PIECE);
    const cut = plainPieces(emoji, 0);
    expect(cut[0]?.key).toBe(2 * PIECE - 2);
    expect(shown(emoji, cut)).toBe(emoji);
    expect(plainPieces(unbroken, unbroken.length)).toEqual([]);
  });

  it('keeps its pieces as the text grows: only the last one changes', () => {
    const text = 'word '.repeat(2 * PIECE) + 'a\nb '.repeat(PIECE);
    let before = plainPieces(text.slice(0, 100), 0);
    for (let length = 100; length <= text.length; length += 997) {
      const now = plainPieces(text.slice(0, length), 0);
      expect(now.slice(0, before.length - 1)).toEqual(before.slice(0, -1));
      before = now;
    }
  });

  it('for any text and any two places, shows the rest exactly, with the later pieces shared', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'a', 'a', ' ', '\n', '\n\n'), maxLength: 6 * PIECE }),
        fc.nat(),
        fc.nat(),
        (text, a, b) => {
          const [early, late] = [a % (text.length + 1), b % (text.length + 1)].sort((x, y) => x - y) as [
            number,
            number,
          ];
          const first = plainPieces(text, early);
          const second = plainPieces(text, late);
          expect(shown(text, first)).toBe(text.slice(early));
          expect(shown(text, second)).toBe(text.slice(late));
          // Keys rise, and a piece after the first has the same text wherever the rest began.
          for (let i = 1; i < second.length; i++) expect(second[i]?.key).toBeGreaterThan(second[i - 1]?.key ?? -1);
          const byKey = new Map(first.map((p) => [p.key, p.text]));
          for (const piece of second.slice(1)) expect(byKey.get(piece.key)).toBe(piece.text);
          // And the pieces of a shorter text are those of the whole, but for its last one.
          const grown = plainPieces(text.slice(0, late), early);
          expect(grown.slice(0, -1)).toEqual(first.slice(0, grown.length - 1));
        },
      ),
      { numRuns: 300 },
    );
  });
});
