import { describe, expect, it } from 'vitest';
import { createSetTimer, formatDuration, TIMER_EVENT, type TimerEventDetail } from '../../../src/functions/setTimer.ts';
import { createCopyToClipboard } from '../../../src/functions/copyToClipboard.ts';
import { createGetLocation } from '../../../src/functions/getLocation.ts';
import { BrowserFeatureError, InvalidArgumentError } from '../../../src/functions/functionErrors.ts';
import { fakeBrowserApis, fakeNotifications, signal } from './fakeBrowserApis.ts';

describe('set_timer', () => {
  it('returns when set, with the due time, and notifies when it fires', async () => {
    const fake = fakeBrowserApis();
    fake.notifications = fakeNotifications(fake, 'default', 'granted');
    const result = await createSetTimer(fake).handler({ minutes: 2, seconds: 30, label: 'Tea' }, { signal });
    expect(result).toEqual({ label: 'Tea', durationSeconds: 150, dueAt: '2026-03-03T05:07:39.000Z', willNotify: true });
    expect(fake.timers.map((t) => t.ms)).toEqual([150_000]);
    expect(fake.shown).toEqual([]);
    fake.timers[0]?.callback();
    expect(fake.shown).toEqual([
      {
        title: 'Tea',
        options: { body: 'Your 2 minutes 30 seconds timer is done.', tag: 'callama-timer-2026-03-03T05:07:39.000Z' },
      },
    ]);
    const event = fake.events[0];
    expect(event?.type).toBe(TIMER_EVENT);
    expect((event as CustomEvent<TimerEventDetail>).detail).toEqual({
      label: 'Tea',
      dueAt: '2026-03-03T05:07:39.000Z',
      notified: true,
    });
  });

  it('still fires the page event when notifications are refused', async () => {
    const fake = fakeBrowserApis();
    fake.notifications = fakeNotifications(fake, 'default', 'denied');
    const result = await createSetTimer(fake).handler({ seconds: '10' }, { signal });
    expect(result).toMatchObject({ label: 'Timer', durationSeconds: 10, willNotify: false });
    fake.timers[0]?.callback();
    expect(fake.shown).toEqual([]);
    expect((fake.events[0] as CustomEvent<TimerEventDetail>).detail).toMatchObject({ label: 'Timer', notified: false });
  });

  it('does not ask again once notifications are denied, and works without the Notification API', async () => {
    const denied = fakeBrowserApis();
    let asked = false;
    denied.notifications = {
      permission: 'denied',
      requestPermission: async () => {
        asked = true;
        return 'granted';
      },
      show: () => undefined,
    };
    await createSetTimer(denied).handler({ seconds: 1 }, { signal });
    expect(asked).toBe(false);
    const none = fakeBrowserApis();
    await expect(createSetTimer(none).handler({ seconds: 1 }, { signal })).resolves.toMatchObject({
      willNotify: false,
    });
  });

  it.each([
    [{}, 'Give the duration as "seconds" or "minutes"'],
    [{ seconds: 0 }, 'more than 0 seconds'],
    [{ seconds: -5 }, '"seconds" must be a positive number'],
    [{ minutes: 'soon' }, '"minutes" must be a positive number, got "soon"'],
    [{ minutes: 60 * 25 }, 'at most 24 hours'],
  ])('refuses %j', async (args, message) => {
    const fake = fakeBrowserApis();
    await expect(createSetTimer(fake).handler(args, { signal })).rejects.toThrow(InvalidArgumentError);
    await expect(createSetTimer(fake).handler(args, { signal })).rejects.toThrow(message);
    expect(fake.timers).toEqual([]);
  });

  it('formats durations for people', () => {
    expect([
      formatDuration(1),
      formatDuration(45),
      formatDuration(60),
      formatDuration(61),
      formatDuration(90.5),
    ]).toEqual(['1 second', '45 seconds', '1 minute', '1 minute 1 second', '1 minute 30.5 seconds']);
  });
});

describe('copy_to_clipboard', () => {
  it('writes the text', async () => {
    const written: string[] = [];
    const fake = fakeBrowserApis({ clipboard: { writeText: async (t) => void written.push(t) } });
    await expect(createCopyToClipboard(fake).handler({ text: 'héllo' }, { signal })).resolves.toEqual({ copied: 5 });
    expect(written).toEqual(['héllo']);
  });

  it('explains a refusal', async () => {
    const fake = fakeBrowserApis({
      clipboard: {
        writeText: async () => {
          throw new DOMException('Document is not focused.', 'NotAllowedError');
        },
      },
    });
    const call = createCopyToClipboard(fake).handler({ text: 'x' }, { signal });
    await expect(call).rejects.toThrow(BrowserFeatureError);
    await expect(call).rejects.toThrow('did not allow writing to the clipboard');
  });

  it('explains a missing clipboard', async () => {
    await expect(createCopyToClipboard(fakeBrowserApis()).handler({ text: 'x' }, { signal })).rejects.toThrow(
      'needs a secure https page',
    );
  });
});

describe('get_location', () => {
  const position = {
    coords: { latitude: 48.8566, longitude: 2.3522, accuracy: 25.4 },
    timestamp: Date.parse('2026-03-03T05:05:00Z'),
  } as GeolocationPosition;
  const permissions = (state: PermissionState) => ({ query: async () => ({ state }) as PermissionStatus });

  it('returns the position', async () => {
    const fake = fakeBrowserApis({
      permissions: permissions('granted'),
      geolocation: { getCurrentPosition: (ok) => ok(position) },
    });
    await expect(createGetLocation(fake).handler({}, { signal })).resolves.toEqual({
      latitude: 48.8566,
      longitude: 2.3522,
      accuracyMeters: 25,
      measuredAt: '2026-03-03T05:05:00.000Z',
    });
  });

  it('explains how to allow location when the permission is denied, without asking', async () => {
    let asked = false;
    const fake = fakeBrowserApis({
      permissions: permissions('denied'),
      geolocation: {
        getCurrentPosition: () => {
          asked = true;
        },
      },
    });
    const call = createGetLocation(fake).handler({}, { signal });
    await expect(call).rejects.toMatchObject({ name: 'BrowserFeatureError', reason: 'denied' });
    await expect(call).rejects.toThrow(/blocked for this site.*set Location to "Allow"/);
    expect(asked).toBe(false);
  });

  it.each([
    [1, 'denied', 'Location access was refused'],
    [2, 'failed', 'The location is not available: no fix.'],
    [3, 'timeout', 'could not be found within 15 seconds'],
  ])('maps position error code %i', async (code, reason, message) => {
    const fake = fakeBrowserApis({
      geolocation: {
        getCurrentPosition: (_ok, fail) => fail?.({ code, message: 'no fix' } as GeolocationPositionError),
      },
    });
    const call = createGetLocation(fake).handler({}, { signal });
    await expect(call).rejects.toMatchObject({ reason });
    await expect(call).rejects.toThrow(message);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const fake = fakeBrowserApis({ geolocation: { getCurrentPosition: () => undefined } });
    const call = createGetLocation(fake).handler({}, { signal: controller.signal });
    controller.abort(new Error('stopped by user'));
    await expect(call).rejects.toThrow('stopped by user');
  });

  it('reports a browser without geolocation', async () => {
    await expect(createGetLocation(fakeBrowserApis()).handler({}, { signal })).rejects.toThrow(
      'cannot share its location',
    );
  });
});
