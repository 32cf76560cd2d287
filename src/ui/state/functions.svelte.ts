/**
 * Which functions the model may call: the built-ins (each switched on or off) and the user's own
 * functions from the editor. `registry` holds the ENABLED ones only; it is what the prompt lists and
 * what the dispatcher runs, rebuilt whenever the set changes.
 *
 * Design:
 * - Built-in toggles are a small id → on/off map in localStorage (read synchronously, so the first
 *   prompt already uses them). User functions live in their own IndexedDB store (functions helper's
 *   UserFunctionStore), loaded at start.
 * - Several tabs share both: a toggle changes the CURRENT stored map (persistence/sharedLocalValue.ts),
 *   a user function is added, switched or deleted record by record in one transaction each, and the
 *   other tabs hear of it on the 'callama-store' channel and re-read. No tab writes back a stale copy.
 * - User code is never run in the app: it is compiled (syntax check) and run only in the functions
 *   helper's sandboxed iframe (FunctionSandbox), created on first use.
 */
import { builtinFunctions, type BuiltinFunction } from '../../functions/index.ts';
import {
  checkUserFunction,
  type FunctionProblem,
  type UserFunctionDef,
  type UserFunctionInput,
} from '../../functions/userFunctions.ts';
import type { RefusedFunction } from '../../functions/userFunctionFile.ts';
import { checkArguments } from '../../lib/validate/argumentValidator.ts';
import { UserFunctionStore } from '../../functions/userFunctionStore.ts';
import { FunctionSandbox } from '../../functions/sandbox/FunctionSandbox.ts';
import { userFunctionHandler } from '../../functions/sandbox/userFunctionHandler.ts';
import { FunctionRegistry } from '../../lib/dispatch/registry.ts';
import type { FunctionSpec } from '../../lib/types/functionSpec.ts';
import type { RegisteredFunction } from '../../lib/types/dispatch.ts';
import { SharedLocalValue } from '../persistence/sharedLocalValue.ts';
import { storeChannel, type StoreChannel } from '../persistence/storeChannel.ts';
import { errorMessage } from '../../lib/errors.ts';

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

export type SaveFunctionResult =
  | { ok: true; name: string }
  /** `problems`: the same reasons with their places in the texts, when the editor's input was checked. */
  | { ok: false; errors: string[]; problems?: FunctionProblem[] };

export type ImportFunctionsResult =
  { ok: true; names: string[] } | { ok: false; error: string; refused: RefusedFunction[] };

/** "Run with arguments…": what the body returned, or why it did not run or what it threw. */
export type TryRunResult = { ok: true; value: unknown } | { ok: false; error: string };

export interface FunctionsStateOptions {
  builtins?: BuiltinFunction[];
  store?: FunctionStore;
  sandbox?: Pick<FunctionSandbox, 'run' | 'compile'>;
  storage?: Storage;
  /** How other tabs hear of a change; default: the app's 'callama-store' channel. */
  channel?: StoreChannel;
  /** Functions from elsewhere (MCP tool servers), registered after the user's, already enabled and named apart. */
  external?: () => readonly RegisteredFunction[];
}

type FunctionStore = Pick<UserFunctionStore, 'list' | 'add' | 'addAll' | 'save' | 'setEnabled' | 'delete'>;

function parseToggles(text: string | null): Record<string, boolean> {
  try {
    const parsed: unknown = JSON.parse(text ?? '{}');
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
  readonly #store: FunctionStore;
  readonly #toggleStore: SharedLocalValue<Record<string, boolean>>;
  readonly #channel: StoreChannel;
  readonly #external: () => readonly RegisteredFunction[];
  #sandbox: Pick<FunctionSandbox, 'run' | 'compile'> | undefined;

  #toggles = $state.raw<Record<string, boolean>>({});
  #userFunctions = $state.raw<UserFunctionDef[]>([]);
  #loaded = $state(false);
  #storeError = $state<string | null>(null);

  constructor(options: FunctionsStateOptions = {}) {
    this.#builtins = options.builtins ?? builtinFunctions;
    this.#store = options.store ?? new UserFunctionStore();
    this.#sandbox = options.sandbox;
    this.#external = options.external ?? (() => []);
    this.#channel = options.channel ?? storeChannel();
    this.#toggleStore = new SharedLocalValue({
      storage: options.storage ?? globalThis.localStorage,
      key: TOGGLES_KEY,
      parse: parseToggles,
      channel: this.#channel,
      onChange: (toggles) => (this.#toggles = toggles),
    });
    this.#toggles = this.#toggleStore.read();
    this.ready = this.#loadUserFunctions();
    this.#channel.subscribe((change) => {
      if (change.kind === 'userFunctions') void this.#loadUserFunctions();
    });
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
      if (this.#toggles[b.id] ?? b.enabledByDefault) registry.registerChecked(b);
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
    for (const f of this.#external()) {
      try {
        registry.register(f.spec, f.handler);
      } catch {
        // Checked and named apart when its server listed it (lib/mcp/admitTools.ts); a clash that
        // slipped through (a user function saved in another tab a moment ago) leaves it out.
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
      // Shown at once; the store then switches its CURRENT record, which may differ from this copy.
      this.#userFunctions = this.#userFunctions.map((u) => (u === def ? { ...def, enabled } : u));
      this.#store.setEnabled(name, enabled).then(
        (stored) => {
          // undefined: deleted in another tab meanwhile; it stays deleted.
          this.#userFunctions = stored
            ? this.#userFunctions.map((u) => (u.spec.name === name ? stored : u))
            : this.#userFunctions.filter((u) => u.spec.name !== name);
          this.#channel.post({ kind: 'userFunctions' });
        },
        (e: unknown) => this.#failStore('save', e),
      );
      return;
    }
    this.#toggles = this.#toggleStore.update((current) => ({ ...current, [id]: enabled }));
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
    let added: boolean;
    try {
      added = await this.#store.add(check.def);
    } catch (e) {
      return { ok: false, errors: [`The function could not be saved in browser storage: ${errorMessage(e)}`] };
    }
    if (!added) {
      await this.#loadUserFunctions();
      return {
        ok: false,
        errors: [`A function named "${check.def.spec.name}" was just added in another tab. Choose another name.`],
      };
    }
    this.#userFunctions = [...this.#userFunctions.filter((u) => u.spec.name !== check.def.spec.name), check.def];
    this.#channel.post({ kind: 'userFunctions' });
    return { ok: true, name: check.def.spec.name };
  }

  /**
   * Replaces the user function `previousName` with the editor's new text (it may be renamed). It
   * keeps its place in the list and whether it is switched on. Never throws.
   */
  async updateUserFunction(previousName: string, input: UserFunctionInput): Promise<SaveFunctionResult> {
    const old = this.#userFunctions.find((u) => u.spec.name === previousName);
    if (!old) return { ok: false, errors: [`The function "${previousName}" is gone (deleted in another tab?).`] };
    const taken = this.#all.map((f) => f.spec.name).filter((n) => n !== previousName);
    const sandbox = this.#getSandbox();
    const check = await checkUserFunction(input, taken, { compile: (code) => sandbox.compile(code) });
    if (!check.ok) return check;
    // Read again after the (slow) check: a toggle may have finished meanwhile.
    const current = this.#userFunctions.find((u) => u.spec.name === previousName) ?? old;
    const def: UserFunctionDef = { ...check.def, enabled: current.enabled, createdAt: current.createdAt };
    try {
      await this.#store.save(def, previousName);
    } catch (e) {
      return { ok: false, errors: [`The function could not be saved in browser storage: ${errorMessage(e)}`] };
    }
    this.#userFunctions = this.#userFunctions.map((u) => (u.spec.name === previousName ? def : u));
    this.#channel.post({ kind: 'userFunctions' });
    return { ok: true, name: def.spec.name };
  }

  /** Saves a copy of a user function under a free name (`name_copy`, `name_copy2`…), switched off. */
  async duplicateUserFunction(name: string): Promise<SaveFunctionResult> {
    const source = this.#userFunctions.find((u) => u.spec.name === name);
    if (!source) return { ok: false, errors: [`The function "${name}" is gone (deleted in another tab?).`] };
    const taken = this.#all.map((f) => f.spec.name);
    const base = `${name.slice(0, 58)}_copy`;
    let copyName = base;
    for (let i = 2; taken.includes(copyName); i++) copyName = `${base}${i}`;
    const definition = JSON.stringify({ ...source.spec, name: copyName });
    const result = await this.addUserFunction({ definition, code: source.code });
    // A copy that is switched on would put a second, identical function in the prompt.
    if (result.ok) this.toggle(USER_PREFIX + result.name, false);
    return result;
  }

  /** The user's functions as a JSON file's text (see userFunctionFile.ts, loaded when first needed). */
  async exportUserFunctions(): Promise<string> {
    const { exportFunctionsFile } = await import('../../functions/userFunctionFile.ts');
    return exportFunctionsFile(this.#userFunctions);
  }

  /** Checks every function in an exported file and stores them all, or none. Never throws. */
  async importUserFunctions(text: string): Promise<ImportFunctionsResult> {
    const taken = this.#all.map((f) => f.spec.name);
    const sandbox = this.#getSandbox();
    // Import and export are rare: their code stays out of the first screen's bundle.
    const { checkFunctionsFile } = await import('../../functions/userFunctionFile.ts');
    const check = await checkFunctionsFile(text, taken, { compile: (code) => sandbox.compile(code) });
    if (!check.ok) return check;
    let clashes: string[];
    try {
      clashes = await this.#store.addAll(check.defs);
    } catch (e) {
      return { ok: false, error: `Nothing was imported: browser storage failed (${errorMessage(e)}).`, refused: [] };
    }
    if (clashes.length > 0) {
      await this.#loadUserFunctions();
      return {
        ok: false,
        error: 'Nothing was imported: another tab has just added functions of the same names.',
        refused: clashes.map((n) => ({ name: n, reasons: [`A function named "${n}" already exists.`] })),
      };
    }
    this.#userFunctions = [...this.#userFunctions, ...check.defs];
    this.#channel.post({ kind: 'userFunctions' });
    return { ok: true, names: check.defs.map((d) => d.spec.name) };
  }

  /**
   * "Run with arguments…": checks `args` against the function's schema, as a model's call is, and
   * runs the body in the sandbox through the same handler calls use. Never throws.
   */
  async tryUserFunction(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<TryRunResult> {
    const def = this.#userFunctions.find((u) => u.spec.name === name);
    if (!def) return { ok: false, error: `The function "${name}" is gone (deleted in another tab?).` };
    const valid = checkArguments(def.spec, args);
    if (!valid.ok) return { ok: false, error: valid.message };
    try {
      const handler = userFunctionHandler(def, this.#getSandbox());
      return { ok: true, value: await handler(args, { signal: signal ?? new AbortController().signal }) };
    } catch (e) {
      return { ok: false, error: errorMessage(e) };
    }
  }

  async deleteUserFunction(name: string): Promise<void> {
    try {
      await this.#store.delete(name);
    } catch (e) {
      this.#failStore('delete', e);
      return;
    }
    this.#userFunctions = this.#userFunctions.filter((u) => u.spec.name !== name);
    this.#channel.post({ kind: 'userFunctions' });
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
    this.#storeError = `Could not ${operation} your functions in browser storage: ${errorMessage(e)}`;
  }
}
