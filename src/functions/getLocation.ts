import type { BuiltinFunction } from './builtinFunction.ts';
import { defaultBrowserApis, type BrowserApis } from './browserApis.ts';
import { BrowserFeatureError } from './functionErrors.ts';

const TIMEOUT_MS = 15_000;
const HOW_TO_ALLOW =
  'To allow it, click the icon at the left of the address bar, set Location to "Allow" for this site, and ask again.';

export interface Location {
  latitude: number;
  longitude: number;
  accuracyMeters: number;
  /** When the position was measured, ISO 8601. */
  measuredAt: string;
}

/** Reads the device position, checking the permission first so a denial gets a clear explanation. */
export async function getLocation(apis: BrowserApis, signal?: AbortSignal): Promise<Location> {
  const { geolocation, permissions } = apis;
  if (!geolocation)
    throw new BrowserFeatureError('geolocation', 'unsupported', 'This browser cannot share its location.');
  if (permissions) {
    // Some browsers cannot query this permission; then just ask for the position.
    const state = await permissions.query({ name: 'geolocation' }).then(
      (s) => s.state,
      () => 'prompt',
    );
    if (state === 'denied') {
      throw new BrowserFeatureError(
        'geolocation',
        'denied',
        `Location access is blocked for this site. ${HOW_TO_ALLOW}`,
      );
    }
  }
  signal?.throwIfAborted();
  const position = await new Promise<GeolocationPosition>((resolve, reject) => {
    const onAbort = (): void =>
      reject(signal?.reason instanceof Error ? signal.reason : new DOMException('The call was stopped.', 'AbortError'));
    signal?.addEventListener('abort', onAbort, { once: true });
    geolocation.getCurrentPosition(
      (p) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(p);
      },
      (e) => {
        signal?.removeEventListener('abort', onAbort);
        reject(positionError(e));
      },
      { timeout: TIMEOUT_MS, maximumAge: 60_000, enableHighAccuracy: false },
    );
  });
  return {
    latitude: position.coords.latitude,
    longitude: position.coords.longitude,
    accuracyMeters: Math.round(position.coords.accuracy),
    measuredAt: new Date(position.timestamp).toISOString(),
  };
}

function positionError(error: GeolocationPositionError): BrowserFeatureError {
  // Codes from the Geolocation spec: 1 PERMISSION_DENIED, 2 POSITION_UNAVAILABLE, 3 TIMEOUT.
  if (error.code === 1) {
    return new BrowserFeatureError('geolocation', 'denied', `Location access was refused. ${HOW_TO_ALLOW}`, {
      cause: error,
    });
  }
  if (error.code === 3) {
    return new BrowserFeatureError(
      'geolocation',
      'timeout',
      `The location could not be found within ${TIMEOUT_MS / 1000} seconds.`,
      { cause: error },
    );
  }
  return new BrowserFeatureError(
    'geolocation',
    'failed',
    `The location is not available: ${error.message || 'unknown reason'}.`,
    { cause: error },
  );
}

export function createGetLocation(apis: BrowserApis = defaultBrowserApis): BuiltinFunction {
  return {
    id: 'get_location',
    label: 'Location',
    enabledByDefault: false,
    needs: ['geolocation'],
    spec: {
      name: 'get_location',
      description:
        "Get the user's current location (latitude, longitude and accuracy in meters) from the browser. Takes no arguments; the browser may ask the user for permission.",
      parameters: { type: 'object', properties: {}, required: [] },
    },
    handler: (_args, { signal }) => getLocation(apis, signal),
  };
}
