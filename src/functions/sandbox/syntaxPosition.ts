/**
 * Maps a syntax error's position in the sandbox's wrapper script back to the user's own code.
 *
 * public/sandbox.html parses a body that does not compile once more as the script
 * `throw 0;(async function (args) {\n<code>\n});` to learn where the error is (V8 gives
 * `new AsyncFunction` errors no position). Line 1 is the header, so the user's line N is line N + 1.
 * An error past the user's last line is in the wrapper's closing `})`: the body ended before
 * something was closed, so it is reported at the end of the user's code, not at a `)` they never wrote.
 */

/** How many lines the sandbox's wrapper puts before the user's code. Must match public/sandbox.html. */
export const WRAPPER_HEADER_LINES = 1;

export interface CodePosition {
  /** 1-based line in the user's code. */
  line: number;
  /** 1-based column. */
  column: number;
  /** The error is at the end of the code: something (a bracket, string, comment) is not closed. */
  atEnd: boolean;
}

/** @returns the position in `code`, or undefined when the wrapper position is not a usable one. */
export function toUserPosition(code: string, wrapperLine: number, wrapperColumn: number): CodePosition | undefined {
  if (!Number.isInteger(wrapperLine) || !Number.isInteger(wrapperColumn) || wrapperColumn < 1) return undefined;
  const line = wrapperLine - WRAPPER_HEADER_LINES;
  if (line < 1) return undefined;
  const lines = code.split('\n');
  const last = lines.at(-1) ?? '';
  if (line > lines.length) return { line: lines.length, column: last.length + 1, atEnd: true };
  const text = lines[line - 1] ?? '';
  return { line, column: Math.min(wrapperColumn, text.length + 1), atEnd: false };
}

/** 0-based offset of a 1-based line and column in `code` (for an editor's marker). */
export function offsetOf(code: string, position: Pick<CodePosition, 'line' | 'column'>): number {
  const lines = code.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line - 1 && i < lines.length; i++) offset += (lines[i]?.length ?? 0) + 1;
  return Math.min(offset + position.column - 1, code.length);
}
