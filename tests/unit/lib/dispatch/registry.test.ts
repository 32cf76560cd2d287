import { describe, expect, it } from 'vitest';
import { FunctionRegistry } from '../../../../src/lib/dispatch/registry.ts';
import { InvalidFunctionSpecError } from '../../../../src/lib/errors.ts';
import type { FunctionSpec } from '../../../../src/lib/types/functionSpec.ts';
import { getWeather, searchBing } from '../../../fixtures/corpus/functions.ts';

const noop = (): null => null;

describe('FunctionRegistry', () => {
  it('registers, finds, lists in order and unregisters', () => {
    const registry = new FunctionRegistry();
    registry.register(searchBing, noop);
    registry.register(getWeather, noop);
    expect(registry.size).toBe(2);
    expect(registry.has('get_weather')).toBe(true);
    expect(registry.get('search_bing')?.handler).toBe(noop);
    expect(registry.specs().map((s) => s.name)).toEqual(['search_bing', 'get_weather']);
    expect(registry.unregister('search_bing')).toBe(true);
    expect(registry.unregister('search_bing')).toBe(false);
    expect(registry.specs().map((s) => s.name)).toEqual(['get_weather']);
  });

  it('refuses an invalid definition with a typed error listing the reasons', () => {
    const registry = new FunctionRegistry();
    const bad = { name: 'bad name', parameters: { type: 'object', required: ['q'] } } as FunctionSpec;
    let caught: unknown;
    try {
      registry.register(bad, noop);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidFunctionSpecError);
    const error = caught as InvalidFunctionSpecError;
    expect(error.name).toBe('InvalidFunctionSpecError');
    expect(error.functionName).toBe('bad name');
    expect(error.reasons).toEqual([
      'The name "bad name" is not valid: use a letter or _ first, then letters, digits or _ (64 at most).',
      'The required argument "q" is not in "properties".',
    ]);
    expect(registry.size).toBe(0);
  });

  it('refuses a duplicate name and a handler that is not a function', () => {
    const registry = new FunctionRegistry();
    registry.register(searchBing, noop);
    expect(() => registry.register(searchBing, noop)).toThrow('A function named "search_bing" already exists.');
    expect(() => registry.register(getWeather, 'nope' as unknown as () => null)).toThrow(
      'The handler must be a function.',
    );
  });

  it('adds a checked definition as it is, still refusing a taken name', () => {
    const registry = new FunctionRegistry();
    registry.registerChecked({ spec: searchBing, handler: noop });
    expect(registry.get('search_bing')).toEqual({ spec: searchBing, handler: noop });
    // The name clash is still refused, whichever way the first one came in.
    expect(() => registry.registerChecked({ spec: searchBing, handler: noop })).toThrow(InvalidFunctionSpecError);
    expect(() => registry.register(searchBing, noop)).toThrow('A function named "search_bing" already exists.');
    registry.register(getWeather, noop);
    expect(() => registry.registerChecked({ spec: getWeather, handler: noop })).toThrow(
      'A function named "get_weather" already exists.',
    );
  });

  it('copies itself without some functions, leaving itself whole', () => {
    const registry = new FunctionRegistry();
    const other = (): string => 'other';
    registry.register(searchBing, noop);
    registry.register(getWeather, other);
    const kept = registry.without(['search_bing', 'not_there']);
    expect(kept.specs().map((s) => s.name)).toEqual(['get_weather']);
    expect(kept.get('get_weather')?.handler).toBe(other);
    expect(registry.specs().map((s) => s.name)).toEqual(['search_bing', 'get_weather']);
    // The copy is its own: changing it leaves the original alone.
    kept.unregister('get_weather');
    expect(registry.has('get_weather')).toBe(true);
  });
});
