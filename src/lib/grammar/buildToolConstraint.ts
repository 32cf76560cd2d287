/**
 * Grammar constraints for tool_choice (issue 5 §2), in the shapes web-llm's chat API accepts as
 * `response_format` (its xgrammar engine masks every token that would break them):
 *
 * | syntax        | auto (prose or calls)                         | required / named function            |
 * |---------------|-----------------------------------------------|--------------------------------------|
 * | hermes        | structural tag: triggered on `<tool_call>`    | structural tag: only tagged calls    |
 * | json-fenced   | structural tag: triggered on ```` ```json ````| structural tag: only fenced calls    |
 * | llama3-json   | structural tag: `or` of the call schema and   | JSON schema of one call              |
 * |               | prose that does not start with `{`            |                                      |
 * | pythonic      | EBNF: a call list or prose not starting `[`   | EBNF: a call list                    |
 * | trelis-v2/v3, | raw-prompt formats: see rawCallConstraint.ts  |                                      |
 * | mistral-v3    |                                               |                                      |
 * | qwen-xml      | structural tag: triggered on `<tool_call>`    | structural tag: only tagged calls    |
 * | mistral-v13   | structural tag: triggered on `[TOOL_CALLS]`   | `[TOOL_CALLS]` calls only            |
 * | phi4, smollm2 | structural tag: triggered on the list's tag   | one tagged list of calls             |
 *
 * Inside a call the function name is fixed text per function and the arguments follow that
 * function's parameters schema, so every call the model emits parses and names a known function.
 * A named function allows exactly one call to it. `none` still lists the functions (the prompt stays
 * the same as in `auto`) and its grammar forbids opening a call (noCallGrammar.ts).
 * A model that reasons first gets its reasoning block in front of any of these (reasoningFirst.ts).
 * Pure data in, data out: compiling happens in the engine (and in the tests, with web-xgrammar).
 */
import type { ToolChoice } from '../types/agent.ts';
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { ResponseFormat } from '../types/generation.ts';
import { anyCallSchema, argumentsSchema } from './callSchema.ts';
import { mistralV13Format } from './mistralV13Grammar.ts';
import { noCallDescription, noCallFormat } from './noCallGrammar.ts';
import { pythonicCallsGrammar } from './pythonicGrammar.ts';
import { rawCallFormat, type RawCallSyntax } from './rawCallConstraint.ts';
import { qwenXmlFormat } from './qwenXmlFormat.ts';
import { withReasoningFirst, type ReasoningFirst } from './reasoningFirst.ts';
import { gemmaCallsGrammar } from './gemmaGrammar.ts';
import { taggedCallsFormat } from './taggedCalls.ts';
import { taggedListFormat, type ListTags } from './taggedListGrammar.ts';
import { describeToolChoice, resolveToolChoice, type ResolvedToolChoice } from './toolChoice.ts';

/** How a format asks the model to write calls. */
export type ToolCallSyntax =
  /** `<tool_call>\n{"name": "f", "arguments": {…}}\n</tool_call>`, one block per call. */
  | 'hermes'
  /** ```` ```json\n{"name": "f", "arguments": {…}}\n``` ````, one block per call, prose around. */
  | 'json-fenced'
  /** The whole answer is `{"name": "f", "parameters": {…}}` (Llama 3.1 JSON tool calling). */
  | 'llama3-json'
  /** The whole answer is `[f(a=1), g(b="x")]` (Llama 3.2 pythonic). */
  | 'pythonic'
  /** Raw-prompt formats: Trelis `{"function"|"name": "f", "arguments": {…}}`, Mistral `[TOOL_CALLS] […]`. */
  | RawCallSyntax
  /** `<tool_call>\n<function=f>\n<parameter=k>\nv\n</parameter>\n</function>\n</tool_call>` (Qwen3.5, Qwen3-Coder). */
  | 'qwen-xml'
  /** `<|tool_call>call:f{key:<|"|>v<|"|>}<tool_call|>`, calls concatenated (Gemma 4; gemmaGrammar.ts). */
  | 'gemma4'
  /** `[TOOL_CALLS]f[ARGS]{…}` repeated, optional `[THINK]…[/THINK]` first (Mistral v13, mistralV13Grammar.ts). */
  | 'mistral-v13'
  /** `<|tool_call|>[{"name": "f", "arguments": {…}}, …]<|/tool_call|>` (Phi-4-mini, taggedListGrammar.ts). */
  | 'phi4'
  /** `<tool_call>[{"name": "f", "arguments": {…}}, …]</tool_call>`, `[]` for no call (SmolLM2, taggedListGrammar.ts). */
  | 'smollm2';

export interface ToolConstraintOptions {
  functions: FunctionSpec[];
  toolChoice?: ToolChoice;
  syntax: ToolCallSyntax;
  /** False when the engine cannot apply grammars to this generation. Default true. */
  canConstrain?: boolean;
  /** The model reasons before it answers: the grammar lets that block come first. */
  reasoningFirst?: ReasoningFirst;
  /** The prompt lets the model reason first (syntaxes with a reasoning block before calls: gemma4). */
  thinking?: boolean;
  /** What the prompt already wrote of the answer (BuiltPrompt.answerPrefix): the grammar continues it. */
  answerPrefix?: string;
}

export interface ToolConstraint {
  responseFormat?: ResponseFormat;
  constrained: boolean;
  /** For the inspector: what is constrained, or why nothing is. */
  note: string;
}

/** Begin and end text around the arguments of a tagged call; the name is fixed inside `begin`. */
const TAGS: Record<'hermes' | 'json-fenced', { trigger: string; begin: (name: string) => string; end: string }> = {
  hermes: {
    trigger: '<tool_call>',
    begin: (name) => `<tool_call>\n{"name": ${JSON.stringify(name)}, "arguments": `,
    end: '}\n</tool_call>',
  },
  'json-fenced': {
    trigger: '```json',
    begin: (name) => `\`\`\`json\n{"name": ${JSON.stringify(name)}, "arguments": `,
    end: '}\n```',
  },
};

const LIST_TAGS: Record<'phi4' | 'smollm2', ListTags> = {
  phi4: { open: '<|tool_call|>', close: '<|/tool_call|>', allowEmpty: false },
  smollm2: { open: '<tool_call>', close: '</tool_call>', allowEmpty: true },
};

function names(functions: FunctionSpec[]): string {
  return functions.map((f) => f.name).join(', ');
}

function taggedFormat(syntax: 'hermes' | 'json-fenced', choice: ResolvedToolChoice): ResponseFormat {
  const { trigger, begin, end } = TAGS[syntax];
  const tags = choice.functions.map((fn) => ({
    type: 'tag',
    begin: begin(fn.name),
    content: { type: 'json_schema', json_schema: argumentsSchema(fn) },
    end,
  }));
  return taggedCallsFormat(trigger, tags, choice);
}

function llama3JsonFormat(choice: ResolvedToolChoice): ResponseFormat {
  const call = anyCallSchema(choice.functions, 'parameters');
  if (choice.mode !== 'auto') return { type: 'json_object', schema: JSON.stringify(call) };
  const prose = { type: 'grammar', grammar: 'root ::= [^{ \\t\\r\\n] [^]*' };
  const format = { type: 'or', elements: [{ type: 'json_schema', json_schema: call }, prose] };
  return { type: 'structural_tag', structuralTag: { type: 'structural_tag', format } };
}

function gemmaGrammar(choice: ResolvedToolChoice, options: ToolConstraintOptions): string {
  return gemmaCallsGrammar(choice.functions, {
    allowProse: choice.mode === 'auto',
    single: choice.forced !== undefined,
    thinking: options.thinking === true,
    startsInThought: options.answerPrefix?.startsWith('<|channel>thought') === true,
  });
}

function describe(syntax: ToolCallSyntax, choice: ResolvedToolChoice): string {
  const fns = names(choice.functions);
  const shape: Record<ToolCallSyntax, string> = {
    hermes: '<tool_call> block',
    'json-fenced': '```json block',
    'llama3-json': 'JSON call',
    pythonic: 'pythonic call',
    'trelis-v2': 'JSON call',
    'trelis-v3': 'JSON call',
    'mistral-v3': '[TOOL_CALLS] entry',
    'qwen-xml': '<tool_call> block',
    gemma4: '<|tool_call> call',
    'mistral-v13': '[TOOL_CALLS] call',
    phi4: 'call in the <|tool_call|> list',
    smollm2: 'call in the <tool_call> list',
  };
  const what = `every ${shape[syntax]} must name ${choice.functions.length === 1 ? '' : 'one of '}${fns} and match its parameters schema`;
  if (choice.forced) return `Constrained to exactly one call of ${choice.forced}: ${what}.`;
  if (choice.mode === 'required') {
    // Llama 3.1 JSON and Trelis answers hold a single call object.
    const single = syntax === 'llama3-json' || syntax === 'trelis-v2' || syntax === 'trelis-v3';
    return `Constrained to ${single ? 'one call' : 'one or more calls'} and nothing else: ${what}.`;
  }
  const free =
    syntax === 'llama3-json' ||
    syntax === 'pythonic' ||
    syntax === 'gemma4' ||
    syntax === 'trelis-v2' ||
    syntax === 'trelis-v3'
      ? 'a prose answer is allowed'
      : 'text outside the calls is free';
  return `Constrained (tool_choice auto): ${what}; ${free}.`;
}

/** Each syntax's grammar for the calls alone (a reasoning block before them is added by the caller). */
function formatFor(syntax: ToolCallSyntax, choice: ResolvedToolChoice, options: ToolConstraintOptions): ResponseFormat {
  switch (syntax) {
    case 'hermes':
    case 'json-fenced':
      return taggedFormat(syntax, choice);
    case 'llama3-json':
      return llama3JsonFormat(choice);
    case 'pythonic':
      return {
        type: 'grammar',
        grammar: pythonicCallsGrammar(choice.functions, {
          allowProse: choice.mode === 'auto',
          single: choice.forced !== undefined,
        }),
      };
    case 'mistral-v13':
      return mistralV13Format(choice);
    case 'phi4':
    case 'smollm2':
      return taggedListFormat(LIST_TAGS[syntax], choice);
    case 'qwen-xml':
      return qwenXmlFormat(choice);
    case 'gemma4':
      return { type: 'grammar', grammar: gemmaGrammar(choice, options) };
    case 'trelis-v2':
    case 'trelis-v3':
    case 'mistral-v3':
      return rawCallFormat(syntax, choice);
  }
}

/**
 * The response_format that makes every call parse and match its function's schema.
 * @throws {ToolChoiceError} when `toolChoice` names a function that is not in `functions`, or is
 *   'required' with no functions.
 */
export function buildToolConstraint(options: ToolConstraintOptions): ToolConstraint {
  const choice = resolveToolChoice(options.functions, options.toolChoice);
  if (choice.mode === 'none' && choice.functions.length === 0) {
    return { constrained: false, note: 'Not constrained: no functions are offered, so the answer is free text.' };
  }
  if (options.canConstrain === false) {
    if (choice.mode === 'none') {
      return {
        constrained: false,
        note: 'Not constrained: the engine cannot apply a grammar to this generation. The functions stay listed (tool_choice none); a call written anyway is shown, not run.',
      };
    }
    return {
      constrained: false,
      note: `Not constrained: the engine cannot apply a grammar to this generation, so tool_choice ${describeToolChoice(options.toolChoice)} is only asked for in the prompt; calls are repaired and validated after generation.`,
    };
  }
  const { syntax } = options;
  if (choice.mode === 'none') {
    return {
      responseFormat: noCallFormat(syntax),
      constrained: true,
      note: `Constrained (tool_choice none): the functions stay listed so the prompt extends the previous one, but ${noCallDescription(syntax)}; a call is never run.`,
    };
  }
  const calls = formatFor(syntax, choice, options);
  const responseFormat = options.reasoningFirst ? withReasoningFirst(calls, options.reasoningFirst) : calls;
  const note = describe(syntax, choice) + (options.reasoningFirst ? ' Reasoning before it is free.' : '');
  return { responseFormat, constrained: true, note };
}
