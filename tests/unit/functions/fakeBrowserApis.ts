import type { BrowserApis, NotificationApi } from '../../../src/functions/browserApis.ts';

/** A recording stand-in for the browser, so handlers run in Node. Override any member per test. */
export interface FakeBrowser extends Omit<BrowserApis, 'notifications'> {
  /** Writable here so a test can install fakeNotifications after creating the fake. */
  notifications: NotificationApi | undefined;
  opened: string[];
  events: Event[];
  timers: { callback: () => void; ms: number }[];
  shown: { title: string; options: NotificationOptions }[];
}

export function fakeBrowserApis(overrides: Partial<BrowserApis> = {}): FakeBrowser {
  const fake: FakeBrowser = {
    opened: [],
    events: [],
    timers: [],
    shown: [],
    now: () => new Date('2026-03-03T05:05:09.000Z'),
    localTimeZone: () => 'Europe/Paris',
    geolocation: undefined,
    permissions: undefined,
    notifications: undefined,
    clipboard: undefined,
    openTab(url) {
      fake.opened.push(url);
      return true;
    },
    dispatchEvent(event) {
      fake.events.push(event);
    },
    setTimeout(callback, ms) {
      fake.timers.push({ callback, ms });
      return fake.timers.length;
    },
    ...overrides,
  };
  return fake;
}

export function fakeNotifications(
  fake: FakeBrowser,
  initial: NotificationPermission,
  answer: NotificationPermission,
): NotificationApi {
  let permission = initial;
  return {
    get permission() {
      return permission;
    },
    requestPermission: async () => {
      permission = answer;
      return answer;
    },
    show: (title, options) => void fake.shown.push({ title, options }),
  };
}

export const signal = new AbortController().signal;
