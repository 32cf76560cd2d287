import { describe, expect, it } from 'vitest';
import { ToolServersState, TOOL_SERVERS_KEY } from '../../../src/ui/state/toolServers.svelte.ts';
import type { ConnectOptions, ServerConnection } from '../../../src/mcp/mcpClient.ts';
import { FunctionRegistry } from '../../../src/lib/dispatch/registry.ts';
import { dispatch } from '../../../src/lib/dispatch/dispatch.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';

const URL_A = 'http://localhost:4000/mcp';
const object = { type: 'object', properties: { a: { type: 'number' } } };

/** A connector whose server lists `add` and `fail`, and records each call. */
function fakeServers(options: { refuse?: string } = {}) {
  const calls: { url: string; tool: string; args: unknown; token: string | undefined }[] = [];
  const connects: ConnectOptions[] = [];
  const connect = (opts: ConnectOptions): Promise<ServerConnection> => {
    connects.push(opts);
    if (options.refuse) return Promise.reject(new Error(options.refuse));
    return Promise.resolve({
      transport: 'streamable-http',
      serverInfo: 'fake 1',
      tools: [
        { name: 'add', description: 'Adds.', inputSchema: object },
        { name: 'fail', inputSchema: object },
      ],
      callTool: (tool, args) => {
        calls.push({ url: opts.url, tool, args, token: opts.token });
        return Promise.resolve(
          tool === 'fail'
            ? { isError: true, content: [{ type: 'text', text: 'no such order' }] }
            : { content: [{ type: 'text', text: 'sum 3' }], structuredContent: { sum: 3 } },
        );
      },
      close: () => Promise.resolve(),
    });
  };
  return { connect, calls, connects };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function registryOf(state: ToolServersState): FunctionRegistry {
  const registry = new FunctionRegistry();
  for (const f of state.functions) registry.register(f.spec, f.handler);
  return registry;
}

describe('ToolServersState', () => {
  it('refuses a host the page may not reach, and saves and contacts nothing', () => {
    const storage = new MemoryStorage();
    const fake = fakeServers();
    const state = new ToolServersState({ storage, connect: fake.connect });
    const result = state.add({ url: 'https://tools.example.com/mcp' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain('may not connect to https://tools.example.com');
    expect(fake.connects).toEqual([]);
    expect(storage.getItem(TOOL_SERVERS_KEY)).toBeNull();
  });

  it('registers the admitted tools as <server>__<tool>, asking first, and runs them on their server', async () => {
    const fake = fakeServers();
    const state = new ToolServersState({ storage: new MemoryStorage(), connect: fake.connect });
    expect(state.add({ url: URL_A, name: 'demo', token: ' t0k ' }).ok).toBe(true);
    await settle();
    expect(state.servers[0]?.status).toEqual({
      kind: 'connected',
      transport: 'streamable-http',
      serverInfo: 'fake 1',
      signedIn: false,
    });
    expect(state.functions.map((f) => [f.spec.name, f.spec.confirm])).toEqual([
      ['demo__add', true],
      ['demo__fail', true],
    ]);
    expect(state.serverFor('demo__add')?.url).toBe(URL_A);

    const registry = registryOf(state);
    const ok = await dispatch({ name: 'demo__add', arguments: { a: 1 } }, registry, { confirm: () => 'allow' });
    expect(ok).toMatchObject({ ok: true, value: { text: 'sum 3', structuredContent: { sum: 3 } } });
    expect(fake.calls).toEqual([{ url: URL_A, tool: 'add', args: { a: 1 }, token: 't0k' }]);
    const failed = await dispatch({ name: 'demo__fail', arguments: {} }, registry, { confirm: () => 'allow' });
    expect(failed).toMatchObject({
      ok: false,
      error: { kind: 'thrown', message: 'demo__fail failed: the server reported an error: no such order' },
    });
    // Denied: the server is not asked.
    await dispatch({ name: 'demo__add', arguments: { a: 2 } }, registry, { confirm: () => 'deny' });
    expect(fake.calls).toHaveLength(2);
  });

  it('keeps servers and switches for the next visit; a switched-off tool leaves the registry', async () => {
    const storage = new MemoryStorage();
    const fake = fakeServers();
    const state = new ToolServersState({ storage, connect: fake.connect });
    state.add({ url: URL_A, name: 'demo' });
    await settle();
    const id = state.servers[0]?.record.id ?? '';
    state.setToolEnabled(id, 'fail', false);
    expect(state.functions.map((f) => f.spec.name)).toEqual(['demo__add']);

    const next = new ToolServersState({ storage, connect: fake.connect });
    expect(next.functions).toEqual([]); // nothing is contacted before start()
    next.start();
    await settle();
    expect(next.functions.map((f) => f.spec.name)).toEqual(['demo__add']);
    expect(next.servers[0]?.record).toMatchObject({ name: 'demo', url: URL_A, disabled: ['fail'] });
  });

  it('refuses a tool whose name a user function already took, with the reason', async () => {
    const fake = fakeServers();
    const state = new ToolServersState({
      storage: new MemoryStorage(),
      connect: fake.connect,
      takenNames: () => ['demo__add'],
    });
    state.add({ url: URL_A, name: 'demo' });
    await settle();
    expect(state.functions.map((f) => f.spec.name)).toEqual(['demo__fail']);
    expect(state.servers[0]?.admission.refused).toEqual([
      { tool: 'add', reasons: ['Its name demo__add is already taken by another function.'] },
    ]);
  });

  it('shows why a server could not be reached, and removing it forgets "Always allow" for its tools', async () => {
    const revoked: string[] = [];
    const broken = new ToolServersState({
      storage: new MemoryStorage(),
      connect: fakeServers({ refuse: 'Nothing answers at http://localhost:4000.' }).connect,
    });
    broken.add({ url: URL_A });
    await settle();
    expect(broken.servers[0]?.status).toMatchObject({
      kind: 'error',
      message: 'Nothing answers at http://localhost:4000.',
      needsSignIn: false,
    });
    expect(broken.servers[0]?.record.name).toBe('localhost');

    const state = new ToolServersState({
      storage: new MemoryStorage(),
      connect: fakeServers().connect,
      revokeConsent: (name) => revoked.push(name),
    });
    state.add({ url: URL_A, name: 'demo' });
    await settle();
    state.remove(state.servers[0]?.record.id ?? '');
    expect(revoked).toEqual(['demo__add', 'demo__fail']);
    expect(state.servers).toEqual([]);
    expect(state.functions).toEqual([]);
  });

  it('refuses a second server with the same address or name', async () => {
    const state = new ToolServersState({ storage: new MemoryStorage(), connect: fakeServers().connect });
    state.add({ url: URL_A, name: 'demo' });
    expect(state.add({ url: URL_A, name: 'other' })).toEqual({ ok: false, error: 'This server is already added.' });
    expect(state.add({ url: 'http://localhost:4001/mcp', name: 'demo' })).toEqual({
      ok: false,
      error: 'Another server is already named demo.',
    });
    await settle();
  });
});
