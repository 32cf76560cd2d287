import { describe, expect, it } from 'vitest';
import { calculateExpression } from '../../../../src/functions/calculator/evaluateExpression.ts';
import { CalculatorError } from '../../../../src/functions/calculator/CalculatorError.ts';
import { parseExpression } from '../../../../src/functions/calculator/parseExpression.ts';
import { createCalculate } from '../../../../src/functions/calculator/calculate.ts';

function errorOf(source: string): CalculatorError {
  try {
    calculateExpression(source);
  } catch (error) {
    if (error instanceof CalculatorError) return error;
    throw error;
  }
  throw new Error(`expected ${source} to fail`);
}

describe('calculateExpression', () => {
  it.each([
    ['23 × 19', 437],
    ['23 x 19', 437],
    ['23x19', 437],
    ['23 * 19', 437],
    ['(2)x(3)', 6],
    ['84 ÷ 4', 21],
    ['10 − 4', 6],
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['64 / 4 / 2', 8],
    ['2 ^ 3 ^ 2', 512],
    ['2 ** 3 ** 2', 512],
    ['-2 ^ 2', -4],
    ['(-2) ^ 2', 4],
    ['2 ^ -1', 0.5],
    ['--3', 3],
    ['+4', 4],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['2 * -3', -6],
    ['1.5e3 + .5', 1500.5],
    ['2E-2', 0.02],
    ['0.1 + 0.2', 0.3],
    ['0.1 * 3', 0.3],
    ['1 / 3', 0.333333333333333],
    ['sqrt(16)', 4],
    ['SQRT(2) ^ 2', 2],
    ['abs(-3.5)', 3.5],
    ['round(2.5)', 3],
    ['round(-2.5)', -3],
    ['round(3.14159, 2)', 3.14],
    ['floor(-1.5) + ceil(1.2)', 0],
    ['sin(0) + cos(0)', 1],
    ['sin(pi)', 0],
    ['tan(pi / 4)', 1],
    ['cos(pi / 2)', 0],
    ['sin(1e-20)', 1e-20],
    ['log(1000)', 3],
    ['log(8, 2)', 3],
    ['ln(e)', 1],
    ['exp(0)', 1],
    ['min(3, 1, 2) + max(4, 9)', 10],
    ['2pi', 2 * Math.PI],
    ['2(3 + 4)', 14],
    ['(1 + 1)(2 + 2)', 8],
    ['3 sqrt(4)', 6],
    ['1 - 1', 0],
    ['-0', 0],
  ])('%s = %d', (source, expected) => {
    expect(calculateExpression(source)).toBe(Number(expected.toPrecision(15)));
  });

  it('never returns -0', () => {
    expect(Object.is(calculateExpression('-0 * 5'), 0)).toBe(true);
  });

  it.each([
    ['(1 + 2))', "Unexpected ')' at 8"],
    ['1 +', 'Unexpected end of expression at 4'],
    ['(1 + 2', "Missing ')' for the '(' opened at 1"],
    ['2 3', "Unexpected '3' at 3"],
    ['4 $ 2', "Unexpected character '$' at 3"],
    ['*3', "Unexpected '*' at 1"],
    ['', 'The expression is empty'],
    ['   ', 'The expression is empty'],
    ['max(1,)', "Unexpected ')' at 7"],
    ['1 / 0', 'Division by zero at 3'],
    ['5 % (2 - 2)', 'Modulo by zero at 3'],
    ['0 ^ -1', 'Division by zero (0 to a negative power) at 3'],
    ['sqrt(-4)', 'sqrt of a negative number (-4) is not a real number at 1'],
    ['log(0)', 'The logarithm of 0 is undefined (it needs a positive number) at 1'],
    ['(-8) ^ (1/3)', '-8^0.3333333333333333 is not a real number at 6'],
    ['foo(2)', "Unknown function 'foo'"],
    ['y + 1', "Unknown name 'y'"],
    ['sqrt', 'sqrt needs parentheses, like sqrt(2) at 1'],
    ['sqrt(1, 2)', 'sqrt takes 1 argument, got 2 at 1'],
    ['round(1, 2, 3)', 'round takes 1 or 2 arguments, got 3 at 1'],
    ['asin(2)', 'asin(2) has no real value at 1'],
    ['10 ^ 400', 'The result is too large to represent'],
  ])('%j fails with %j', (source, message) => {
    expect(errorOf(source).message).toContain(message);
  });

  it('reports the 1-based column as data', () => {
    expect(errorOf('1 + (2 * 3))').column).toBe(12);
  });
});

describe('parseExpression', () => {
  it('builds a right-associative power below unary minus', () => {
    expect(parseExpression('-2^3^2')).toMatchObject({
      kind: 'negate',
      operand: {
        kind: 'binary',
        op: '^',
        left: { value: 2 },
        right: { kind: 'binary', op: '^', left: { value: 3 }, right: { value: 2 } },
      },
    });
  });

  it('never evaluates code: JavaScript syntax is rejected, not run', () => {
    expect(() => parseExpression('alert(1); 2')).toThrow(CalculatorError);
    expect(() => calculateExpression('constructor.constructor("return 1")()')).toThrow(CalculatorError);
    expect(() => calculateExpression('__proto__')).toThrow("Unknown name '__proto__'");
    expect(() => calculateExpression('toString(1)')).toThrow("Unknown function 'tostring'");
  });
});

describe('calculate function', () => {
  const fn = createCalculate();
  const signal = new AbortController().signal;

  it('returns the expression and its result', async () => {
    await expect(fn.handler({ expression: '23 × 19' }, { signal })).resolves.toEqual({
      expression: '23 × 19',
      result: 437,
    });
  });

  it('requires an expression', async () => {
    await expect(fn.handler({}, { signal })).rejects.toThrow('"expression" is required');
  });

  it('reports a bad expression as a failed call', async () => {
    await expect(fn.handler({ expression: '2 +' }, { signal })).rejects.toThrow(CalculatorError);
  });
});
