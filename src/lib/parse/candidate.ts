/** What the scanners find in model output, before argument validation. Internal to parse/. */
import type { ScanMemo } from './scanMemo.ts';

export type FoundItem =
  /** A call whose name could be read; `args` is still raw (object, JSON text, undefined…). */
  | { kind: 'call'; name: string; args: unknown; raw: string }
  /** Output that looked like a call but could not be read. */
  | { kind: 'malformed'; message: string; raw: string; name?: string };

/** A span of the output that held calls; it is cut out of the prose. */
export interface FoundSpan {
  start: number;
  end: number;
  items: FoundItem[];
}

/** What the scanners need to know about the registered functions. */
export interface ScanContext {
  /** What scanning this text so far has learnt (findCalls sets it); used only for the same text. */
  memo?: ScanMemo;
  names: ReadonlySet<string>;
  /** Argument names of a function in declaration order, for positional pythonic arguments. */
  argumentOrder(name: string): string[];
  /** The JSON Schema `type` of one argument, for shapes whose values are raw text (XML parameters). */
  parameterType(name: string, argument: string): string | string[] | undefined;
}
