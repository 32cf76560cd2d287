/**
 * EBNF (xgrammar dialect) for Gemma 4 calls: `<|tool_call>call:get_weather{city:<|"|>Paris<|"|>}<tool_call|>`,
 * parallel calls concatenated with nothing between (shared/TOOL-FORMATS.md §3(b)).
 *
 * - One alternative per function, its name fixed; arguments are written with bare keys in dictsort
 *   order (the order the template re-renders calls in, and the order the declarations list them),
 *   required ones must appear, optional ones may be skipped (two rules per position, so commas come
 *   out right, as in pythonicGrammar.ts).
 * - Values follow each parameter's schema in Gemma syntax: strings `<|"|>…<|"|>` with no `<|"|>`
 *   inside, integers, numbers, `true`/`false`, `null`, enums and consts as their literals, arrays
 *   `[…]`, objects `{key:value}` with their own properties (or any Gemma object). Finer keywords
 *   (minimum, pattern…) are left to the argument validator after parsing.
 * - Reasoning: with thinking on, an optional `<|channel>thought…<channel|>` may come first; when the
 *   prompt already opened it (answer prefix after results), the answer must first close it. With
 *   thinking off, only an empty channel is tolerated (larger Gemma 4 models write one).
 * - After the calls the model may write `<|tool_response>` (a stop string), so it is allowed.
 * - tool_choice auto: the calls, or prose that does not start with `<|` (a call that follows prose is
 *   left to the parser, as with the pythonic grammar). required: calls only; named: exactly one.
 * Whether web-llm's xgrammar sees Gemma's special tokens (`<|tool_call>`, `<|"|>`) by their text —
 * which this grammar needs — is UNCONFIRMED on a device; the tests use the grammar on plain text.
 */
import type { FunctionSpec, JSONSchema } from '../types/functionSpec.ts';
import { dictsort, GEMMA_QUOTE, gemmaValue } from '../formats/gemmaValue.ts';
import { argumentsSchema } from './callSchema.ts';
import { ebnfLiteral, RuleSet } from './ebnf.ts';

export interface GemmaGrammarOptions {
  allowProse: boolean;
  /** A named function: exactly one call. */
  single?: boolean;
  /** Thinking is on: a thought channel may come first. */
  thinking?: boolean;
  /** The prompt opened a thought channel (`<|channel>thought\n`): the answer starts inside it. */
  startsInThought?: boolean;
}

/**
 * Rules for "text that does not contain `s`", for a delimiter whose first character occurs nowhere
 * else in it (`<|"|>`, `<channel|>`): after a mismatch the match restarts at 0, or at 1 on that first
 * character. Returns the start rule's name.
 */
function excluding(prefix: string, s: string, rules: string[]): string {
  const first = s.charAt(0);
  const name = (k: number) => `${prefix}_${k}`;
  const cls = (chars: string) => `[^${[...new Set(chars)].map((c) => (/[\]\\^-]/.test(c) ? `\\${c}` : c)).join('')}]`;
  rules.push(`${name(0)} ::= "" | ${cls(first)} ${name(0)} | ${ebnfLiteral(first)} ${name(1)}`);
  for (let k = 1; k < s.length; k++) {
    const c = s.charAt(k);
    const advance = k + 1 < s.length ? ` | ${ebnfLiteral(c)} ${name(k + 1)}` : '';
    rules.push(`${name(k)} ::= "" | ${cls(first + c)} ${name(0)} | ${ebnfLiteral(first)} ${name(1)}${advance}`);
  }
  return name(0);
}

const SHARED_RULES = [
  `g_str ::= ${ebnfLiteral(GEMMA_QUOTE)} g_text_0 ${ebnfLiteral(GEMMA_QUOTE)}`,
  'g_int ::= "-"? [0-9]+',
  'g_number ::= "-"? [0-9]+ ("." [0-9]+)? ([eE] [+\\-]? [0-9]+)?',
  'g_bool ::= "true" | "false"',
  'g_null ::= "null"',
  'g_key ::= [A-Za-z_] [A-Za-z0-9_.\\-]*',
  'g_list ::= "[" (g_any ("," g_any)*)? "]"',
  'g_object ::= "{" (g_key ":" g_any ("," g_key ":" g_any)*)? "}"',
  'g_any ::= g_str | g_number | g_bool | g_null | g_list | g_object',
];

function typeRule(type: string, schema: JSONSchema, rules: RuleSet): string {
  switch (type) {
    case 'string':
      return 'g_str';
    case 'integer':
      return 'g_int';
    case 'number':
      return 'g_number';
    case 'boolean':
      return 'g_bool';
    case 'null':
      return 'g_null';
    case 'array': {
      const item = schema.items ? valueRule(schema.items, rules) : 'g_any';
      return rules.add('list', `"[" (${item} ("," ${item})*)? "]"`);
    }
    case 'object':
      return schema.properties && Object.keys(schema.properties).length > 0
        ? rules.add('object', `"{" ${membersRule(schema, rules)} "}"`)
        : 'g_object';
    default:
      return 'g_any';
  }
}

/** The rule name for values matching `schema`. */
function valueRule(schema: JSONSchema, rules: RuleSet): string {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return rules.add('enum', schema.enum.map((v) => ebnfLiteral(gemmaValue(v, false))).join(' | '));
  }
  if ('const' in schema) return rules.add('const', ebnfLiteral(gemmaValue(schema['const'], false)));
  const types = typeof schema.type === 'string' ? [schema.type] : (schema.type ?? []);
  if (types.length === 0) return 'g_any';
  const alternatives = types.map((t) => typeRule(t, schema, rules));
  const first = alternatives[0];
  return alternatives.length === 1 && first ? first : rules.add('union', alternatives.join(' | '));
}

/** `key:value,…` of an object schema: dictsort order, required keys present, optional ones skippable. */
function membersRule(schema: JSONSchema, rules: RuleSet): string {
  const properties = dictsort(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  // Built from the last position backwards: `tailFirst` is used before any member was written,
  // `tailAfter` after one (so it starts with a comma).
  let tailFirst = '""';
  let tailAfter = '""';
  for (let i = properties.length - 1; i >= 0; i--) {
    const entry = properties[i];
    if (!entry) continue;
    const [key, propertySchema] = entry;
    const kv = `${ebnfLiteral(`${key}:`)} ${valueRule(propertySchema, rules)}`;
    const optional = !required.has(key);
    const first = rules.add('members', `${kv} ${tailAfter}${optional ? ` | ${tailFirst}` : ''}`);
    const after = rules.add('members', `"," ${kv} ${tailAfter}${optional ? ` | ${tailAfter}` : ''}`);
    tailFirst = first;
    tailAfter = after;
  }
  return tailFirst;
}

function callRule(fn: FunctionSpec, rules: RuleSet): string {
  return rules.add(
    'call',
    `${ebnfLiteral(`<|tool_call>call:${fn.name}{`)} ${membersRule(argumentsSchema(fn), rules)} "}<tool_call|>"`,
  );
}

export function gemmaCallsGrammar(functions: FunctionSpec[], options: GemmaGrammarOptions): string {
  const rules = new RuleSet();
  const text: string[] = [];
  excluding('g_text', GEMMA_QUOTE, text);
  const calls = functions.map((fn) => callRule(fn, rules));
  const head: string[] = [];
  let start: string;
  if (options.startsInThought) {
    start = `${excluding('thought_text', '<channel|>', head)} "<channel|>" nl`;
  } else if (options.thinking) {
    start = `("<|channel>thought" ${excluding('thought_text', '<channel|>', head)} "<channel|>" nl)?`;
  } else {
    start = '("<|channel>thought" "\\n"? "<channel|>" nl)?';
  }
  const callList = options.single ? 'call' : 'call+';
  const answer = options.allowProse ? `(calls | prose)` : 'calls';
  return [
    `root ::= ${start} ${answer}`,
    `calls ::= ${callList} "<|tool_response>"?`,
    `call ::= ${calls.join(' | ')}`,
    'nl ::= [ \\n]*',
    ...(options.allowProse ? ['prose ::= ([^<] | "<" [^|]) [^]*'] : []),
    ...head,
    ...rules.rules,
    ...SHARED_RULES,
    ...text,
  ].join('\n');
}
