import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { UserFunctionStore } from '../../../src/functions/userFunctionStore.ts';
import type { UserFunctionDef } from '../../../src/functions/userFunctions.ts';

const def = (name: string, createdAt: string, code = 'return 1;'): UserFunctionDef => ({
  spec: { name, description: `does ${name}`, parameters: { type: 'object', properties: {} } },
  code,
  enabled: true,
  createdAt,
});

describe('UserFunctionStore', () => {
  it('adds a whole import or nothing of it when a name is already stored', async () => {
    const store = new UserFunctionStore(new IDBFactory());
    await store.save(def('taken', '2026-03-03T05:00:00.000Z'));
    const batch = [def('fresh', '2026-03-03T06:00:00.000Z'), def('taken', '2026-03-03T06:00:01.000Z', 'return 2;')];
    expect(await store.addAll(batch)).toEqual(['taken']);
    expect((await store.list()).map((d) => [d.spec.name, d.code])).toEqual([['taken', 'return 1;']]);
    expect(await store.addAll(batch.slice(0, 1))).toEqual([]);
    expect((await store.list()).map((d) => d.spec.name)).toEqual(['taken', 'fresh']);
  });

  it('saves, lists oldest first, replaces by name and deletes', async () => {
    const factory = new IDBFactory();
    const store = new UserFunctionStore(factory);
    await store.save(def('second', '2026-03-03T06:00:00.000Z'));
    await store.save(def('first', '2026-03-03T05:00:00.000Z'));
    await store.save({ ...def('second', '2026-03-03T06:00:00.000Z', 'return 2;'), enabled: false });
    expect((await store.list()).map((d) => [d.spec.name, d.code, d.enabled])).toEqual([
      ['first', 'return 1;', true],
      ['second', 'return 2;', false],
    ]);
    await store.delete('first');
    store.close();
    // A new instance over the same database sees what was saved.
    expect((await new UserFunctionStore(factory).list()).map((d) => d.spec.name)).toEqual(['second']);
  });

  it('renames in one step when given the previous name', async () => {
    const store = new UserFunctionStore(new IDBFactory());
    await store.save(def('old_name', '2026-03-03T05:00:00.000Z'));
    await store.save(def('new_name', '2026-03-03T05:00:00.000Z'), 'old_name');
    expect((await store.list()).map((d) => d.spec.name)).toEqual(['new_name']);
  });
});
