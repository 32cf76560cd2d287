import type { BuiltinFunction } from '../builtinFunction.ts';
import { defaultBrowserApis, type BrowserApis } from '../browserApis.ts';
import { optionalString } from '../functionErrors.ts';

export interface CurrentTime {
  /** The instant in UTC, ISO 8601 (`2026-03-03T05:05:09.000Z`). */
  utc: string;
  /** Wall-clock time in the zone with its offset (`2026-03-03T14:05:09+09:00`). */
  localIso: string;
  /** For people: `Tuesday, March 3, 2026 at 2:05:09 PM`. */
  localTime: string;
  timeZone: string;
  /** `+09:00`, `-05:00`, `+00:00`. */
  utcOffset: string;
}

/** Describes `date` as seen in `timeZone` (which must be valid). */
export function describeTime(date: Date, timeZone: string): CurrentTime {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  // longOffset gives "GMT+09:00", or bare "GMT" for UTC itself.
  const utcOffset = (parts.timeZoneName ?? 'GMT').replace('GMT', '') || '+00:00';
  const localIso = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${utcOffset}`;
  const localTime = new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'full', timeStyle: 'medium' }).format(date);
  return { utc: date.toISOString(), localIso, localTime, timeZone, utcOffset };
}

export function createGetCurrentTime(apis: BrowserApis = defaultBrowserApis): BuiltinFunction {
  return {
    id: 'get_current_time',
    label: 'Current time',
    enabledByDefault: true,
    spec: {
      name: 'get_current_time',
      description:
        "Get the current date and time, in the user's time zone or in another one. Returns the local time, ISO timestamps and the UTC offset.",
      parameters: {
        type: 'object',
        properties: {
          timezone: {
            type: 'string',
            description:
              'Optional. An IANA time zone like "Asia/Tokyo" or a major city like "London". Default: the user\'s own time zone.',
          },
        },
        required: [],
      },
    },
    handler: async (args) => {
      const requested = optionalString(args, 'timezone');
      // The city table loads with the first request for another zone: the first screen does not need it.
      const timeZone =
        requested === undefined
          ? apis.localTimeZone()
          : (await import('./resolveTimeZone.ts')).resolveTimeZone(requested);
      return describeTime(apis.now(), timeZone);
    },
  };
}
