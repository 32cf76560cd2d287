import { describe, expect, it } from 'vitest';
import { offsetOf, toUserPosition } from '../../../../src/functions/sandbox/syntaxPosition.ts';

describe('toUserPosition', () => {
  const code = 'const a = 1;\n  let b = (2;\nreturn a;';

  it("maps the wrapper's line back past its header line, keeping the column", () => {
    expect(toUserPosition(code, 3, 13)).toEqual({ line: 2, column: 13, atEnd: false });
    expect(toUserPosition(code, 2, 1)).toEqual({ line: 1, column: 1, atEnd: false });
    expect(offsetOf(code, { line: 2, column: 13 })).toBe(code.indexOf(';', 13));
  });

  it("puts an error in the wrapper's closing `})` at the end of the user's code", () => {
    const open = 'if (x) {\n  return 1;';
    expect(toUserPosition(open, 4, 2)).toEqual({ line: 2, column: 12, atEnd: true });
    expect(offsetOf(open, { line: 2, column: 12 })).toBe(open.length);
  });

  it('gives no position for the header line or for numbers that are not positions', () => {
    expect(toUserPosition(code, 1, 5)).toBeUndefined();
    expect(toUserPosition(code, 2.5, 1)).toBeUndefined();
    expect(toUserPosition(code, 3, 0)).toBeUndefined();
  });
});
