/**
 * Two tabs over one localStorage, one IndexedDB and one 'callama-store' channel: function toggles,
 * user functions, settings and custom models are changed, never overwritten with a stale copy.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { FunctionsState } from '../../../src/ui/state/functions.svelte.ts';
import { SettingsState } from '../../../src/ui/state/settings.svelte.ts';
import { CustomModelsState } from '../../../src/ui/state/customModels.svelte.ts';
import { UserFunctionStore } from '../../../src/functions/userFunctionStore.ts';
import type { BuiltinFunction } from '../../../src/functions/builtinFunction.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';
import { channelPair, closeChannels, delivered } from '../../doubles/twoTabs.ts';

afterEach(closeChannels);

const sandbox = { compile: async () => ({ ok: true as const }), run: async () => 'ran' };
const builtin = (name: string): BuiltinFunction => ({
  id: name,
  label: name,
  enabledByDefault: true,
  spec: { name, description: name, parameters: { type: 'object', properties: {} } },
  handler: () => name,
});
const builtins = [builtin('get_time'), builtin('calculate')];
const definition = (name: string) =>
  JSON.stringify({ name, description: `does ${name}`, parameters: { type: 'object', properties: {} } });
const enabled = (state: FunctionsState) => Object.fromEntries(state.all.map((f) => [f.id, f.enabled]));

function twoTabs() {
  const storage = new MemoryStorage();
  const factory = new IDBFactory();
  const [ca, cb] = channelPair();
  const tab = (channel: typeof ca) =>
    new FunctionsState({ builtins, store: new UserFunctionStore(factory), sandbox, storage, channel });
  return { storage, factory, a: tab(ca), b: tab(cb) };
}

describe('functions across tabs', () => {
  it('merges built-in toggles made in both tabs', async () => {
    const { storage, a, b } = twoTabs();
    a.toggle('get_time', false);
    b.toggle('calculate', false); // B never heard of A's toggle before writing
    expect(JSON.parse(storage.getItem('callama:functionToggles') ?? '{}')).toEqual({
      get_time: false,
      calculate: false,
    });
    await delivered();
    expect(enabled(a)).toMatchObject({ get_time: false, calculate: false });
    expect(enabled(b)).toMatchObject({ get_time: false, calculate: false });
  });

  it('keeps user functions added in both tabs, and a toggle never brings back a deleted one', async () => {
    const { factory, a, b } = twoTabs();
    await Promise.all([a.ready, b.ready]);
    expect(await a.addUserFunction({ definition: definition('one'), code: 'return 1;' })).toEqual({
      ok: true,
      name: 'one',
    });
    expect(await b.addUserFunction({ definition: definition('two'), code: 'return 2;' })).toEqual({
      ok: true,
      name: 'two',
    });
    await delivered();
    expect(a.all.filter((f) => !f.builtin).map((f) => f.id)).toEqual(['user:one', 'user:two']);
    expect(b.all.filter((f) => !f.builtin).map((f) => f.id)).toEqual(['user:one', 'user:two']);

    await a.deleteUserFunction('one');
    b.toggle('user:one', false); // before the broadcast: B still lists it
    await delivered();
    const stored = await new UserFunctionStore(factory).list();
    expect(stored.map((d) => d.spec.name)).toEqual(['two']);
    expect(b.all.some((f) => f.id === 'user:one')).toBe(false);
  });

  it('refuses a name another tab has just taken instead of replacing its function', async () => {
    const { factory, a, b } = twoTabs();
    await Promise.all([a.ready, b.ready]);
    await a.addUserFunction({ definition: definition('same'), code: 'return "a";' });
    const result = await b.addUserFunction({ definition: definition('same'), code: 'return "b";' });
    expect(result.ok).toBe(false);
    expect((await new UserFunctionStore(factory).list()).map((d) => d.code)).toEqual(['return "a";']);
  });
});

describe('settings and custom models across tabs', () => {
  it('keeps a setting changed in each tab, and shows the other tab’s after the broadcast', async () => {
    const storage = new MemoryStorage();
    const [ca, cb] = channelPair();
    const a = new SettingsState(storage, ca);
    const b = new SettingsState(storage, cb);
    a.update({ temperature: 0.9 });
    b.update({ maxCalls: 7 }); // B's copy still has the old temperature
    b.setFormatOverride('m', 'hermes');
    await delivered();
    for (const s of [a, b, new SettingsState(storage, ca)]) {
      expect([s.temperature, s.maxCalls, s.formatOverride('m')]).toEqual([0.9, 7, 'hermes']);
    }
  });

  it('keeps a custom model added in one tab when the other removes a different one', async () => {
    const storage = new MemoryStorage();
    const [ca, cb] = channelPair();
    const record = (id: string) => ({
      id,
      displayName: id,
      modelUrl: `https://example.com/${id}/`,
      modelLibUrl: 'https://example.com/lib.wasm',
      formatId: 'hermes',
      requiredFeatures: [],
    });
    storage.setItem('callama:customModels', JSON.stringify([record('old')]));
    const a = new CustomModelsState(storage, ca);
    const b = new CustomModelsState(storage, cb);
    storage.setItem('callama:customModels', JSON.stringify([record('old'), record('new')])); // as A's add would
    b.remove('old');
    await delivered();
    expect(JSON.parse(storage.getItem('callama:customModels') ?? '[]')).toEqual([record('new')]);
    expect(b.all.map((m) => m.id)).toEqual(['new']);
    expect(a.all.map((m) => m.id)).toEqual(['new']);
  });
});
