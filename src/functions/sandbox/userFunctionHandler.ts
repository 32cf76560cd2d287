import type { FunctionHandler } from '../../lib/types/dispatch.ts';
import type { UserFunctionDef } from '../userFunctions.ts';
import type { FunctionSandbox, RunOptions } from './FunctionSandbox.ts';

/**
 * The handler the dispatcher calls for a user-written function: the body runs in the sandbox with the
 * call's arguments, never in the app. The dispatcher's abort signal stops (and resets) the sandbox.
 */
export function userFunctionHandler(
  def: Pick<UserFunctionDef, 'code'>,
  sandbox: Pick<FunctionSandbox, 'run'>,
  options: Pick<RunOptions, 'timeoutMs'> = {},
): FunctionHandler {
  return (args, { signal }) => sandbox.run(def.code, args, { ...options, signal });
}
