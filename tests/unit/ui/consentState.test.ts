import { describe, expect, it } from 'vitest';
import { ALWAYS_ALLOW_KEY, ConsentState } from '../../../src/ui/state/consent.svelte.ts';
import type { ConsentDecision, ConsentRequest } from '../../../src/lib/types/dispatch.ts';

/** A Map-backed Storage, like the one settings.test.ts uses. */
function memoryStorage(initial: Record<string, string> = {}): Storage {
  const map = new Map(Object.entries(initial));
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}

function request(name: string, callId: string, signal = new AbortController().signal): ConsentRequest {
  return {
    callId,
    call: { name, arguments: { url: 'https://example.com' } },
    spec: { name, confirm: true, parameters: { type: 'object' } },
    signal,
  };
}

const settle = async (value: ConsentDecision | Promise<ConsentDecision>) => value;

describe('ConsentState', () => {
  it('holds a question until the user answers, then resolves with the answer', async () => {
    const consent = new ConsentState();
    const answer = settle(consent.confirm(request('open_url', 'c1')));
    expect(consent.pending).toEqual([{ callId: 'c1', name: 'open_url', arguments: { url: 'https://example.com' } }]);
    consent.answer('c1', 'deny');
    expect(await answer).toBe('deny');
    expect(consent.pending).toEqual([]);
  });

  it('"always" allows this call and the other open ones for the function, and later calls without asking', async () => {
    const storage = memoryStorage();
    const consent = new ConsentState({ storage });
    const first = settle(consent.confirm(request('open_url', 'c1')));
    const second = settle(consent.confirm(request('open_url', 'c2')));
    const other = settle(consent.confirm(request('delete_note', 'c3')));
    consent.answer('c1', 'always');
    expect(await first).toBe('allow');
    expect(await second).toBe('allow');
    expect(consent.pending.map((p) => p.callId)).toEqual(['c3']);
    expect(consent.confirm(request('open_url', 'c4'))).toBe('allow');
    expect(JSON.parse(storage.getItem(ALWAYS_ALLOW_KEY) ?? '')).toEqual(['open_url']);
    consent.answer('c3', 'allow');
    expect(await other).toBe('allow');
    expect(consent.isAlwaysAllowed('delete_note')).toBe(false); // a one-off allow is not remembered
  });

  it('remembers "always allow" across instances (a reload) and forgets it when revoked', async () => {
    const storage = memoryStorage();
    const before = new ConsentState({ storage });
    const answer = settle(before.confirm(request('open_url', 'c1')));
    before.answer('c1', 'always');
    await answer;
    const reloaded = new ConsentState({ storage });
    expect(reloaded.alwaysAllowed).toEqual(['open_url']);
    expect(reloaded.confirm(request('open_url', 'c2'))).toBe('allow');
    reloaded.revoke('open_url');
    expect(new ConsentState({ storage }).alwaysAllowed).toEqual([]);
    const asked = reloaded.confirm(request('open_url', 'c3'));
    expect(asked).toBeInstanceOf(Promise);
    expect(reloaded.pending).toHaveLength(1);
  });

  it('withdraws the question when the request is aborted', async () => {
    const consent = new ConsentState();
    const controller = new AbortController();
    const answer = settle(consent.confirm(request('open_url', 'c1', controller.signal)));
    controller.abort();
    expect(await answer).toBe('deny');
    expect(consent.pending).toEqual([]);
    consent.answer('c1', 'always'); // too late: ignored
    expect(consent.alwaysAllowed).toEqual([]);
  });

  it('ignores stored values that are not function names', () => {
    const storage = memoryStorage({ [ALWAYS_ALLOW_KEY]: JSON.stringify(['open_url', 42, 'not a name', 'open_url']) });
    expect(new ConsentState({ storage }).alwaysAllowed).toEqual(['open_url']);
    expect(new ConsentState({ storage: memoryStorage({ [ALWAYS_ALLOW_KEY]: '{oops' }) }).alwaysAllowed).toEqual([]);
  });
});
