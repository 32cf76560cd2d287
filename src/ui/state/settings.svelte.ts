/**
 * App-wide generation settings, kept in localStorage (small, read synchronously at start so the first
 * request already uses them). Values are clamped when set and when read back, so a hand-edited or old
 * stored value can never reach the engine out of range.
 *
 * Each change is applied to the CURRENT stored settings (persistence/sharedLocalValue.ts), so a change
 * made in another tab is kept, and other tabs show it once the 'callama-store' broadcast arrives.
 */
import { isFormatId, type FormatId } from '../../lib/formats/index.ts';
import { DEFAULT_GENERATION } from '../../lib/chat/chatSession.ts';
import { SharedLocalValue } from '../persistence/sharedLocalValue.ts';
import type { StoreChannel } from '../persistence/storeChannel.ts';

export interface SettingsValues {
  /** How many function calls one user message may chain. */
  maxCalls: number;
  temperature: number;
  maxTokens: number;
  /** Prompt format chosen by the user per model id, instead of the model's own. */
  formatOverrides: Record<string, FormatId>;
  /** Load the last-used model on start when it is in the browser cache (never downloads). */
  loadLastModel: boolean;
  /** Light, dark, or the system's (prefers-color-scheme); public/theme.js applies it before first paint. */
  theme: Theme;
  /** The system prompt new conversations start with (each conversation can then change its own). */
  defaultSystem: string;
}

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
const isTheme = (value: unknown): value is Theme => THEMES.some((t) => t === value);

export const DEFAULT_SETTINGS: SettingsValues = {
  ...DEFAULT_GENERATION,
  formatOverrides: {},
  loadLastModel: true,
  theme: 'system',
  defaultSystem: '',
};
export const LIMITS = {
  maxCalls: { min: 1, max: 10 },
  temperature: { min: 0, max: 2 },
  maxTokens: { min: 16, max: 4096 },
} as const;

/** Also read by public/theme.js (before the app starts): keep the two in step. */
export const SETTINGS_STORAGE_KEY = 'callama:settings';
const STORAGE_KEY = SETTINGS_STORAGE_KEY;

function clamp(value: unknown, limits: { min: number; max: number }, fallback: number, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  const v = integer ? Math.round(value) : value;
  return Math.min(limits.max, Math.max(limits.min, v));
}

/** Reads stored settings, keeping only valid values. */
export function sanitizeSettings(raw: unknown): SettingsValues {
  const o = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const overrides: Record<string, FormatId> = {};
  if (typeof o.formatOverrides === 'object' && o.formatOverrides !== null) {
    for (const [model, id] of Object.entries(o.formatOverrides))
      if (typeof id === 'string' && isFormatId(id)) overrides[model] = id;
  }
  return {
    maxCalls: clamp(o.maxCalls, LIMITS.maxCalls, DEFAULT_SETTINGS.maxCalls, true),
    temperature: clamp(o.temperature, LIMITS.temperature, DEFAULT_SETTINGS.temperature, false),
    maxTokens: clamp(o.maxTokens, LIMITS.maxTokens, DEFAULT_SETTINGS.maxTokens, true),
    formatOverrides: overrides,
    loadLastModel: typeof o.loadLastModel === 'boolean' ? o.loadLastModel : DEFAULT_SETTINGS.loadLastModel,
    theme: isTheme(o.theme) ? o.theme : DEFAULT_SETTINGS.theme,
    defaultSystem: typeof o.defaultSystem === 'string' ? o.defaultSystem : DEFAULT_SETTINGS.defaultSystem,
  };
}

function parseStored(text: string | null): SettingsValues {
  try {
    return sanitizeSettings(text ? JSON.parse(text) : {});
  } catch {
    // Unreadable stored text: start from the defaults rather than fail the app.
    return sanitizeSettings({});
  }
}

export class SettingsState {
  #values = $state.raw<SettingsValues>(DEFAULT_SETTINGS);
  readonly #stored: SharedLocalValue<SettingsValues>;

  constructor(storage: Storage | undefined = globalThis.localStorage, channel?: StoreChannel) {
    this.#stored = new SharedLocalValue({
      storage,
      key: STORAGE_KEY,
      parse: parseStored,
      channel,
      onChange: (v) => (this.#values = v),
    });
    this.#values = this.#stored.read();
  }

  get maxCalls(): number {
    return this.#values.maxCalls;
  }
  get temperature(): number {
    return this.#values.temperature;
  }
  get maxTokens(): number {
    return this.#values.maxTokens;
  }
  get loadLastModel(): boolean {
    return this.#values.loadLastModel;
  }
  get theme(): Theme {
    return this.#values.theme;
  }
  get defaultSystem(): string {
    return this.#values.defaultSystem;
  }

  /** The user's format for this model, if they chose one. */
  formatOverride(modelId: string): FormatId | undefined {
    return this.#values.formatOverrides[modelId];
  }

  update(patch: Partial<Omit<SettingsValues, 'formatOverrides'>>): void {
    this.#values = this.#stored.update((current) => sanitizeSettings({ ...current, ...patch }));
  }

  /** Chooses a format for a model; `undefined` goes back to the model's own. */
  setFormatOverride(modelId: string, formatId: FormatId | undefined): void {
    this.#values = this.#stored.update((current) => {
      const { [modelId]: _old, ...overrides } = current.formatOverrides;
      if (formatId) overrides[modelId] = formatId;
      return { ...current, formatOverrides: overrides };
    });
  }

  reset(): void {
    this.#values = this.#stored.update(() => sanitizeSettings({}));
  }
}
