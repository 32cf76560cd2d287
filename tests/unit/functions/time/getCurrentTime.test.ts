import { describe, expect, it } from 'vitest';
import { createGetCurrentTime } from '../../../../src/functions/time/getCurrentTime.ts';
import { resolveTimeZone } from '../../../../src/functions/time/resolveTimeZone.ts';
import { InvalidArgumentError } from '../../../../src/functions/functionErrors.ts';
import { fakeBrowserApis, signal } from '../fakeBrowserApis.ts';

// 2026-03-03T05:05:09Z: winter time in the northern hemisphere, summer time in Sydney.
const fn = createGetCurrentTime(fakeBrowserApis());
const call = (args: Record<string, unknown>) => fn.handler(args, { signal });

describe('get_current_time', () => {
  it("defaults to the user's own time zone", async () => {
    await expect(call({})).resolves.toEqual({
      utc: '2026-03-03T05:05:09.000Z',
      localIso: '2026-03-03T06:05:09+01:00',
      localTime: 'Tuesday, March 3, 2026 at 6:05:09 AM',
      timeZone: 'Europe/Paris',
      utcOffset: '+01:00',
    });
  });

  it.each([
    ['Asia/Tokyo', 'Asia/Tokyo', '2026-03-03T14:05:09+09:00'],
    ['asia/tokyo', 'Asia/Tokyo', '2026-03-03T14:05:09+09:00'],
    ['Tokyo', 'Asia/Tokyo', '2026-03-03T14:05:09+09:00'],
    ['new york', 'America/New_York', '2026-03-03T00:05:09-05:00'],
    ['London', 'Europe/London', '2026-03-03T05:05:09+00:00'],
    ['Sydney', 'Australia/Sydney', '2026-03-03T16:05:09+11:00'],
    ['São Paulo', 'America/Sao_Paulo', '2026-03-03T02:05:09-03:00'],
    ['Mumbai', 'Asia/Kolkata', '2026-03-03T10:35:09+05:30'],
    ['Asia/Kolkata', 'Asia/Kolkata', '2026-03-03T10:35:09+05:30'],
    ['UTC', 'UTC', '2026-03-03T05:05:09+00:00'],
  ])('%s → %s', async (timezone, zone, localIso) => {
    await expect(call({ timezone })).resolves.toMatchObject({
      timeZone: zone,
      localIso,
      utc: '2026-03-03T05:05:09.000Z',
    });
  });

  it('follows daylight saving time', async () => {
    const summer = createGetCurrentTime(fakeBrowserApis({ now: () => new Date('2026-07-01T12:00:00Z') }));
    await expect(summer.handler({ timezone: 'Paris' }, { signal })).resolves.toMatchObject({
      utcOffset: '+02:00',
      localIso: '2026-07-01T14:00:00+02:00',
    });
  });

  it('treats a blank timezone as none given', async () => {
    await expect(call({ timezone: '  ' })).resolves.toMatchObject({ timeZone: 'Europe/Paris' });
  });

  it('refuses an unknown zone with a message that says what to use', async () => {
    await expect(call({ timezone: 'Narnia' })).rejects.toThrow(InvalidArgumentError);
    expect(() => resolveTimeZone('Mars/Olympus')).toThrow(
      /Unknown time zone "Mars\/Olympus".*IANA time zone such as "Asia\/Tokyo"/,
    );
    await expect(call({ timezone: 42 })).rejects.toThrow('"timezone" must be text.');
  });

  it('says in its spec that the argument is optional with a default', () => {
    expect(fn.spec.parameters.required).toEqual([]);
    expect(fn.spec.parameters.properties?.timezone?.description).toMatch(/Optional.*Default/);
  });
});
