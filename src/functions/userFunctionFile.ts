/**
 * The user's functions as a JSON file: exported for a backup or another browser, imported back.
 *
 * Import is all or nothing: every function in the file is checked exactly as the editor checks one
 * (definition, name not taken, code compiled in the sandbox), and if any is refused, none is stored
 * and each refused one is listed with its reasons.
 */
import type { FunctionSpec } from '../lib/types/functionSpec.ts';
import { errorMessage } from '../lib/errors.ts';
import { checkUserFunction, type UserFunctionCheckOptions, type UserFunctionDef } from './userFunctions.ts';

export const FUNCTIONS_FILE_FORMAT = 'callama-functions';
export const FUNCTIONS_FILE_VERSION = 1;

/** What an exported file holds (createdAt is the importing browser's own). */
export interface FunctionsFile {
  format: typeof FUNCTIONS_FILE_FORMAT;
  version: number;
  functions: { spec: FunctionSpec; code: string; enabled: boolean }[];
}

/** A refused function: its name (or its place in the file when it has none) and why. */
export interface RefusedFunction {
  name: string;
  reasons: string[];
}

export type ImportCheck =
  { ok: true; defs: UserFunctionDef[] } | { ok: false; error: string; refused: RefusedFunction[] };

/** The file's text: pretty-printed, so it can be read and edited by hand. */
export function exportFunctionsFile(defs: readonly UserFunctionDef[]): string {
  const file: FunctionsFile = {
    format: FUNCTIONS_FILE_FORMAT,
    version: FUNCTIONS_FILE_VERSION,
    functions: defs.map((d) => ({ spec: d.spec, code: d.code, enabled: d.enabled })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The largest file read: far above any real set of functions (each is at most ~120,000 characters). */
export const MAX_FILE_LENGTH = 5_000_000;

/**
 * Checks every function in an exported file.
 * @param existingNames names already in use (built-ins and the user's functions).
 */
export async function checkFunctionsFile(
  text: string,
  existingNames: Iterable<string>,
  options: UserFunctionCheckOptions,
): Promise<ImportCheck> {
  const fail = (error: string, refused: RefusedFunction[] = []): ImportCheck => ({ ok: false, error, refused });
  if (text.length > MAX_FILE_LENGTH)
    return fail(`The file is ${text.length} characters long; at most ${MAX_FILE_LENGTH} are read.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(`The file is not JSON: ${errorMessage(error)}`);
  }
  const entries = isRecord(parsed) && parsed.format === FUNCTIONS_FILE_FORMAT ? parsed.functions : undefined;
  if (!Array.isArray(entries)) {
    return fail('This is not a Callama functions file: it needs "format": "callama-functions" and a "functions" list.');
  }
  if (isRecord(parsed) && typeof parsed.version === 'number' && parsed.version > FUNCTIONS_FILE_VERSION) {
    return fail(
      `The file is from a newer Callama (version ${parsed.version}); this one reads version ${FUNCTIONS_FILE_VERSION}.`,
    );
  }
  if (entries.length === 0) return fail('The file holds no functions.');

  const taken = new Set(existingNames);
  const defs: UserFunctionDef[] = [];
  const refused: RefusedFunction[] = [];
  for (const [index, entry] of entries.entries()) {
    const label = entryName(entry) ?? `Function ${index + 1}`;
    if (!isRecord(entry) || !isRecord(entry.spec) || typeof entry.code !== 'string') {
      refused.push({ name: label, reasons: ['It needs a "spec" (the definition) and a "code" text.'] });
      continue;
    }
    const check = await checkUserFunction({ definition: JSON.stringify(entry.spec), code: entry.code }, taken, options);
    if (!check.ok) {
      refused.push({ name: label, reasons: check.errors });
      continue;
    }
    // A later function of the same name in the file is refused as "already exists".
    taken.add(check.def.spec.name);
    defs.push({ ...check.def, enabled: entry.enabled !== false });
  }
  if (refused.length > 0) {
    const count = refused.length === 1 ? 'One function was' : `${refused.length} functions were`;
    return fail(`${count} refused, so nothing was imported.`, refused);
  }
  return { ok: true, defs };
}

function entryName(entry: unknown): string | undefined {
  if (!isRecord(entry) || !isRecord(entry.spec)) return undefined;
  const name = entry.spec.name;
  return typeof name === 'string' && name !== '' ? name.slice(0, 80) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
