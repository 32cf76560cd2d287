/**
 * The user's side of the consent gate (lib/dispatch/dispatch.ts): the questions waiting for an answer
 * ("run open_url with these arguments?"), the answers, and the functions the user allowed for good.
 *
 * Design:
 * - `confirm` is the `ConfirmCall` handed to the agent loop. It answers 'allow' at once for a function
 *   the user always allows; otherwise it adds a pending question, shown on the call's card (matched
 *   by `callId`), and resolves when the user answers. The loop waits meanwhile: nothing generates.
 * - A stop withdraws the question (the request's signal): the card loses its buttons and the
 *   dispatcher reports the call as stopped, never run.
 * - "Always allow" is kept per function name in `storage` (localStorage in the app, so it survives a
 *   reload, read synchronously so the first call already knows it). Names are unique among the enabled
 *   functions; deleting a user function revokes its name, so a new function of the same name asks.
 *   Without storage (the embed widget) it lasts for the page's life.
 * - Several tabs share the list (persistence/sharedLocalValue.ts): `confirm` reads the STORED list at
 *   call time, so "Ask again" in one tab holds in every tab from its next call on, with no window in
 *   which a broadcast is still on its way; allowing or revoking changes the current stored list, never
 *   writes back this tab's older copy (which would undo another tab's revoke).
 * - "Always allow" on one question also answers the other open questions for the same function.
 */
import type { ConfirmCall, ConsentDecision, ConsentRequest } from '../../lib/types/dispatch.ts';
import { NAME_PATTERN } from '../../lib/validate/validateFunctionSpec.ts';
import { SharedLocalValue } from '../persistence/sharedLocalValue.ts';
import type { StoreChannel } from '../persistence/storeChannel.ts';

export const ALWAYS_ALLOW_KEY = 'callama:alwaysAllow';

/** A call waiting for the user's answer. */
export interface PendingConsent {
  callId: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** What the user can answer; 'always' allows this call and every later call of the function. */
export type ConsentAnswer = 'allow' | 'deny' | 'always';

export interface ConsentStateOptions {
  /** Where "always allow" is remembered; none: for this page's life only. */
  storage?: Storage | undefined;
  key?: string;
  /** How other tabs hear of a change; default: the app's 'callama-store' channel. */
  channel?: StoreChannel;
}

function parseAllowed(text: string | null): string[] {
  try {
    const parsed: unknown = JSON.parse(text ?? '[]');
    if (!Array.isArray(parsed)) return [];
    // Only well-formed function names, once each: a hand-edited value cannot allow anything odd.
    return [...new Set(parsed.filter((n): n is string => typeof n === 'string' && NAME_PATTERN.test(n)))];
  } catch {
    // Unreadable storage: nothing is allowed without asking, which is the safe side.
    return [];
  }
}

export class ConsentState {
  readonly #stored: SharedLocalValue<string[]>;
  #pending = $state.raw<PendingConsent[]>([]);
  #always = $state.raw<string[]>([]);
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping no view reads
  readonly #resolvers = new Map<string, (decision: ConsentDecision) => void>();

  constructor(options: ConsentStateOptions = {}) {
    this.#stored = new SharedLocalValue({
      storage: options.storage,
      key: options.key ?? ALWAYS_ALLOW_KEY,
      parse: parseAllowed,
      channel: options.channel,
      onChange: (allowed) => (this.#always = allowed),
    });
    this.#always = this.#stored.read();
  }

  /** Questions waiting for an answer, oldest first. */
  get pending(): PendingConsent[] {
    return this.#pending;
  }

  /** The question for one call, if it is waiting. */
  pendingFor(callId: string): PendingConsent | undefined {
    return this.#pending.find((p) => p.callId === callId);
  }

  /** Functions that run without asking, in the order they were allowed. */
  get alwaysAllowed(): string[] {
    return this.#always;
  }

  /** What this tab shows (kept current by the broadcast); the gate itself reads the store, see `confirm`. */
  isAlwaysAllowed(name: string): boolean {
    return this.#always.includes(name);
  }

  /** The agent loop's `confirmCall`. An arrow, so it can be passed around unbound. */
  readonly confirm: ConfirmCall = (request: ConsentRequest) => {
    // The stored list, read now: another tab may have revoked the function a moment ago.
    if (this.#stored.read().includes(request.call.name)) return 'allow';
    if (request.signal.aborted) return 'deny';
    return new Promise<ConsentDecision>((resolve) => {
      const { callId, signal } = request;
      const onAbort = () => this.#settle(callId, 'deny');
      signal.addEventListener('abort', onAbort, { once: true });
      this.#resolvers.set(callId, (decision) => {
        signal.removeEventListener('abort', onAbort);
        resolve(decision);
      });
      this.#pending = [...this.#pending, { callId, name: request.call.name, arguments: request.call.arguments }];
    });
  };

  /** The user's answer to one question. Unknown or already answered ids are ignored. */
  answer(callId: string, answer: ConsentAnswer): void {
    const question = this.pendingFor(callId);
    if (!question) return;
    if (answer === 'always') {
      this.#remember(question.name);
      for (const other of this.#pending.filter((p) => p.name === question.name)) this.#settle(other.callId, 'allow');
      return;
    }
    this.#settle(callId, answer);
  }

  /** Ask again before each call of `name`. */
  revoke(name: string): void {
    this.#always = this.#stored.update((current) => current.filter((n) => n !== name));
  }

  #remember(name: string): void {
    this.#always = this.#stored.update((current) => (current.includes(name) ? current : [...current, name]));
  }

  #settle(callId: string, decision: ConsentDecision): void {
    const resolve = this.#resolvers.get(callId);
    this.#resolvers.delete(callId);
    this.#pending = this.#pending.filter((p) => p.callId !== callId);
    resolve?.(decision);
  }
}
