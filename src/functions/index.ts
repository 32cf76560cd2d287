/**
 * The functions that ship with Callama. Each file holds one function's schema and handler; this
 * module lists them in the order the UI shows them. Handlers reach the browser only through
 * `BrowserApis`, so `createBuiltinFunctions` can build them over fakes in tests.
 */
import type { BuiltinFunction } from './builtinFunction.ts';
import { defaultBrowserApis, type BrowserApis } from './browserApis.ts';
import { createCalculate } from './calculator/calculate.ts';
import { createCopyToClipboard } from './copyToClipboard.ts';
import { createGetLocation } from './getLocation.ts';
import { createDeleteNote } from './notes/deleteNote.ts';
import { createListNotes } from './notes/listNotes.ts';
import { NoteStore } from './notes/NoteStore.ts';
import { createSaveNote } from './notes/saveNote.ts';
import { createSetTimer } from './setTimer.ts';
import { createGetCurrentTime } from './time/getCurrentTime.ts';
import { createOpenUrl } from './web/openUrl.ts';
import { createSearchArxiv } from './web/searchArxiv.ts';
import { createSearchBing } from './web/searchBing.ts';

export type { BuiltinFunction, BrowserNeed } from './builtinFunction.ts';
export type { BrowserApis } from './browserApis.ts';
export { TIMER_EVENT, type TimerEventDetail } from './setTimer.ts';
export { NoteStore, NOTES_DB_NAME, type Note } from './notes/NoteStore.ts';

export interface BuiltinFunctionDeps {
  apis?: BrowserApis;
  noteStore?: NoteStore;
}

export function createBuiltinFunctions(deps: BuiltinFunctionDeps = {}): BuiltinFunction[] {
  const apis = deps.apis ?? defaultBrowserApis;
  const notes = deps.noteStore ?? new NoteStore();
  return [
    createGetCurrentTime(apis),
    createCalculate(),
    createSearchBing(apis),
    createSearchArxiv(apis),
    createOpenUrl(apis),
    createSaveNote(notes),
    createListNotes(notes),
    createDeleteNote(notes),
    createSetTimer(apis),
    createCopyToClipboard(apis),
    createGetLocation(apis),
  ];
}

/** The app's built-in functions over the real browser (nothing is touched until a handler runs). */
export const builtinFunctions: BuiltinFunction[] = createBuiltinFunctions();

export {
  FunctionSandbox,
  DEFAULT_TIMEOUT_MS,
  type CompileResult,
  type FunctionSandboxOptions,
  type RunOptions,
} from './sandbox/FunctionSandbox.ts';
export { UserCodeError, SandboxTimeoutError, SandboxUnavailableError } from './sandbox/errors.ts';
export { userFunctionHandler } from './sandbox/userFunctionHandler.ts';
export {
  checkUserFunction,
  type UserFunctionDef,
  type UserFunctionInput,
  type UserFunctionCheck,
} from './userFunctions.ts';
export { UserFunctionStore, USER_FUNCTIONS_DB_NAME } from './userFunctionStore.ts';
