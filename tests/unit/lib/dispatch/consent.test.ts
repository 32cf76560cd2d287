/**
 * The consent gate in dispatch: a function marked `confirm` runs only after the user said 'allow' for
 * that call. Every test counts the handler's runs, so removing the gate makes them fail.
 */
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../../src/lib/dispatch/dispatch.ts';
import { FunctionRegistry } from '../../../../src/lib/dispatch/registry.ts';
import type { ConfirmCall, ConsentRequest } from '../../../../src/lib/types/dispatch.ts';

function setup(confirm = true) {
  const registry = new FunctionRegistry();
  const runs: Array<Record<string, unknown>> = [];
  registry.register(
    {
      name: 'open_url',
      parameters: { type: 'object', properties: { url: { type: 'string' } } },
      ...(confirm ? { confirm: true } : {}),
    },
    (args) => {
      runs.push(args);
      return { opened: args.url };
    },
  );
  return { registry, runs };
}
const call = { name: 'open_url', arguments: { url: 'https://example.com' } };

describe('dispatch: functions marked confirm', () => {
  it('never runs the handler without a way to ask, and says so', async () => {
    const t = setup();
    const result = await dispatch(call, t.registry);
    expect(result).toMatchObject({ ok: false, error: { kind: 'declined' } });
    expect(!result.ok && result.error.message).toMatch(/open_url needs the user's consent/);
    expect(t.runs).toEqual([]);
  });

  it('asks with the call, its spec and the call id, and runs it after "allow"', async () => {
    const t = setup();
    const asked: ConsentRequest[] = [];
    const result = await dispatch(call, t.registry, {
      callId: 'c1',
      confirm: (request) => {
        asked.push(request);
        expect(t.runs).toEqual([]); // not before the answer
        return 'allow';
      },
    });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ callId: 'c1', call, spec: { name: 'open_url', confirm: true } });
    expect(result).toMatchObject({ ok: true, value: { opened: 'https://example.com' } });
    expect(t.runs).toEqual([{ url: 'https://example.com' }]);
  });

  it('does not run it after "deny": the result says the user declined', async () => {
    const t = setup();
    const result = await dispatch(call, t.registry, { confirm: () => 'deny' });
    expect(result).toEqual({
      ok: false,
      error: { kind: 'declined', message: 'The user declined to run open_url.' },
      ms: 0,
    });
    expect(t.runs).toEqual([]);
  });

  it('treats a confirm that throws or rejects as "deny"', async () => {
    const t = setup();
    const throwing: ConfirmCall = () => {
      throw new Error('no UI');
    };
    const rejecting: ConfirmCall = () => Promise.reject(new Error('no UI'));
    for (const confirm of [throwing, rejecting]) {
      expect(await dispatch(call, t.registry, { confirm })).toMatchObject({ ok: false, error: { kind: 'declined' } });
    }
    expect(t.runs).toEqual([]);
  });

  it('waits for the answer without a timeout, then applies the timeout to the run only', async () => {
    const t = setup();
    let answer: (d: 'allow') => void = () => {};
    const pending = dispatch(call, t.registry, {
      timeoutMs: 10,
      confirm: () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    });
    await new Promise((r) => setTimeout(r, 40)); // longer than the timeout
    expect(t.runs).toEqual([]);
    answer('allow');
    expect(await pending).toMatchObject({ ok: true });
    expect(t.runs).toHaveLength(1);
  });

  it('withdraws the question when the caller aborts while it is open: not run, kind aborted', async () => {
    const t = setup();
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    let answer: (d: 'allow') => void = () => {};
    const pending = dispatch(call, t.registry, {
      signal: controller.signal,
      confirm: ({ signal }) => {
        seen = signal;
        return new Promise((resolve) => {
          answer = resolve;
        });
      },
    });
    await Promise.resolve();
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'aborted' } });
    expect(seen?.aborted).toBe(true);
    answer('allow'); // a late "allow" changes nothing
    await new Promise((r) => setTimeout(r, 0));
    expect(t.runs).toEqual([]);
  });

  it('does not ask for functions without the flag', async () => {
    const t = setup(false);
    let asked = 0;
    const result = await dispatch(call, t.registry, {
      confirm: () => {
        asked++;
        return 'deny';
      },
    });
    expect(result).toMatchObject({ ok: true });
    expect(asked).toBe(0);
  });
});

describe('the confirm flag in function definitions', () => {
  it('is kept by validation and the registry, and a non-boolean is refused with a reason', async () => {
    const { validateFunctionSpec } = await import('../../../../src/lib/validate/validateFunctionSpec.ts');
    const parameters = { type: 'object', properties: {} };
    expect(validateFunctionSpec({ name: 'f', parameters, confirm: true })).toEqual({
      ok: true,
      spec: { name: 'f', parameters, confirm: true },
    });
    expect(validateFunctionSpec({ name: 'f', parameters, confirm: false })).toEqual({
      ok: true,
      spec: { name: 'f', parameters },
    });
    expect(validateFunctionSpec({ name: 'f', parameters, confirm: 'yes' })).toMatchObject({
      ok: false,
      reasons: ['"confirm" must be true (ask the user before each call) or false.'],
    });
  });

  it('marks the built-ins that act outside the conversation, and only those', async () => {
    const { builtinFunctions } = await import('../../../../src/functions/index.ts');
    const marked = builtinFunctions
      .filter((f) => f.spec.confirm === true)
      .map((f) => f.spec.name)
      .sort();
    expect(marked).toEqual([
      'copy_to_clipboard',
      'delete_note',
      'open_url',
      'search_arxiv',
      'search_bing',
      'set_timer',
    ]);
  });

  it('is never shown to the model', async () => {
    const { getPromptFormat, FORMAT_IDS } = await import('../../../../src/lib/formats/index.ts');
    const spec = {
      name: 'open_url',
      confirm: true,
      parameters: { type: 'object', properties: { url: { type: 'string' } } },
    };
    for (const id of FORMAT_IDS) {
      const built = getPromptFormat(id).build({
        functions: [spec],
        turns: [{ role: 'user', content: 'hi' }],
        toolChoice: 'auto',
      });
      expect(JSON.stringify(built.request), id).not.toMatch(/confirm/);
    }
  });
});
