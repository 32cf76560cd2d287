export { buildToolConstraint } from './buildToolConstraint.ts';
export type { ToolCallSyntax, ToolConstraint, ToolConstraintOptions } from './buildToolConstraint.ts';
export { resolveToolChoice, describeToolChoice, ToolChoiceError } from './toolChoice.ts';
export type { ResolvedToolChoice, ToolChoiceMode } from './toolChoice.ts';
export { anyCallSchema, callSchema, argumentsSchema } from './callSchema.ts';
export { pythonicCallsGrammar } from './pythonicGrammar.ts';
