/**
 * The functions the model may call: name → spec (checked, its argument schema compiled once) and the
 * JavaScript handler that runs it. Framework-free, so the agent loop, tests and the UI share it.
 */
import { InvalidFunctionSpecError } from '../errors.ts';
import type { FunctionHandler, RegisteredFunction } from '../types/dispatch.ts';
import type { FunctionSpec } from '../types/functionSpec.ts';
import { validateFunctionSpec } from '../validate/validateFunctionSpec.ts';

export class FunctionRegistry {
  #entries = new Map<string, RegisteredFunction>();

  /**
   * Adds a function. Its argument schema is checked and prepared here, once, and reused for every call.
   * @throws InvalidFunctionSpecError when the definition is invalid, the name is taken (unregister
   * it first to replace it), or the handler is not a function; `reasons` says why.
   */
  register(spec: FunctionSpec, handler: FunctionHandler): void {
    const checked = validateFunctionSpec(spec, this.#entries.keys());
    const reasons = checked.ok ? [] : [...checked.reasons];
    if (typeof handler !== 'function') reasons.push('The handler must be a function.');
    if (!checked.ok || reasons.length > 0) {
      const name = typeof (spec as { name?: unknown } | null)?.name === 'string' ? spec.name : undefined;
      throw new InvalidFunctionSpecError(name, reasons);
    }
    // Keep the caller's `parameters` object: the compiled validator is cached by its identity.
    this.#entries.set(checked.spec.name, { spec: checked.spec, handler });
  }

  /**
   * Adds a function whose definition is known to be valid, without checking it again: one of Callama's
   * own (tests/unit/functions/builtinFunctions.test.ts checks every built-in's definition). Checking
   * them cost every start of the app ~10 ms before its first screen. Only the name must be free.
   * @throws InvalidFunctionSpecError when the name is taken
   */
  registerChecked(entry: RegisteredFunction): void {
    const { name } = entry.spec;
    if (this.#entries.has(name))
      throw new InvalidFunctionSpecError(name, [`A function named "${name}" already exists.`]);
    this.#entries.set(name, { spec: entry.spec, handler: entry.handler });
  }

  /** A new registry with the same functions except `names` (nothing is checked again). */
  without(names: Iterable<string>): FunctionRegistry {
    const left = new Set(names);
    const kept = new FunctionRegistry();
    for (const [name, entry] of this.#entries) if (!left.has(name)) kept.#entries.set(name, entry);
    return kept;
  }

  /** Removes a function; returns whether it was registered. */
  unregister(name: string): boolean {
    return this.#entries.delete(name);
  }

  get(name: string): RegisteredFunction | undefined {
    return this.#entries.get(name);
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /** The registered specs in registration order (what the prompt lists and the parser checks). */
  specs(): FunctionSpec[] {
    return [...this.#entries.values()].map((entry) => entry.spec);
  }

  get size(): number {
    return this.#entries.size;
  }
}
