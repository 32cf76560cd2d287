/**
 * A small recursive-descent parser for arithmetic: no eval, no Function, no variables.
 *
 * Grammar (lowest precedence first):
 *   expression := term (('+' | '-') term)*
 *   term       := unary (('*' | '/' | '%') unary | <implicit> power)*   implicit: 2pi, 2(3), (1)(2)
 *   unary      := ('-' | '+') unary | power                              so -2^2 = -(2^2)
 *   power      := primary ('^' unary)?                                   right-associative: 2^3^2 = 2^9
 *   primary    := number | name | name '(' expression (',' expression)* ')' | '(' expression ')'
 * Positions in errors are 1-based columns of the source text.
 */
import { CalculatorError } from './CalculatorError.ts';
import { tokenize, type Operator, type Token } from './tokenize.ts';

export type Expression =
  | { kind: 'number'; value: number; column: number }
  | { kind: 'name'; name: string; column: number }
  | { kind: 'call'; name: string; args: Expression[]; column: number }
  | { kind: 'negate'; operand: Expression; column: number }
  | { kind: 'binary'; op: Operator; left: Expression; right: Expression; column: number };

/**
 * Parses an arithmetic expression into a tree.
 * @throws CalculatorError with the column of the first token that does not fit, e.g. "Unexpected ')' at 7".
 */
export function parseExpression(source: string): Expression {
  const tokens = tokenize(source);
  if (tokens.length === 0) throw new CalculatorError('The expression is empty');
  const parser = new Parser(tokens, source.length);
  const tree = parser.expression();
  parser.expectEnd();
  return tree;
}

class Parser {
  #tokens: Token[];
  #index = 0;
  #endColumn: number;

  constructor(tokens: Token[], sourceLength: number) {
    this.#tokens = tokens;
    this.#endColumn = sourceLength + 1;
  }

  expression(): Expression {
    let left = this.#term();
    for (let token = this.#peek(); isOp(token, '+') || isOp(token, '-'); token = this.#peek()) {
      this.#index += 1;
      left = { kind: 'binary', op: token.value, left, right: this.#term(), column: token.start + 1 };
    }
    return left;
  }

  expectEnd(): void {
    const token = this.#peek();
    if (token) throw unexpected(token);
  }

  #term(): Expression {
    let left = this.#unary();
    for (;;) {
      const token = this.#peek();
      if (isOp(token, '*') || isOp(token, '/') || isOp(token, '%')) {
        this.#index += 1;
        left = { kind: 'binary', op: token.value, left, right: this.#unary(), column: token.start + 1 };
      } else if (token && (token.type === 'name' || (token.type === 'paren' && token.value === '('))) {
        // Implicit multiplication (2pi, 2(3+4)); a bare number after a value stays an error ("2 3").
        left = { kind: 'binary', op: '*', left, right: this.#power(), column: token.start + 1 };
      } else {
        return left;
      }
    }
  }

  #unary(): Expression {
    const token = this.#peek();
    if (isOp(token, '-') || isOp(token, '+')) {
      this.#index += 1;
      const operand = this.#unary();
      return token.value === '-' ? { kind: 'negate', operand, column: token.start + 1 } : operand;
    }
    return this.#power();
  }

  #power(): Expression {
    const base = this.#primary();
    const token = this.#peek();
    if (!isOp(token, '^')) return base;
    this.#index += 1;
    return { kind: 'binary', op: '^', left: base, right: this.#unary(), column: token.start + 1 };
  }

  #primary(): Expression {
    const token = this.#next();
    if (token.type === 'number') return { kind: 'number', value: token.value, column: token.start + 1 };
    if (token.type === 'paren' && token.value === '(') {
      const inner = this.expression();
      this.#expectClose(token);
      return inner;
    }
    if (token.type === 'name') {
      const open = this.#peek();
      if (!(open?.type === 'paren' && open.value === '(')) {
        return { kind: 'name', name: token.value, column: token.start + 1 };
      }
      this.#index += 1;
      const args = [this.expression()];
      for (let sep = this.#peek(); sep?.type === 'comma'; sep = this.#peek()) {
        this.#index += 1;
        args.push(this.expression());
      }
      this.#expectClose(open);
      return { kind: 'call', name: token.value, args, column: token.start + 1 };
    }
    throw unexpected(token);
  }

  #expectClose(open: Token): void {
    const token = this.#peek();
    if (token?.type === 'paren' && token.value === ')') {
      this.#index += 1;
      return;
    }
    if (!token) throw new CalculatorError(`Missing ')' for the '(' opened`, open.start + 1);
    throw unexpected(token);
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#index];
  }

  #next(): Token {
    const token = this.#tokens[this.#index];
    if (!token) throw new CalculatorError('Unexpected end of expression', this.#endColumn);
    this.#index += 1;
    return token;
  }
}

function isOp<T extends Operator>(token: Token | undefined, op: T): token is Token & { type: 'op'; value: T } {
  return token?.type === 'op' && token.value === op;
}

function unexpected(token: Token): CalculatorError {
  return new CalculatorError(`Unexpected '${token.text}'`, token.start + 1);
}
