/**
 * Public entry of Callama's framework-free core: Trelis v2 prompts, the tool-call parser, argument
 * validation and dispatch. Plain TypeScript: runs in Node, workers and pages.
 */
export type { FunctionSpec, JSONSchema } from './types/functionSpec.ts';
export type { ToolCall, ParseError, ParseErrorKind, ParseResult } from './types/toolCall.ts';
export type { Turn } from './types/turn.ts';
export type { FunctionHandler, DispatchResult, DispatchErrorKind, RegisteredFunction } from './types/dispatch.ts';

export { InvalidFunctionSpecError, PromptBuildError } from './errors.ts';

export { fromTrelisV2, toTrelisV2, describesOptional } from './prompt/trelisV2.ts';
export type { TrelisV2Function, TrelisV2Argument } from './prompt/trelisV2.ts';
export { buildTrelisPrompt, buildTrelisConversation, buildTrelisFunctionBlock } from './prompt/buildTrelisPrompt.ts';
export type { TrelisPromptOptions, TrelisConversation } from './prompt/buildTrelisPrompt.ts';
export { TRELIS_STYLES, B_FUNC, E_FUNC, B_SYS, E_SYS } from './prompt/trelisStyles.ts';
export type { TrelisStyle, TrelisMarkers } from './prompt/trelisStyles.ts';
export { pythonJsonDumps } from './prompt/pythonJsonDumps.ts';

export { parseToolCalls } from './parse/parseToolCalls.ts';
export { parseLooseJson } from './parse/repairJson.ts';

export { validateFunctionSpec, NAME_PATTERN } from './validate/validateFunctionSpec.ts';
export type { FunctionSpecCheck } from './validate/validateFunctionSpec.ts';
export { checkArguments, compileArgumentSchema } from './validate/argumentValidator.ts';
export type { ArgumentCheck } from './validate/argumentValidator.ts';

export { FunctionRegistry } from './dispatch/registry.ts';
export { dispatch, DEFAULT_TIMEOUT_MS } from './dispatch/dispatch.ts';
export type { DispatchOptions } from './dispatch/dispatch.ts';
export { toJsonText } from './dispatch/toJsonText.ts';
