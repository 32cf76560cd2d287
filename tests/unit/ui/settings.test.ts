import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsState, sanitizeSettings } from '../../../src/ui/state/settings.svelte.ts';

/** A Map-backed Storage, as localStorage behaves. */
function memoryStorage(initial: Record<string, string> = {}): Storage {
  const data = new Map(Object.entries(initial));
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, v),
  };
}

describe('SettingsState', () => {
  it('starts from the defaults: 4 chained calls', () => {
    const s = new SettingsState(memoryStorage());
    expect(s.maxCalls).toBe(4);
    expect(s.temperature).toBe(DEFAULT_SETTINGS.temperature);
    expect(s.maxTokens).toBe(DEFAULT_SETTINGS.maxTokens);
  });

  it('persists changes and reads them back in a new instance', () => {
    const storage = memoryStorage();
    const s = new SettingsState(storage);
    s.update({ maxCalls: 2, temperature: 0.7 });
    s.setFormatOverride('Llama-3.2-1B', 'hermes');
    const again = new SettingsState(storage);
    expect(again.maxCalls).toBe(2);
    expect(again.temperature).toBe(0.7);
    expect(again.formatOverride('Llama-3.2-1B')).toBe('hermes');
    again.setFormatOverride('Llama-3.2-1B', undefined);
    expect(new SettingsState(storage).formatOverride('Llama-3.2-1B')).toBeUndefined();
  });

  it('clamps out-of-range values and drops unknown formats from storage', () => {
    const storage = memoryStorage({
      'callama:settings': JSON.stringify({
        maxCalls: 99,
        temperature: -1,
        maxTokens: 'lots',
        formatOverrides: { a: 'nope', b: 'generic' },
      }),
    });
    const s = new SettingsState(storage);
    expect(s.maxCalls).toBe(10);
    expect(s.temperature).toBe(0);
    expect(s.maxTokens).toBe(DEFAULT_SETTINGS.maxTokens);
    expect(s.formatOverride('a')).toBeUndefined();
    expect(s.formatOverride('b')).toBe('generic');
  });

  it('survives unreadable storage', () => {
    expect(new SettingsState(memoryStorage({ 'callama:settings': '{not json' })).maxCalls).toBe(4);
    expect(sanitizeSettings(null)).toEqual(DEFAULT_SETTINGS);
  });

  it('loads the last model on start by default; turning it off is kept', () => {
    const storage = memoryStorage();
    const s = new SettingsState(storage);
    expect(s.loadLastModel).toBe(true);
    s.update({ loadLastModel: false });
    expect(new SettingsState(storage).loadLastModel).toBe(false);
    s.reset();
    expect(new SettingsState(storage).loadLastModel).toBe(true);
    // Not a boolean in storage: the default, not a truthy guess.
    expect(new SettingsState(memoryStorage({ 'callama:settings': '{"loadLastModel":"no"}' })).loadLastModel).toBe(true);
  });

  it('keeps the theme and the default system prompt, and refuses an unknown theme', () => {
    const storage = memoryStorage();
    const s = new SettingsState(storage);
    expect(s.theme).toBe('system');
    expect(s.defaultSystem).toBe('');
    s.update({ theme: 'dark', defaultSystem: 'Answer in French.' });
    const again = new SettingsState(storage);
    expect(again.theme).toBe('dark');
    expect(again.defaultSystem).toBe('Answer in French.');
    expect(
      new SettingsState(memoryStorage({ 'callama:settings': '{"theme":"sepia","defaultSystem":7}' })),
    ).toMatchObject({
      theme: 'system',
      defaultSystem: '',
    });
  });
});
