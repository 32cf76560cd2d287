/** A time zone the model names (an IANA zone or a major city) as the canonical IANA zone. */
import { InvalidArgumentError } from '../functionErrors.ts';
import { CITY_TIME_ZONES } from './cityTimeZones.ts';

/**
 * Turns an IANA zone (any case) or a major city name into a canonical IANA zone.
 * @throws InvalidArgumentError naming the value when it is neither.
 */
export function resolveTimeZone(input: string): string {
  const city =
    CITY_TIME_ZONES[
      input
        .trim()
        .toLowerCase()
        .replace(/[_\s]+/g, ' ')
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
    ];
  const candidate = city ?? input.trim().replace(/\s+/g, '_');
  let canonical: string;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: candidate }).resolvedOptions().timeZone;
  } catch (error) {
    throw new InvalidArgumentError(
      'timezone',
      `Unknown time zone "${input}". Use an IANA time zone such as "Asia/Tokyo" or "Europe/Paris", or a major city such as "Tokyo", "London" or "New York".`,
      { cause: error },
    );
  }
  // ICU may answer with a legacy alias (Asia/Kolkata → Asia/Calcutta): keep the modern name given,
  // and use ICU's spelling only to fix its case ("asia/tokyo" → "Asia/Tokyo").
  if (canonical.toLowerCase() === candidate.toLowerCase()) return canonical;
  const lower = candidate.toLowerCase();
  return Intl.supportedValuesOf('timeZone').find((zone) => zone.toLowerCase() === lower) ?? candidate;
}
