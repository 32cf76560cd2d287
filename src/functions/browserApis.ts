/**
 * The browser features the built-in functions use, behind one small object so handlers can be
 * unit-tested in Node with fakes. `defaultBrowserApis` reads the real globals at call time (never at
 * import), so importing a function module in Node does not touch `window`.
 */
export interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  show(title: string, options: NotificationOptions): void;
}

export interface BrowserApis {
  now(): Date;
  /** The user's time zone (IANA), e.g. 'Europe/Paris'. */
  localTimeZone(): string;
  readonly geolocation: Pick<Geolocation, 'getCurrentPosition'> | undefined;
  readonly permissions: Pick<Permissions, 'query'> | undefined;
  readonly notifications: NotificationApi | undefined;
  readonly clipboard: Pick<Clipboard, 'writeText'> | undefined;
  /**
   * Opens `url` in a new tab with no link back to this page.
   * @returns false when the browser blocked the pop-up.
   */
  openTab(url: string): boolean;
  /** Fires an event on `window` for the UI (e.g. `callama:timer`). */
  dispatchEvent(event: Event): void;
  setTimeout(callback: () => void, ms: number): unknown;
}

export const defaultBrowserApis: BrowserApis = {
  now: () => new Date(),
  localTimeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
  get geolocation() {
    return globalThis.navigator.geolocation;
  },
  get permissions() {
    return globalThis.navigator.permissions;
  },
  get notifications(): NotificationApi | undefined {
    if (typeof Notification === 'undefined') return undefined;
    return {
      get permission() {
        return Notification.permission;
      },
      requestPermission: () => Notification.requestPermission(),
      show: (title, options) => {
        new Notification(title, options);
      },
    };
  },
  get clipboard() {
    return globalThis.navigator.clipboard;
  },
  openTab(url) {
    // `window.open(url, '_blank', 'noopener')` always returns null, so a blocked pop-up could not be
    // told apart from an opened one. Open a blank tab instead, cut its link back to us, then navigate it.
    const tab = window.open('about:blank', '_blank');
    if (!tab) return false;
    tab.opener = null;
    tab.location.replace(url);
    return true;
  },
  dispatchEvent: (event) => void window.dispatchEvent(event),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
};
