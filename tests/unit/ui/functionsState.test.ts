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
});
