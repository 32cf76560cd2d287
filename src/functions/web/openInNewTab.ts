import type { BrowserApis } from '../browserApis.ts';
import { BrowserFeatureError } from '../functionErrors.ts';

/**
 * Opens an already-checked http(s) URL in a new tab.
 * @throws BrowserFeatureError ('popup', 'denied') when the pop-up blocker stops it; calls made by the
 *   model come without a click, so browsers often block them. The message carries the URL.
 */
export function openInNewTab(apis: BrowserApis, url: string): { opened: string } {
  if (!apis.openTab(url)) {
    throw new BrowserFeatureError(
      'popup',
      'denied',
      `The browser blocked the new tab. Allow pop-ups for this site (the icon at the right of the address bar), or open the link yourself: ${url}`,
    );
  }
  return { opened: url };
}
