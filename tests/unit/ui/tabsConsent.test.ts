/**
 * Two tabs of the app over one localStorage and one 'callama-store' channel: "Ask again" in one tab
 * holds in the other from its very next call, and is never written back by the other tab.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ALWAYS_ALLOW_KEY, ConsentState } from '../../../src/ui/state/consent.svelte.ts';
import type { ConsentRequest } from '../../../src/lib/types/dispatch.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';
import { channelPair, closeChannels, delivered as nextMessage } from '../../doubles/twoTabs.ts';

afterEach(closeChannels);

/** Two tabs: each its own channel object (as in two pages), one storage. */
function twoTabs(): { storage: Storage; a: ConsentState; b: ConsentState } {
  const storage = new MemoryStorage();
  const [ca, cb] = channelPair();
  return { storage, a: new ConsentState({ storage, channel: ca }), b: new ConsentState({ storage, channel: cb }) };
}

function request(name: string, callId: string): ConsentRequest {
  return {
    callId,
    call: { name, arguments: {} },
    spec: { name, confirm: true, parameters: { type: 'object' } },
    signal: new AbortController().signal,
  };
}

describe('consent across tabs', () => {
  it('asks in tab B right after tab A revoked, before any broadcast arrived', async () => {
    const { a, b } = twoTabs();
    const first = b.confirm(request('open_url', 'c1'));
    b.answer('c1', 'always');
    expect(await first).toBe('allow');
    expect(b.confirm(request('open_url', 'c2'))).toBe('allow');

    a.revoke('open_url'); // A already read the list at start, even though it never showed it
    // Same task: no message has been delivered yet, and B still asks.
    const third = b.confirm(request('open_url', 'c3'));
    expect(third).toBeInstanceOf(Promise);
    expect(b.pendingFor('c3')?.name).toBe('open_url');
    b.answer('c3', 'deny');
    expect(await third).toBe('deny');
  });

  it('never writes the revoked function back when the other tab allows another one', async () => {
    const { storage, a, b } = twoTabs();
    const first = a.confirm(request('open_url', 'c1'));
    a.answer('c1', 'always');
    await first;
    await nextMessage();
    expect(b.alwaysAllowed).toEqual(['open_url']);

    a.revoke('open_url');
    const other = b.confirm(request('copy_to_clipboard', 'c2'));
    b.answer('c2', 'always'); // B's own copy may still list open_url: it must not be written back
    await other;
    expect(JSON.parse(storage.getItem(ALWAYS_ALLOW_KEY) ?? '[]')).toEqual(['copy_to_clipboard']);
    await nextMessage();
    expect(a.alwaysAllowed).toEqual(['copy_to_clipboard']);
    expect(b.alwaysAllowed).toEqual(['copy_to_clipboard']);
  });

  it('shows a revoke from the other tab once the broadcast arrives', async () => {
    const { a, b } = twoTabs();
    const first = a.confirm(request('open_url', 'c1'));
    a.answer('c1', 'always');
    await first;
    await nextMessage();
    expect(b.isAlwaysAllowed('open_url')).toBe(true);
    a.revoke('open_url');
    await nextMessage();
    expect(b.isAlwaysAllowed('open_url')).toBe(false);
    expect(b.alwaysAllowed).toEqual([]);
  });
});
