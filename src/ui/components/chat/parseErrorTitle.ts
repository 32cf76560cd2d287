import type { ParseError } from '../../../lib/types/toolCall.ts';

/** A heading for an error card, in the user's words. */
export function parseErrorTitle(error: ParseError): string {
  if (error.cut)
    return error.name
      ? `The call to ${error.name} was cut off by the token limit`
      : 'A call was cut off by the token limit';
  switch (error.kind) {
    case 'malformed':
      return "The model's function call could not be read";
    case 'unknown_function':
      return error.name ? `Unknown function "${error.name}"` : 'Unknown function';
    case 'not_allowed':
      return error.name ? `The call to ${error.name} was not run` : 'A call was not run';
    case 'invalid_arguments':
      return error.name ? `Invalid arguments for ${error.name}` : 'Invalid arguments';
  }
}
