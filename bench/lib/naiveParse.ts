/**
 * The baseline: what an app without a tolerant parser does — `JSON.parse` on the whole output, then
 * read `{function|name, arguments|parameters}` (or an array of them) with no repair and no checks.
 */
import type { ToolCall } from '../../src/lib/types/toolCall.ts';

export function naiveParse(output: string): ToolCall[] {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch {
    return [];
  }
  const items = Array.isArray(value) ? value : [value];
  const calls: ToolCall[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const o = item as Record<string, unknown>;
    const name = typeof o.function === 'string' ? o.function : typeof o.name === 'string' ? o.name : undefined;
    if (name === undefined) continue;
    let args: unknown = o.arguments ?? o.parameters ?? {};
    if (typeof args === 'string') {
      try {
        args = JSON.parse(args) as unknown;
      } catch {
        continue;
      }
    }
    if (typeof args === 'object' && args !== null && !Array.isArray(args))
      calls.push({ name, arguments: args as Record<string, unknown> });
  }
  return calls;
}
