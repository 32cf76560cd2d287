import { CalculatorError } from './CalculatorError.ts';

export type Token =
  | { type: 'number'; value: number; text: string; start: number }
  | { type: 'name'; value: string; text: string; start: number }
  | { type: 'op'; value: Operator; text: string; start: number }
  | { type: 'paren'; value: '(' | ')'; text: string; start: number }
  | { type: 'comma'; text: string; start: number };

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export type Operator = '+' | '-' | '*' | '/' | '%' | '^';

/** Typographic operators people and models write, mapped to the ASCII ones. */
const SYMBOLS: Record<string, Operator> = {
  '+': '+',
  '-': '-',
  '\u2212': '-', // − minus sign
  '\u2013': '-', // – en dash
  '*': '*',
  '\u00d7': '*', // ×
  '\u00b7': '*', // ·
  '\u22c5': '*', // ⋅ dot operator
  '/': '/',
  '\u00f7': '/', // ÷
  '%': '%',
  '^': '^',
};

/**
 * Splits an expression into tokens. `**` becomes `^`. A lone `x` right after a value (`23 x 19`,
 * `3x4`, `(2)x(3)`) is multiplication: there are no variables, so that reading is unambiguous.
 * @throws CalculatorError naming the first character it cannot read.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const rest = source.slice(i);
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ type: 'number', value: Number(number[0]), text: number[0], start: i });
      i += number[0].length;
      continue;
    }
    if (ch === 'x' && endsValue(tokens.at(-1)) && !/^x[A-Za-z_]/.test(rest)) {
      tokens.push({ type: 'op', value: '*', text: 'x', start: i });
      i += 1;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ type: 'name', value: name[0].toLowerCase(), text: name[0], start: i });
      i += name[0].length;
      continue;
    }
    if (rest.startsWith('**')) {
      tokens.push({ type: 'op', value: '^', text: '**', start: i });
      i += 2;
      continue;
    }
    const op = Object.hasOwn(SYMBOLS, ch) ? SYMBOLS[ch] : undefined;
    if (op) {
      tokens.push({ type: 'op', value: op, text: ch, start: i });
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: 'paren', value: ch, text: ch, start: i });
    } else if (ch === ',') {
      tokens.push({ type: 'comma', text: ch, start: i });
    } else {
      throw new CalculatorError(`Unexpected character '${ch}'`, i + 1);
    }
    i += 1;
  }
  return tokens;
}

function endsValue(token: Token | undefined): boolean {
  if (!token) return false;
  return token.type === 'number' || token.type === 'name' || (token.type === 'paren' && token.value === ')');
}
