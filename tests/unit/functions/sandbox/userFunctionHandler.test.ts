import { describe, expect, it } from 'vitest';
import { userFunctionHandler } from '../../../../src/functions/sandbox/userFunctionHandler.ts';
import type { RunOptions } from '../../../../src/functions/sandbox/FunctionSandbox.ts';
import { UserCodeError } from '../../../../src/functions/sandbox/errors.ts';
import { isSandboxReply } from '../../../../src/functions/sandbox/protocol.ts';

describe('userFunctionHandler', () => {
  it("runs the definition's code in the sandbox with the call's arguments, signal and time limit", async () => {
    const calls: { code: string; args: Record<string, unknown>; opts: RunOptions | undefined }[] = [];
    const sandbox = {
      run: async (code: string, args: Record<string, unknown>, opts?: RunOptions) => {
        calls.push({ code, args, opts });
        return 42;
      },
    };
    const controller = new AbortController();
    const handler = userFunctionHandler({ code: 'return 42;' }, sandbox, { timeoutMs: 1234 });
    await expect(handler({ x: 1 }, { signal: controller.signal })).resolves.toBe(42);
    expect(calls).toEqual([
      { code: 'return 42;', args: { x: 1 }, opts: { timeoutMs: 1234, signal: controller.signal } },
    ]);
  });

  it('passes sandbox errors through with a readable message', async () => {
    const sandbox = {
      run: () => Promise.reject(new UserCodeError({ name: 'SecurityError', message: 'access denied' })),
    };
    await expect(
      userFunctionHandler({ code: '' }, sandbox)({}, { signal: new AbortController().signal }),
    ).rejects.toThrow('SecurityError: access denied');
  });
});

describe('isSandboxReply', () => {
  it('accepts only well-formed replies (the sandbox runs untrusted code)', () => {
    expect(isSandboxReply({ kind: 'ready' })).toBe(true);
    expect(isSandboxReply({ kind: 'result', id: 'a', ok: true, value: undefined })).toBe(true);
    expect(isSandboxReply({ kind: 'result', id: 'a', ok: false, error: { name: 'E', message: 'm' } })).toBe(true);
    expect(isSandboxReply({ kind: 'result', id: 'a', ok: false, error: 'm' })).toBe(false);
    expect(isSandboxReply({ kind: 'result', id: 1, ok: true })).toBe(false);
    expect(isSandboxReply({ kind: 'fatal' })).toBe(false);
    expect(isSandboxReply(null)).toBe(false);
    expect(isSandboxReply('ready')).toBe(false);
  });
});
