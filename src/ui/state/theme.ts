/**
 * Puts the Settings theme on <html data-theme>, where app.css turns it into a fixed `color-scheme`
 * (every colour is a light-dark() pair); "system" removes it, so prefers-color-scheme decides.
 * public/theme.js does the same before first paint; this keeps it in step afterwards (a change in
 * Settings, or in another tab).
 */
import type { Theme } from './settings.svelte.ts';

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
}
