import type { RegisteredFunction } from '../lib/types/dispatch.ts';

/** Browser capabilities a function relies on, so the UI can explain or request them. */
export type BrowserNeed = 'geolocation' | 'notifications' | 'clipboard' | 'popup';

/** A function that ships with the app, shown in the function list with a toggle. */
export interface BuiltinFunction extends RegisteredFunction {
  /** Stable id for settings (the function name today; kept separate so names may change). */
  id: string;
  /** Short human name for the UI. */
  label: string;
  enabledByDefault: boolean;
  needs?: BrowserNeed[];
}
