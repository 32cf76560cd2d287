/** JSON Lines: one JSON value per non-empty line. Bad lines are reported by number, not thrown. */

export class JsonlError extends Error {
  override readonly name = 'JsonlError';
  constructor(
    readonly line: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Line ${line}: ${reason}`, options);
  }
}

export interface JsonlLine {
  line: number;
  value: unknown;
}

export function parseJsonl(text: string): { lines: JsonlLine[]; errors: JsonlError[] } {
  const lines: JsonlLine[] = [];
  const errors: JsonlError[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      lines.push({ line: i + 1, value: JSON.parse(raw) });
    } catch (cause) {
      errors.push(new JsonlError(i + 1, 'not valid JSON', { cause }));
    }
  });
  return { lines, errors };
}
