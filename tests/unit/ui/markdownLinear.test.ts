/**
 * parseInline reads exactly what its old single regex read (the specification in markdown.ts), and
 * in linear time: a pathological line costs a bounded multiple of plain prose of the same length,
 * measured in the same run (a ratio, never an absolute time, so a slow machine does not fail it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInline, type Inline } from '../../../src/ui/components/chat/markdown.ts';
import { fastestTime } from '../fastestTime.ts';

const REGEX =
  /`([^`\n]+)`|(?<![\w*])\*\*(?=\S)([^\n]+?)(?<=\S)\*\*(?![\w*])|(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])/g;

function byRegex(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(REGEX)) {
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    if (m[1] !== undefined) out.push({ kind: 'code', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'strong', text: m[2] });
    else out.push({ kind: 'em', text: m[3] ?? '' });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** Fastest of `runs` calls, in ms. */
function time(fn: () => unknown, runs = 5): number {
  return fastestTime(fn, runs);
}

describe('parseInline', () => {
  it('reads every text as the regex does', () => {
    const piece = fc.constantFrom('*', '**', '`', 'a', 'b2', ' ', '\n', '_', '.', '\u00a0', 'x*y');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(parseInline(text)).toEqual(byRegex(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('is linear on a line of unclosed markers', () => {
    const n = 64_000;
    // Prose with closed markers: the same kind of work, each marker read once.
    const prose = 'The **quick** brown *fox* jumps. '.repeat(n / 33);
    parseInline(prose); // warm-up
    const base = Math.max(
      time(() => parseInline(prose)),
      0.5,
    );
    for (const unit of ['**a ', '*a ', '`a ', '***a** ']) {
      const line = unit.repeat(n / unit.length);
      expect(time(() => parseInline(line)) / base, unit).toBeLessThan(20);
    }
  });
});
