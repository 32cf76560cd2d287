/*
 * Applies the theme chosen in Settings before the page is first painted, so a dark-theme user never
 * sees a white flash. A classic script loaded from the site (not inline: the Content-Security-Policy
 * allows scripts only from 'self'), run by the parser before <body>; the app then keeps <html
 * data-theme> in step (src/ui/state/theme.ts). "system" leaves color-scheme to prefers-color-scheme.
 * The key and field are those of src/ui/state/settings.svelte.ts.
 */
try {
  const theme = JSON.parse(localStorage.getItem('callama:settings') ?? '{}').theme;
  if (theme === 'light' || theme === 'dark') document.documentElement.setAttribute('data-theme', theme);
} catch {
  // Unreadable or blocked storage: the system's theme.
}
