import { afterEach, describe, expect, it } from 'vitest';
import { LazyToolServers } from '../../../src/ui/state/lazyToolServers.svelte.ts';
import { ToolServersState } from '../../../src/ui/state/toolServers.svelte.ts';
import type { ConnectOptions, ServerConnection } from '../../../src/mcp/mcpClient.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';
import { channelPair, closeChannels } from '../../doubles/twoTabs.ts';
import type { StoreChannel } from '../../../src/ui/persistence/storeChannel.ts';

const URL_A = 'http://localhost:4000/mcp';
const object = { type: 'object', properties: { a: { type: 'number' } } };

/** A server that lists one tool, `add`; records each connection. */
function fakeConnect(connects: string[]) {
  return (options: ConnectOptions): Promise<ServerConnection> => {
    connects.push(options.url);
    return Promise.resolve({
      transport: 'streamable-http',
      serverInfo: 'fake 1',
      tools: [{ name: 'add', description: 'Adds.', inputSchema: object }],
      callTool: () => Promise.resolve({ content: [{ type: 'text', text: '3' }] }),
      close: () => Promise.resolve(),
    });
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

/** One tab's tool servers, the way the composition root builds them; `built` counts the states made. */
function tab(storage: MemoryStorage, channel: StoreChannel, connects: string[]) {
  const built: ToolServersState[] = [];
  const servers = new LazyToolServers({
    storage,
    channel,
    create: () => {
      const state = new ToolServersState({ storage, channel, connect: fakeConnect(connects) });
      built.push(state);
      return Promise.resolve(state);
    },
  });
  return { servers, built };
}

afterEach(closeChannels);

describe('LazyToolServers', () => {
  it('with no saved server, the start builds nothing and contacts nothing', async () => {
    const [channel] = channelPair();
    const connects: string[] = [];
    const { servers, built } = tab(new MemoryStorage(), channel, connects);
    servers.start();
    await settle();
    expect(built).toEqual([]);
    expect(servers.functions).toEqual([]);
    expect(servers.serverFor('demo__add')).toBeUndefined();
  });

  it("with a saved server, the start connects it and its tools are the chat's again (a reload)", async () => {
    const storage = new MemoryStorage();
    const [channel] = channelPair();
    const connects: string[] = [];
    const first = tab(storage, channel, connects);
    expect((await first.servers.load()).add({ url: URL_A, name: 'demo' }).ok).toBe(true);

    const reloaded = tab(storage, channel, connects);
    reloaded.servers.start();
    await settle();
    expect(reloaded.built).toHaveLength(1);
    expect(reloaded.servers.functions.map((f) => f.spec.name)).toEqual(['demo__add']);
    expect(reloaded.servers.serverFor('demo__add')?.url).toBe(URL_A);
    expect(connects).toEqual([URL_A, URL_A]);
  });

  it('a server saved in another tab is loaded and connected in this one', async () => {
    const storage = new MemoryStorage();
    const [channelA, channelB] = channelPair();
    const connects: string[] = [];
    const a = tab(storage, channelA, connects);
    const b = tab(storage, channelB, connects);
    b.servers.start();
    expect((await a.servers.load()).add({ url: URL_A, name: 'demo' }).ok).toBe(true);
    await settle();
    expect(b.built).toHaveLength(1);
    expect(b.servers.functions.map((f) => f.spec.name)).toEqual(['demo__add']);
  });

  it('builds one state, however often Settings asks for it', async () => {
    const [channel] = channelPair();
    const { servers, built } = tab(new MemoryStorage(), channel, []);
    const [one, two] = await Promise.all([servers.load(), servers.load()]);
    expect(one).toBe(two);
    expect(await servers.load()).toBe(one);
    expect(built).toHaveLength(1);
  });

  it('a failed load can be tried again', async () => {
    const [channel] = channelPair();
    let attempts = 0;
    const servers = new LazyToolServers({
      storage: new MemoryStorage(),
      channel,
      create: () => {
        attempts += 1;
        return attempts === 1
          ? Promise.reject(new Error('chunk missing'))
          : Promise.resolve(new ToolServersState({ storage: new MemoryStorage() }));
      },
    });
    await expect(servers.load()).rejects.toThrow('chunk missing');
    await expect(servers.load()).resolves.toBeInstanceOf(ToolServersState);
    expect(attempts).toBe(2);
  });
});
