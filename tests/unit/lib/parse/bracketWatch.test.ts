/** BracketWatch sees a value end exactly where scanBalanced ends it, however the text arrives. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BracketWatch } from '../../../../src/lib/parse/bracketWatch.ts';
import { scanBalanced } from '../../../../src/lib/parse/scanBalanced.ts';

/** Whether scanBalanced, on the text so far, ends the value at 0 within it (closed, or at a fence). */
const endsWithin = (text: string): boolean => {
  const scan = scanBalanced(text, 0);
  return scan.closed || scan.end < text.length;
};

const chars = ['{', '}', '[', ']', '"', "'", '\\', '/', '*', '\n', '`', '```', 'a', ' ', ':', ','];

describe('BracketWatch', () => {
  it('has seen the value end by each point exactly when scanBalanced ends it before that point', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('{', '['),
        fc.array(fc.constantFrom(...chars), { maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 60 }),
        (open, rest, steps) => {
          const text = open + rest.join('');
          const watch = new BracketWatch(0);
          let ended = false;
          let end = 0;
          for (let i = 0; end < text.length; i += 1) {
            end = Math.min(text.length, end + (steps[i % steps.length] ?? 1));
            const soFar = text.slice(0, end);
            ended = watch.read(soFar) || ended;
            expect(ended, JSON.stringify(soFar)).toBe(endsWithin(soFar));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('goes on past a closed value and sees the next one close', () => {
    const watch = new BracketWatch(0);
    expect(watch.read('{"a": "}"}')).toBe(true);
    expect(watch.read('{"a": "}"}\n{"b": [1, ')).toBe(false);
    expect(watch.read('{"a": "}"}\n{"b": [1, 2]')).toBe(false);
    expect(watch.read('{"a": "}"}\n{"b": [1, 2]}')).toBe(true);
  });

  it('reads an apostrophe as scanBalanced does: a single quote that meets a line end opened no string', () => {
    const watch = new BracketWatch(0);
    expect(watch.read("{note: it's }")).toBe(false);
    expect(watch.read("{note: it's }\n")).toBe(true);
  });

  it('counts parentheses as brackets when asked (a pythonic call), not in strings', () => {
    const watch = new BracketWatch(0, { parens: true });
    expect(watch.read('get_weather(city=")", days=[1]')).toBe(false);
    expect(watch.read('get_weather(city=")", days=[1])')).toBe(true);
    expect(new BracketWatch(0).read('{"a": (1)')).toBe(false);
  });

  it('with `outside`, sees any character but a space outside every value', () => {
    const watch = new BracketWatch(0, { outside: true });
    expect(watch.read('{"a": "x y"')).toBe(true); // the `{` itself
    expect(watch.read('{"a": "x y", "b": [1, 2]')).toBe(false);
    expect(watch.read('{"a": "x y", "b": [1, 2]}\n  ')).toBe(true); // it closed
    expect(watch.read('{"a": "x y", "b": [1, 2]}\n  \n')).toBe(false);
    expect(watch.read('{"a": "x y", "b": [1, 2]}\n  \nDone')).toBe(true);
  });
});
