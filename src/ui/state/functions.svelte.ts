/**
 * Which functions the model may call: the built-ins (each switched on or off) and the user's own
 * functions from the editor. `registry` holds the ENABLED ones only; it is what the prompt lists and
 * what the dispatcher runs, rebuilt whenever the set changes.
 *
 * Design:
 * - Built-in toggles are a small id → on/off map in localStorage (read synchronously, so the first
 *   prompt already uses them). User functions live in their own IndexedDB store (functions helper's
 *   UserFunctionStore), loaded once at start.
 * - User code is never run in the app: it is compiled (syntax check) and run only in the functions
 *   helper's sandboxed iframe (FunctionSandbox), created on first use.
 */
import { builtinFunctions, type BuiltinFunction } from '../../functions/index.ts';
import { checkUserFunction, type UserFunctionDef, type UserFunctionInput } from '../../functions/userFunctions.ts';
import { UserFunctionStore } from '../../functions/userFunctionStore.ts';
import { FunctionSandbox } from '../../functions/sandbox/FunctionSandbox.ts';
import { userFunctionHandler } from '../../functions/sandbox/userFunctionHandler.ts';
import { FunctionRegistry } from '../../lib/dispatch/registry.ts';
import type { FunctionSpec } from '../../lib/types/functionSpec.ts';

const TOGGLES_KEY = 'callama:functionToggles';
const USER_PREFIX = 'user:';

export interface FunctionEntry {
  /** Built-ins: their stable id; user functions: "user:<name>". */
  id: string;
  spec: FunctionSpec;
  enabled: boolean;
  builtin: boolean;
  /** Short human name (built-ins); the function name for user functions. */
  label: string;
  /** User functions only: the JavaScript body. */
  code?: string;
}

export type SaveFunctionResult = { ok: true; name: string } | { ok: false; errors: string[] };

export interface FunctionsStateOptions {
  builtins?: BuiltinFunction[];
  store?: Pick<UserFunctionStore, 'list' | 'save' | 'delete'>;
  sandbox?: Pick<FunctionSandbox, 'run' | 'compile'>;
  storage?: Storage;
}

function readToggles(storage: Storage | undefined): Record<string, boolean> {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(TOGGLES_KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: Record<string, boolean> = {};
    for (const [id, on] of Object.entries(parsed)) if (typeof on === 'boolean') out[id] = on;
    return out;
  } catch {
    // Unreadable storage: every built-in falls back to its default.
    return {};
  }
}

export class FunctionsState {
  readonly #builtins: BuiltinFunction[];
  readonly #store: Pick<UserFunctionStore, 'list' | 'save' | 'delete'>;
  readonly #storage: Storage | undefined;
  #sandbox: Pick<FunctionSandbox, 'run' | 'compile'> | undefined;

  #toggles = $state.raw<Record<string, boolean>>({});
  #userFunctions = $state.raw<UserFunctionDef[]>([]);
  #loaded = $state(false);
  #storeError = $state<string | null>(null);

  constructor(options: FunctionsStateOptions = {}) {
    this.#builtins = options.builtins ?? builtinFunctions;
    this.#store = options.store ?? new UserFunctionStore();
    this.#sandbox = options.sandbox;
    this.#storage = options.storage ?? globalThis.localStorage;
    this.#toggles = readToggles(this.#storage);
    this.ready = this.#loadUserFunctions();
  }

  /** Resolves when the stored user functions have been read. */
  readonly ready: Promise<void>;

  readonly #all = $derived.by((): FunctionEntry[] => [
    ...this.#builtins.map((b) => ({
      id: b.id,
      spec: b.spec,
      enabled: this.#toggles[b.id] ?? b.enabledByDefault,
      builtin: true,
      label: b.label,
    })),
    ...this.#userFunctions.map((u) => ({
      id: USER_PREFIX + u.spec.name,
      spec: u.spec,
      enabled: u.enabled,
      builtin: false,
      label: u.spec.name,
      code: u.code,
    })),
  ]);

  readonly #registry = $derived.by((): FunctionRegistry => {
    const registry = new FunctionRegistry();
    for (const b of this.#builtins) {
      if (this.#toggles[b.id] ?? b.enabledByDefault) registry.register(b.spec, b.handler);
    }
    for (const u of this.#userFunctions) {
      if (!u.enabled) continue;
      try {
        registry.register(u.spec, userFunctionHandler(u, this.#getSandbox()));
      } catch {
        // A stored definition that no longer validates (or clashes with a new built-in) is left out
        // of the prompt; the panel still lists it so the user can delete it.
      }
    }
    return registry;
  });

  get all(): FunctionEntry[] {
    return this.#all;
  }

  /** The enabled functions only: what the prompt lists and the dispatcher may run. */
  get registry(): FunctionRegistry {
    return this.#registry;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  /** Why the user functions could not be read or saved, if they could not. */
  get storeError(): string | null {
    return this.#storeError;
  }

  toggle(id: string, enabled: boolean): void {
    if (id.startsWith(USER_PREFIX)) {
      const name = id.slice(USER_PREFIX.length);
      const def = this.#userFunctions.find((u) => u.spec.name === name);
      if (!def) return;
      const updated = { ...def, enabled };
      this.#userFunctions = this.#userFunctions.map((u) => (u === def ? updated : u));
      this.#store.save(updated).catch((e: unknown) => this.#failStore('save', e));
      return;
    }
    this.#toggles = { ...this.#toggles, [id]: enabled };
    try {
      this.#storage?.setItem(TOGGLES_KEY, JSON.stringify(this.#toggles));
    } catch {
      // Storage full or blocked: the toggle still applies for this visit.
    }
  }

  /**
   * Checks a function from the editor (definition JSON + JavaScript body, compiled in the sandbox)
   * and saves it. Never throws: every problem comes back as a sentence to show.
   */
  async addUserFunction(input: UserFunctionInput): Promise<SaveFunctionResult> {
    const taken = this.#all.map((f) => f.spec.name);
    const sandbox = this.#getSandbox();
    const check = await checkUserFunction(input, taken, { compile: (code) => sandbox.compile(code) });
    if (!check.ok) return check;
    try {
      await this.#store.save(check.def);
    } catch (e) {
      return { ok: false, errors: [`The function could not be saved in browser storage: ${message(e)}`] };
    }
    this.#userFunctions = [...this.#userFunctions, check.def];
    return { ok: true, name: check.def.spec.name };
  }

  async deleteUserFunction(name: string): Promise<void> {
    try {
      await this.#store.delete(name);
    } catch (e) {
      this.#failStore('delete', e);
      return;
    }
    this.#userFunctions = this.#userFunctions.filter((u) => u.spec.name !== name);
  }

  #getSandbox(): Pick<FunctionSandbox, 'run' | 'compile'> {
    this.#sandbox ??= new FunctionSandbox();
    return this.#sandbox;
  }

  async #loadUserFunctions(): Promise<void> {
    try {
      this.#userFunctions = await this.#store.list();
    } catch (e) {
      this.#failStore('read', e);
    } finally {
      this.#loaded = true;
    }
  }

  #failStore(operation: string, e: unknown): void {
    this.#storeError = `Could not ${operation} your functions in browser storage: ${message(e)}`;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const functionsState = new FunctionsState();
