/**
 * EBNF (xgrammar dialect) for Llama 3.2 "pythonic" calls: `[get_weather(city="Paris", days=3), f()]`.
 *
 * xgrammar has no JSON-Schema-to-Python converter, so this module writes the grammar itself:
 * - keyword arguments in schema order; required ones must appear, optional ones may be skipped
 *   (two rules per position: before and after the first written argument, so commas come out right);
 * - values by schema type: strings are double-quoted (as in Meta's examples), booleans `True`/`False`,
 *   null `None`, arrays `[...]`, enums as their literal alternatives; objects and untyped values
 *   accept any Python literal. Finer keywords (minimum, pattern…) are left to the argument validator
 *   after parsing.
 */
import type { FunctionSpec, JSONSchema } from '../types/functionSpec.ts';
import { argumentsSchema } from './callSchema.ts';
import { ebnfLiteral, RuleSet } from './ebnf.ts';
import { pythonLiteral } from '../formats/pythonLiteral.ts';

const SHARED_RULES = [
  'ws ::= [ ]?',
  'comma ::= "," ws',
  'py_string ::= "\\"" ([^"\\\\\\r\\n] | "\\\\" [^\\r\\n])* "\\""',
  'py_int ::= "-"? [0-9]+',
  'py_number ::= "-"? [0-9]+ ("." [0-9]+)? ([eE] [+\\-]? [0-9]+)?',
  'py_bool ::= "True" | "False"',
  'py_none ::= "None"',
  'py_list ::= "[" ws (py_any (comma py_any)*)? ws "]"',
  'py_dict ::= "{" ws (py_string ":" ws py_any (comma py_string ":" ws py_any)*)? ws "}"',
  'py_any ::= py_string | py_number | py_bool | py_none | py_list | py_dict',
];

function typeRule(type: string, schema: JSONSchema, rules: RuleSet): string {
  switch (type) {
    case 'string':
      return 'py_string';
    case 'integer':
      return 'py_int';
    case 'number':
      return 'py_number';
    case 'boolean':
      return 'py_bool';
    case 'null':
      return 'py_none';
    case 'array': {
      const item = schema.items ? valueRule(schema.items, rules) : 'py_any';
      return rules.add('list', `"[" ws (${item} (comma ${item})*)? ws "]"`);
    }
    default:
      return type === 'object' ? 'py_dict' : 'py_any';
  }
}

/** The rule name for values matching `schema`. */
function valueRule(schema: JSONSchema, rules: RuleSet): string {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return rules.add('enum', schema.enum.map((v) => ebnfLiteral(pythonLiteral(v))).join(' | '));
  }
  if ('const' in schema) return rules.add('const', ebnfLiteral(pythonLiteral(schema['const'])));
  const types = typeof schema.type === 'string' ? [schema.type] : (schema.type ?? []);
  if (types.length === 0) return 'py_any';
  const alternatives = types.map((t) => typeRule(t, schema, rules));
  const first = alternatives[0];
  return alternatives.length === 1 && first ? first : rules.add('union', alternatives.join(' | '));
}

/** `name(kw=value, …)` for one function. */
function callRule(fn: FunctionSpec, rules: RuleSet): string {
  const params = argumentsSchema(fn);
  const properties = Object.entries(params.properties ?? {});
  const required = new Set(params.required ?? []);
  // Built from the last position backwards: `tailFirst` is used before any argument was written,
  // `tailAfter` after one (so it must start with a comma).
  let tailFirst = '""';
  let tailAfter = '""';
  for (let i = properties.length - 1; i >= 0; i--) {
    const entry = properties[i];
    if (!entry) continue;
    const [key, schema] = entry;
    const kv = `${ebnfLiteral(`${key}=`)} ${valueRule(schema, rules)}`;
    const optional = !required.has(key);
    const first = rules.add('args', `${kv} ${tailAfter}${optional ? ` | ${tailFirst}` : ''}`);
    const after = rules.add('args', `comma ${kv} ${tailAfter}${optional ? ` | ${tailAfter}` : ''}`);
    tailFirst = first;
    tailAfter = after;
  }
  return rules.add('call', `${ebnfLiteral(`${fn.name}(`)} ws ${tailFirst} ws ")"`);
}

/**
 * A grammar whose root is a list of one or more calls to `functions`, or, with `allowProse`, that
 * list or any text that does not start with `[` (prose answers stay possible in tool_choice auto).
 */
export function pythonicCallsGrammar(
  functions: FunctionSpec[],
  options: { allowProse: boolean; single?: boolean },
): string {
  const rules = new RuleSet();
  const calls = functions.map((fn) => callRule(fn, rules));
  const list = options.single ? '"[" call "]"' : '"[" call (comma call)* "]"';
  const root = options.allowProse ? `root ::= ${list} | prose` : `root ::= ${list}`;
  return [
    root,
    `call ::= ${calls.join(' | ')}`,
    ...(options.allowProse ? ['prose ::= [^\\[ \\t\\r\\n] [^]*'] : []),
    ...rules.rules,
    ...SHARED_RULES,
  ].join('\n');
}
