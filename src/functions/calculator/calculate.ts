import type { BuiltinFunction } from '../builtinFunction.ts';
import { requiredString } from '../functionErrors.ts';

/** Safe arithmetic for the model (no eval): models are poor at exact multi-digit maths. */
export function createCalculate(): BuiltinFunction {
  return {
    id: 'calculate',
    label: 'Calculator',
    enabledByDefault: true,
    spec: {
      name: 'calculate',
      description:
        'Evaluate an arithmetic expression exactly, e.g. "23 * 19" or "sqrt(2) * (3 + 4)^2". Supports + - * / ^ %, parentheses, sqrt, abs, round, floor, ceil, sin, cos, tan (radians), log (base 10), ln, exp, min, max and the constants pi and e.',
      parameters: {
        type: 'object',
        properties: {
          expression: { type: 'string', description: 'Required. The expression to evaluate.' },
        },
        required: ['expression'],
      },
    },
    handler: async (args) => {
      const expression = requiredString(args, 'expression');
      // The parser and evaluator load with the first calculation: the first screen does not need them.
      const { calculateExpression } = await import('./evaluateExpression.ts');
      return { expression, result: calculateExpression(expression) };
    },
  };
}
