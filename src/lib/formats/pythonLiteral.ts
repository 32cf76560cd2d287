/**
 * A JSON value written as a Python literal, as Meta's Llama 3.2 examples write call arguments
 * (strings double-quoted, True/False/None). Shared by the pythonic prompt format and its grammar, so the
 * grammar accepts exactly what the prompt shows the model.
 */
export function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}
