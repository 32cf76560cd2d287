/**
 * Evaluates a parsed expression with ordinary real arithmetic. Angles are in radians; `log` is base 10
 * (or `log(x, base)`), `ln` is natural. Anything without a real, finite value is an error rather than
 * NaN or Infinity, so the model gets a reason instead of a strange number.
 */
import { CalculatorError } from './CalculatorError.ts';
import { parseExpression, type Expression } from './parseExpression.ts';
import type { Operator } from './tokenize.ts';

// Maps, not object literals: a name like `__proto__` or `constructor` must not find Object.prototype.
const CONSTANTS = new Map<string, number>([
  ['pi', Math.PI],
  ['e', Math.E],
  ['tau', 2 * Math.PI],
]);

interface MathFunction {
  /** Allowed argument counts [min, max]. */
  arity: [number, number];
  apply(args: number[], column: number): number;
}

const one = (f: (x: number) => number): MathFunction => ({ arity: [1, 1], apply: ([x = NaN]) => f(x) });

/**
 * sin(pi) is 1.2e-16 in floating point because pi is not exact; people expect 0. A result this small
 * compared with its (not tiny) input is rounding noise, so it becomes 0.
 */
const trig = (f: (x: number) => number): MathFunction =>
  one((x) => {
    const value = f(x);
    return Math.abs(x) >= 1e-6 && Math.abs(value) < 1e-14 * Math.max(1, Math.abs(x)) ? 0 : value;
  });

const FUNCTIONS = new Map<string, MathFunction>(
  Object.entries({
    sqrt: {
      arity: [1, 1],
      apply: ([x = NaN], column) => {
        if (x < 0) throw new CalculatorError(`sqrt of a negative number (${x}) is not a real number`, column);
        return Math.sqrt(x);
      },
    },
    cbrt: one(Math.cbrt),
    abs: one(Math.abs),
    floor: one(Math.floor),
    ceil: one(Math.ceil),
    trunc: one(Math.trunc),
    round: {
      arity: [1, 2],
      apply: ([x = NaN, digits = 0]) => {
        const factor = 10 ** Math.trunc(digits);
        // Math.round rounds -2.5 to -2; round half away from zero, as people expect.
        return (Math.sign(x) * Math.round(Math.abs(x) * factor)) / factor;
      },
    },
    sin: trig(Math.sin),
    cos: trig(Math.cos),
    tan: trig(Math.tan),
    asin: one(Math.asin),
    acos: one(Math.acos),
    atan: one(Math.atan),
    exp: one(Math.exp),
    ln: { arity: [1, 1], apply: ([x = NaN], column) => logarithm(x, Math.E, column) },
    log: { arity: [1, 2], apply: ([x = NaN, base = 10], column) => logarithm(x, base, column) },
    log10: { arity: [1, 1], apply: ([x = NaN], column) => logarithm(x, 10, column) },
    log2: { arity: [1, 1], apply: ([x = NaN], column) => logarithm(x, 2, column) },
    min: { arity: [1, Infinity], apply: (args) => Math.min(...args) },
    max: { arity: [1, Infinity], apply: (args) => Math.max(...args) },
  } satisfies Record<string, MathFunction>),
);

/** Names the calculator knows, for its description and error messages. */
export const KNOWN_FUNCTIONS = [...FUNCTIONS.keys()];
export const KNOWN_CONSTANTS = [...CONSTANTS.keys()];

/**
 * Parses and evaluates `source`; the result is rounded to 15 significant digits so binary noise
 * disappears (0.1 + 0.2 gives 0.3).
 * @throws CalculatorError for syntax errors, unknown names, division by zero and non-real results.
 */
export function calculateExpression(source: string): number {
  const value = evaluate(parseExpression(source));
  if (!Number.isFinite(value)) throw new CalculatorError('The result is too large to represent');
  const rounded = Number(value.toPrecision(15));
  return rounded === 0 ? 0 : rounded; // no -0
}

export function evaluate(node: Expression): number {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'name': {
      const value = CONSTANTS.get(node.name);
      if (value !== undefined) return value;
      if (FUNCTIONS.has(node.name))
        throw new CalculatorError(`${node.name} needs parentheses, like ${node.name}(2)`, node.column);
      throw new CalculatorError(`Unknown name '${node.name}' (constants: ${KNOWN_CONSTANTS.join(', ')})`, node.column);
    }
    case 'negate':
      return -evaluate(node.operand);
    case 'call':
      return call(node.name, node.args.map(evaluate), node.column);
    case 'binary':
      return binary(node.op, evaluate(node.left), evaluate(node.right), node.column);
  }
}

function call(name: string, args: number[], column: number): number {
  const fn = FUNCTIONS.get(name);
  if (!fn) throw new CalculatorError(`Unknown function '${name}' (known: ${KNOWN_FUNCTIONS.join(', ')})`, column);
  const [min, max] = fn.arity;
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} or ${max}`;
    throw new CalculatorError(
      `${name} takes ${expected} argument${expected === '1' ? '' : 's'}, got ${args.length}`,
      column,
    );
  }
  const value = fn.apply(args, column);
  if (Number.isNaN(value)) throw new CalculatorError(`${name}(${args.join(', ')}) has no real value`, column);
  return value;
}

function binary(op: Operator, a: number, b: number, column: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new CalculatorError('Division by zero', column);
      return a / b;
    case '%':
      if (b === 0) throw new CalculatorError('Modulo by zero', column);
      return a % b;
    case '^': {
      const value = a ** b;
      if (Number.isNaN(value)) throw new CalculatorError(`${a}^${b} is not a real number`, column);
      if (a === 0 && b < 0) throw new CalculatorError('Division by zero (0 to a negative power)', column);
      return value;
    }
  }
}

function logarithm(x: number, base: number, column: number): number {
  if (x <= 0) throw new CalculatorError(`The logarithm of ${x} is undefined (it needs a positive number)`, column);
  if (base <= 0 || base === 1)
    throw new CalculatorError(`A logarithm base must be positive and not 1, got ${base}`, column);
  if (base === Math.E) return Math.log(x);
  if (base === 10) return Math.log10(x);
  if (base === 2) return Math.log2(x);
  return Math.log(x) / Math.log(base);
}
