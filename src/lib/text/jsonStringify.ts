/**
 * JSON.stringify as it behaves rather than as it is typed: `undefined` (not a string) for undefined,
 * functions and symbols. Throws as JSON.stringify does (cycles, BigInt).
 */
export function jsonStringify(value: unknown, indent?: number): string | undefined {
  const text: string | undefined = JSON.stringify(value, null, indent);
  return text;
}
