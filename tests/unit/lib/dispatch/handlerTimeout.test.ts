import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../../src/lib/dispatch/dispatch.ts';
import { FunctionRegistry } from '../../../../src/lib/dispatch/registry.ts';
import { SandboxTimeoutError } from '../../../../src/functions/sandbox/errors.ts';

describe('dispatch: a handler that enforces its own time limit', () => {
  it('reports the sandbox killing a call as a timeout, with the sandbox message', async () => {
    const registry = new FunctionRegistry();
    registry.register({ name: 'spin', parameters: { type: 'object' } }, () =>
      Promise.reject(new SandboxTimeoutError(5000)),
    );
    const result = await dispatch({ name: 'spin', arguments: {} }, registry);
    expect(result).toMatchObject({
      ok: false,
      error: {
        kind: 'timeout',
        message:
          'spin timed out: The function did not finish within 5,000 ms, so it was stopped; the next call starts in a fresh sandbox.',
      },
    });
  });

  it('other errors stay "thrown"', async () => {
    const registry = new FunctionRegistry();
    registry.register({ name: 'f', parameters: { type: 'object' } }, () =>
      Promise.reject(new TypeError('x is undefined')),
    );
    expect(await dispatch({ name: 'f', arguments: {} }, registry)).toMatchObject({
      ok: false,
      error: { kind: 'thrown', message: 'f failed: x is undefined' },
    });
  });
});
