import { describe, expect, it } from 'vitest';
import { FunctionsState } from '../../../src/ui/state/functions.svelte.ts';
import type { BuiltinFunction } from '../../../src/functions/builtinFunction.ts';
import type { UserFunctionDef } from '../../../src/functions/userFunctions.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';

class MemoryStore {
  defs: UserFunctionDef[] = [];
  async list() {
    return [...this.defs];
  }
  async add(def: UserFunctionDef) {
    if (this.defs.some((d) => d.spec.name === def.spec.name)) return false;
    this.defs = [...this.defs, def];
    return true;
  }
  async addAll(defs: UserFunctionDef[]) {
    const taken = defs.filter((d) => this.defs.some((e) => e.spec.name === d.spec.name)).map((d) => d.spec.name);
    if (taken.length === 0) this.defs = [...this.defs, ...defs];
    return taken;
  }
  async save(def: UserFunctionDef, previousName?: string) {
    this.defs = [...this.defs.filter((d) => d.spec.name !== (previousName ?? def.spec.name)), def];
  }
  async setEnabled(name: string, enabled: boolean) {
    const def = this.defs.find((d) => d.spec.name === name);
    if (!def) return undefined;
    const updated = { ...def, enabled };
    this.defs = this.defs.map((d) => (d === def ? updated : d));
    return updated;
  }
  async delete(name: string) {
    this.defs = this.defs.filter((d) => d.spec.name !== name);
  }
}

/** Compiles like the sandbox would (syntax only) and records what ran; user code never runs in the test process. */
const sandbox = {
  ran: [] as string[],
  async compile(code: string) {
    return /^return \{$/.test(code.trim())
      ? { ok: false as const, message: 'Unexpected end of input' }
      : { ok: true as const };
  },
  async run(code: string) {
    sandbox.ran.push(code);
    return 'ran in sandbox';
  },
};

const builtin = (name: string, enabledByDefault: boolean): BuiltinFunction => ({
  id: name,
  label: name,
  enabledByDefault,
  spec: { name, description: name, parameters: { type: 'object', properties: {} } },
  handler: () => name,
});

function setup(storage = new MemoryStorage(), store = new MemoryStore()) {
  const builtins = [builtin('get_time', true), builtin('calculate', true), builtin('get_location', false)];
  return { storage, store, state: new FunctionsState({ builtins, store, sandbox, storage }) };
}

const names = (state: FunctionsState) => state.registry.specs().map((s) => s.name);

describe('FunctionsState', () => {
  it('the registry holds the enabled built-ins only, by default as each says', () => {
    const { state } = setup();
    expect(names(state)).toEqual(['get_time', 'calculate']);
    expect(state.all.map((f) => [f.id, f.enabled])).toEqual([
      ['get_time', true],
      ['calculate', true],
      ['get_location', false],
    ]);
  });

  it('a toggle changes the registry at once and is remembered by the next visit', () => {
    const { state, storage } = setup();
    state.toggle('get_time', false);
    state.toggle('get_location', true);
    expect(names(state)).toEqual(['calculate', 'get_location']);
    const next = setup(storage).state;
    expect(names(next)).toEqual(['calculate', 'get_location']);
  });

  it('refuses an invalid user function with every reason and saves nothing', async () => {
    const { state, store } = setup();
    await state.ready;
    const result = await state.addUserFunction({
      definition: '{"name": "calculate", "parameters": {"type": "object"}}',
      code: 'return {',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.join('\n')).toContain('A function named "calculate" already exists');
    expect(result.errors.join('\n')).toContain('does not compile');
    expect(store.defs).toEqual([]);
  });

  it('saves a valid user function, lists it enabled, runs it through the sandbox, and deletes it', async () => {
    const { state, store, storage } = setup();
    await state.ready;
    const result = await state.addUserFunction({
      definition: JSON.stringify({
        function: 'shout',
        description: 'Capitals.',
        arguments: [{ name: 'text', type: 'string' }],
      }),
      code: 'return args.text.toUpperCase();',
    });
    expect(result).toEqual({ ok: true, name: 'shout' });
    expect(names(state)).toContain('shout');
    const value = await state.registry.get('shout')?.handler({ text: 'hi' }, { signal: new AbortController().signal });
    expect(value).toBe('ran in sandbox');
    expect(sandbox.ran).toContain('return args.text.toUpperCase();');

    const next = setup(storage, store).state;
    await next.ready;
    expect(next.all.find((f) => f.id === 'user:shout')).toMatchObject({ builtin: false, enabled: true });
    next.toggle('user:shout', false);
    expect(names(next)).not.toContain('shout');
    await next.deleteUserFunction('shout');
    expect(next.all.some((f) => f.id === 'user:shout')).toBe(false);
    expect(store.defs).toEqual([]);
  });

  describe('saved functions: edit, duplicate, export, import, try', () => {
    const shout = (name = 'shout') =>
      JSON.stringify({
        name,
        parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      });

    it('edits a function in place (renaming it), keeping whether it is on and its place in the list', async () => {
      const { state, store } = setup();
      await state.ready;
      await state.addUserFunction({ definition: shout('a_first'), code: 'return 1;' });
      await state.addUserFunction({ definition: shout(), code: 'return args.text;' });
      state.toggle('user:shout', false);
      const result = await state.updateUserFunction('shout', { definition: shout('yell'), code: 'return 2;' });
      expect(result).toEqual({ ok: true, name: 'yell' });
      const mine = state.all.filter((f) => !f.builtin);
      expect(mine.map((f) => [f.spec.name, f.enabled, f.code])).toEqual([
        ['a_first', true, 'return 1;'],
        ['yell', false, 'return 2;'],
      ]);
      expect(store.defs.map((d) => d.spec.name).sort()).toEqual(['a_first', 'yell']);
      // Its own old name is free; another function's name is not.
      const clash = await state.updateUserFunction('yell', { definition: shout('a_first'), code: 'return 2;' });
      expect(clash.ok ? [] : clash.errors).toEqual([
        expect.stringContaining('A function named "a_first" already exists'),
      ]);
    });

    it('duplicates under a free name, switched off', async () => {
      const { state } = setup();
      await state.ready;
      await state.addUserFunction({ definition: shout(), code: 'return 1;' });
      expect(await state.duplicateUserFunction('shout')).toEqual({ ok: true, name: 'shout_copy' });
      expect(await state.duplicateUserFunction('shout')).toEqual({ ok: true, name: 'shout_copy2' });
      expect(state.all.find((f) => f.spec.name === 'shout_copy')).toMatchObject({ enabled: false, code: 'return 1;' });
    });

    it('exports a file that imports back, and imports all or nothing, listing every refused function', async () => {
      const first = setup();
      await first.state.ready;
      await first.state.addUserFunction({ definition: shout(), code: 'return 1;' });
      await first.state.addUserFunction({ definition: shout('other'), code: 'return 2;' });
      const file = await first.state.exportUserFunctions();

      const second = setup();
      await second.state.ready;
      expect(await second.state.importUserFunctions(file)).toEqual({ ok: true, names: ['shout', 'other'] });
      expect(second.store.defs.map((d) => [d.spec.name, d.code])).toEqual([
        ['shout', 'return 1;'],
        ['other', 'return 2;'],
      ]);

      const third = setup();
      await third.state.ready;
      await third.state.addUserFunction({ definition: shout('other'), code: 'return 0;' });
      const parsed = JSON.parse(file) as { functions: { spec: { name: string }; code: string }[] };
      parsed.functions.push({ spec: { name: 'broken' }, code: 'return {' });
      const refused = await third.state.importUserFunctions(JSON.stringify(parsed));
      expect(refused).toEqual({
        ok: false,
        error: '2 functions were refused, so nothing was imported.',
        refused: [
          { name: 'other', reasons: ['Line 1, column 9: A function named "other" already exists.'] },
          {
            name: 'broken',
            reasons: ['The code does not compile: Unexpected end of input'],
          },
        ],
      });
      expect(third.store.defs.map((d) => d.spec.name)).toEqual(['other']);
      const notAFile = await third.state.importUserFunctions('{"functions": []}');
      expect(notAFile.ok ? '' : notAFile.error).toContain('not a Callama functions file');
    });

    it('tries a function in the sandbox after checking the arguments against its schema', async () => {
      const { state } = setup();
      await state.ready;
      await state.addUserFunction({ definition: shout(), code: 'return args.text.toUpperCase();' });
      expect(await state.tryUserFunction('shout', { text: 'hi' })).toEqual({ ok: true, value: 'ran in sandbox' });
      const wrong = await state.tryUserFunction('shout', { text: 3 });
      expect(wrong.ok ? '' : wrong.error).toContain('"text" must be a string');
    });
  });
});
