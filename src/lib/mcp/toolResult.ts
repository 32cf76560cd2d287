/**
 * An MCP `tools/call` result, turned into what the dispatcher hands back to the model.
 *
 * - Text content blocks are joined with blank lines. Blocks the model cannot read as text (images,
 *   audio, binary resources) are named in brackets, so the model knows something came back.
 * - `structuredContent` is the tool's JSON answer. The MCP spec asks servers to repeat it as text;
 *   when the text is just that JSON it is not sent twice. Text that says more is kept beside it:
 *   `{ text, structuredContent }`.
 * - `isError: true` is the server saying the tool failed: its text becomes the error the card shows
 *   and the model is told.
 * The size limit is the agent loop's (agent/limitResult.ts), as for every function result.
 */
import { plainCopy } from '../validate/reservedKeys.ts';

export type McpToolOutcome = { ok: true; value: unknown } | { ok: false; message: string };

export function mapToolResult(result: unknown): McpToolOutcome {
  if (!isRecord(result)) return { ok: false, message: 'The server sent something that is not a tool result.' };
  const content = Array.isArray(result.content) ? result.content : [];
  const text = content
    .map(describeBlock)
    .filter((t) => t !== '')
    .join('\n\n');
  if (result.isError === true) {
    return { ok: false, message: text || 'The server reported an error without saying what went wrong.' };
  }
  const structured = result.structuredContent;
  if (isRecord(structured)) {
    const value = plainCopy(structured);
    if (text === '' || sameJson(text, value)) return { ok: true, value };
    return { ok: true, value: { text, structuredContent: value } };
  }
  return { ok: true, value: text };
}

/** One content block as text for the model. */
function describeBlock(block: unknown): string {
  if (!isRecord(block)) return '';
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? block.text : '';
    case 'image':
    case 'audio':
      return `[${block.type}${typeof block.mimeType === 'string' ? ` (${block.mimeType})` : ''}: not shown to the model]`;
    case 'resource': {
      const resource = isRecord(block.resource) ? block.resource : {};
      if (typeof resource.text === 'string') return resource.text;
      return `[binary resource${typeof resource.uri === 'string' ? ` ${resource.uri}` : ''}: not shown to the model]`;
    }
    case 'resource_link':
      return `[link${typeof block.name === 'string' ? ` ${block.name}` : ''}: ${typeof block.uri === 'string' ? block.uri : 'no address'}]`;
    default:
      return '';
  }
}

function sameJson(text: string, value: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
