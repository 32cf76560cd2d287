import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../../src/lib/dispatch/dispatch.ts';
import { FunctionRegistry } from '../../../../src/lib/dispatch/registry.ts';
import type { FunctionHandler } from '../../../../src/lib/types/dispatch.ts';

function registryWith(handler: FunctionHandler): FunctionRegistry {
  const registry = new FunctionRegistry();
  registry.register({ name: 'f', parameters: { type: 'object' } }, handler);
  return registry;
}
const call = { name: 'f', arguments: { x: 1 } };

describe('dispatch', () => {
  it('runs a sync handler with the arguments and returns its value as JSON', async () => {
    const result = await dispatch(
      call,
      registryWith((args) => ({ got: args.x })),
    );
    expect(result).toMatchObject({ ok: true, value: { got: 1 }, json: '{"got":1}' });
    expect(result.ms).toBeGreaterThanOrEqual(0);
  });

  it('awaits an async handler', async () => {
    const result = await dispatch(
      call,
      registryWith(async () => 'done'),
    );
    expect(result).toMatchObject({ ok: true, value: 'done', json: '"done"' });
  });

  it('turns undefined into null', async () => {
    expect(
      await dispatch(
        call,
        registryWith(() => undefined),
      ),
    ).toMatchObject({ ok: true, value: null, json: 'null' });
  });

  it.each([
    [
      'a sync throw',
      () => {
        throw new Error('disk full');
      },
    ],
    ['a rejection', async () => Promise.reject(new Error('disk full'))],
  ])('reports %s as kind thrown, with the message', async (_, handler) => {
    expect(await dispatch(call, registryWith(handler))).toMatchObject({
      ok: false,
      error: { kind: 'thrown', message: 'f failed: disk full' },
    });
  });

  it('reports a thrown non-Error value', async () => {
    const result = await dispatch(
      call,
      registryWith(() => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the case under test: a thrown non-Error
        throw { code: 7 };
      }),
    );
    expect(result).toMatchObject({ ok: false, error: { kind: 'thrown', message: 'f failed: {"code":7}' } });
  });

  it('times out, and aborts the handler’s signal', async () => {
    let seen: AbortSignal | undefined;
    const result = await dispatch(
      call,
      registryWith((_, { signal }) => {
        seen = signal;
        return new Promise(() => {});
      }),
      { timeoutMs: 20 },
    );
    expect(result).toMatchObject({ ok: false, error: { kind: 'timeout', message: 'f did not finish within 20 ms.' } });
    expect(seen?.aborted).toBe(true);
  });

  it('stops when the caller aborts, before or during the call', async () => {
    const before = new AbortController();
    before.abort();
    let ran = false;
    expect(
      await dispatch(
        call,
        registryWith(() => {
          ran = true;
        }),
        { signal: before.signal },
      ),
    ).toMatchObject({
      ok: false,
      error: { kind: 'aborted' },
    });
    expect(ran).toBe(false);

    const during = new AbortController();
    const pending = dispatch(
      call,
      registryWith(() => new Promise(() => {})),
      { signal: during.signal },
    );
    during.abort();
    expect(await pending).toMatchObject({
      ok: false,
      error: { kind: 'aborted', message: 'f was stopped before it finished.' },
    });
  });

  it.each([
    ['a function', () => () => 1, 'the result is a function'],
    ['a nested function', () => ({ cb: () => 1 }), '"cb" is a function'],
    ['a BigInt', () => ({ n: 10n }), '"n" is a BigInt'],
    [
      'a cycle',
      () => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return o;
      },
      'cycle',
    ],
  ])('refuses a result that is not JSON: %s', async (_, handler, reason) => {
    const result = await dispatch(call, registryWith(handler));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('not_serializable');
      expect(result.error.message).toContain(reason);
    }
  });

  it('reports an unknown function without throwing', async () => {
    expect(
      await dispatch(
        { name: 'g', arguments: {} },
        registryWith(() => 1),
      ),
    ).toMatchObject({
      ok: false,
      error: { kind: 'unknown_function', message: 'Unknown function "g". Known functions: f.' },
    });
  });
});
