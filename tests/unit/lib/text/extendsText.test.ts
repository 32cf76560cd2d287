import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extendsText } from '../../../../src/lib/text/extendsText.ts';

describe('extendsText', () => {
  const long = 'The weather in Paris is mild today, and tomorrow it may rain a little. '.repeat(20);

  it('takes a text that goes on from the previous one, short or long', () => {
    expect(extendsText('abc', '')).toBe(true);
    expect(extendsText('abcdef', 'abc')).toBe(true);
    expect(extendsText(long + 'More.', long)).toBe(true);
    expect(extendsText(long, long)).toBe(true);
  });

  it('refuses a shorter text, a short text that differs anywhere, and a long one that differs at either end', () => {
    expect(extendsText(long.slice(0, -1), long)).toBe(false);
    expect(extendsText('abXdef', 'abc')).toBe(false);
    // The same text with its start changed (a reasoning block taken out, say), then grown.
    expect(extendsText(`X${long.slice(1)} more`, long)).toBe(false);
    // Another answer of the same length or longer.
    expect(extendsText(`Another answer. ${long}`, long)).toBe(false);
    // A prose part cut back where a call was recognised, then grown past the old length.
    const cut = `${long.slice(0, -20)}{"name": "get_time"} and then some more text`;
    expect(extendsText(cut, long)).toBe(false);
  });

  it('agrees with startsWith for every text grown from, or differing at an end of, the previous one', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200, size: 'max' }),
        fc.string({ maxLength: 50 }),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 1 }),
        (previous, more, at, c) => {
          expect(extendsText(previous + more, previous)).toBe(true);
          // One character changed among the first or the last 32 of `previous`.
          if (previous.length === 0) return;
          const i =
            previous.length <= 64 ? at % previous.length : at % 2 === 0 ? at % 32 : previous.length - 1 - (at % 32);
          const changed = previous.slice(0, i) + c + previous.slice(i + 1) + more;
          expect(extendsText(changed, previous)).toBe(changed.startsWith(previous));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
