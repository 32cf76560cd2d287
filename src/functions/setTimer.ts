import type { BuiltinFunction } from './builtinFunction.ts';
import { defaultBrowserApis, type BrowserApis } from './browserApis.ts';
import { InvalidArgumentError, optionalString } from './functionErrors.ts';

/** Name of the window event fired when a timer ends, whether or not a notification was shown. */
export const TIMER_EVENT = 'callama:timer';
const MAX_SECONDS = 24 * 60 * 60;

export interface TimerEventDetail {
  label: string;
  /** When the timer was due, ISO 8601. */
  dueAt: string;
  /** Whether a system notification was shown; when false the UI should show its own message. */
  notified: boolean;
}

export interface TimerSet {
  label: string;
  durationSeconds: number;
  dueAt: string;
  /** Whether a system notification will be shown (permission granted). */
  willNotify: boolean;
}

/** Reads `seconds` and/or `minutes` (numbers or numeric text) into a total in seconds. */
export function timerDurationSeconds(args: Record<string, unknown>): number {
  const seconds = readNumber(args, 'seconds');
  const minutes = readNumber(args, 'minutes');
  if (seconds === undefined && minutes === undefined) {
    throw new InvalidArgumentError('seconds', 'Give the duration as "seconds" or "minutes" (or both).');
  }
  const total = (seconds ?? 0) + (minutes ?? 0) * 60;
  if (total <= 0) throw new InvalidArgumentError('seconds', 'The timer must last more than 0 seconds.');
  if (total > MAX_SECONDS) throw new InvalidArgumentError('seconds', 'Timers can last at most 24 hours.');
  return total;
}

function readNumber(args: Record<string, unknown>, name: string): number | undefined {
  const raw = args[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(name, `"${name}" must be a positive number, got ${JSON.stringify(raw)}.`);
  }
  return value;
}

/** Asks for notification permission at most once per call; any failure counts as "no". */
async function canNotify(apis: BrowserApis): Promise<boolean> {
  const notifications = apis.notifications;
  if (!notifications) return false;
  if (notifications.permission === 'granted') return true;
  if (notifications.permission === 'denied') return false;
  return notifications.requestPermission().then(
    (p) => p === 'granted',
    () => false,
  );
}

export async function setTimer(apis: BrowserApis, args: Record<string, unknown>): Promise<TimerSet> {
  const durationSeconds = timerDurationSeconds(args);
  const label = optionalString(args, 'label') ?? 'Timer';
  const willNotify = await canNotify(apis);
  const dueAt = new Date(apis.now().getTime() + durationSeconds * 1000).toISOString();
  apis.setTimeout(() => {
    let notified = false;
    if (willNotify && apis.notifications) {
      try {
        apis.notifications.show(label, {
          body: `Your ${formatDuration(durationSeconds)} timer is done.`,
          tag: `callama-timer-${dueAt}`,
        });
        notified = true;
      } catch {
        // Some browsers only allow notifications from a service worker; the page event below still fires.
      }
    }
    const detail: TimerEventDetail = { label, dueAt, notified };
    apis.dispatchEvent(new CustomEvent(TIMER_EVENT, { detail }));
  }, durationSeconds * 1000);
  return { label, durationSeconds, dueAt, willNotify };
}

export function formatDuration(totalSeconds: number): string {
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = Math.round((totalSeconds - minutes * 60) * 10) / 10;
  if (minutes === 0) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const m = `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return seconds === 0 ? m : `${m} ${seconds} second${seconds === 1 ? '' : 's'}`;
}

export function createSetTimer(apis: BrowserApis = defaultBrowserApis): BuiltinFunction {
  return {
    id: 'set_timer',
    label: 'Timer',
    enabledByDefault: true,
    needs: ['notifications'],
    spec: {
      name: 'set_timer',
      // Asks the user first (dispatch enforces it): fires a system notification later, outside this conversation.
      confirm: true,
      description:
        'Start a countdown timer that alerts the user when it ends (a notification if allowed, otherwise a message in the page). Give "seconds" or "minutes" (at least one is required; both add up). Returns when the timer is set, with the time it is due.',
      parameters: {
        type: 'object',
        properties: {
          seconds: { type: 'number', description: 'Optional. Duration in seconds. Default: 0.' },
          minutes: { type: 'number', description: 'Optional. Duration in minutes. Default: 0.' },
          label: {
            type: 'string',
            description: 'Optional. What the timer is for, shown when it ends. Default: "Timer".',
          },
        },
        required: [],
      },
    },
    handler: (args) => setTimer(apis, args),
  };
}
