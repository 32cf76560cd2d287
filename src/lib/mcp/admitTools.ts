/**
 * Which tools of an MCP server may join the function registry, and under which name.
 *
 * A server's tool list is untrusted input, like a definition pasted into the function editor, so each
 * tool goes through the same check (validate/validateFunctionSpec.ts: names, sizes, patterns that
 * could freeze the page, a schema ajv can compile) plus what only a remote list can carry: an object
 * whose prototype was replaced (a `__proto__` key the SDK's parser turned into a prototype) and more
 * tools than a prompt can hold. Refused tools keep their reasons, so the settings can show them.
 *
 * Names: the model sees `<server>__<tool>` (characters a function name cannot hold become `_`). The
 * server part keeps two servers' tools of one name apart and keeps built-ins and user functions out
 * of a server's way; "Always allow", remembered per function name, so belongs to that server's tool.
 * A name still taken (a user function called `files__read`, two tools that only differ in a `-`) is
 * refused with the reason, never renamed silently.
 */
import type { FunctionSpec, JSONSchema } from '../types/functionSpec.ts';
import { findReservedKey } from '../validate/reservedKeys.ts';
import { NAME_PATTERN, validateFunctionSpec } from '../validate/validateFunctionSpec.ts';

/** A tool as a server lists it (`tools/list`); fields are checked here, not trusted. */
export interface McpToolListing {
  name: unknown;
  description?: unknown;
  inputSchema?: unknown;
}

export interface AdmittedTool {
  /** The tool's name on its server (what `tools/call` is sent). */
  tool: string;
  /** The name the model calls it by. */
  functionName: string;
  /** What the prompt lists; `confirm` is always set, so each call asks first. */
  spec: FunctionSpec;
}

export interface RefusedTool {
  tool: string;
  reasons: string[];
}

export interface ToolAdmission {
  admitted: AdmittedTool[];
  refused: RefusedTool[];
}

/**
 * The most tools one server may add. Every admitted tool is written into each prompt, and the
 * models Callama runs have 4k–32k-token windows; a server with more should be split.
 */
export const MAX_TOOLS_PER_SERVER = 64;

/** Separates the server's name from the tool's in a function name. */
export const SERVER_SEPARATOR = '__';

/** Server names: what a function name may start with, short enough to leave room for the tool. */
export const SERVER_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]{0,23}$/;

/** The function name the model sees for `tool` of the server named `server`. */
export function mcpFunctionName(server: string, tool: string): string {
  return `${server}${SERVER_SEPARATOR}${tool.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

/**
 * Sorts a server's listed tools into admitted and refused.
 * @param server the server's name (SERVER_NAME_PATTERN).
 * @param taken function names already in use (built-ins, user functions, other servers' tools).
 */
export function admitTools(server: string, listed: readonly McpToolListing[], taken: Iterable<string>): ToolAdmission {
  const used = new Set(taken);
  const admitted: AdmittedTool[] = [];
  const refused: RefusedTool[] = [];
  for (const [index, listing] of listed.entries()) {
    const tool = typeof listing.name === 'string' ? listing.name : `#${index + 1}`;
    if (index >= MAX_TOOLS_PER_SERVER) {
      refused.push({
        tool,
        reasons: [`The server lists more than ${MAX_TOOLS_PER_SERVER} tools; only the first ones are used.`],
      });
      continue;
    }
    const reasons = admissionReasons(server, listing, used);
    if (reasons.length > 0) {
      refused.push({ tool, reasons });
      continue;
    }
    const functionName = mcpFunctionName(server, tool);
    const checked = validateFunctionSpec(
      {
        name: functionName,
        ...(listing.description === undefined ? {} : { description: listing.description }),
        parameters: withoutDialect(listing.inputSchema as JSONSchema),
        confirm: true,
      },
      used,
    );
    if (!checked.ok) {
      refused.push({ tool, reasons: checked.reasons });
      continue;
    }
    used.add(functionName);
    admitted.push({ tool, functionName, spec: checked.spec });
  }
  return { admitted, refused };
}

/** What the general function check cannot see: the tool's own name, and objects with a foreign prototype. */
function admissionReasons(server: string, listing: McpToolListing, used: Set<string>): string[] {
  if (typeof listing.name !== 'string' || listing.name === '') return ['The tool has no name.'];
  const functionName = mcpFunctionName(server, listing.name);
  const reasons: string[] = [];
  if (!NAME_PATTERN.test(functionName)) {
    reasons.push(
      `The name ${JSON.stringify(functionName.slice(0, 80))} is too long for a function name (64 characters at most).`,
    );
  } else if (used.has(functionName)) {
    reasons.push(`Its name ${functionName} is already taken by another function.`);
  }
  if (typeof listing.inputSchema !== 'object' || listing.inputSchema === null || Array.isArray(listing.inputSchema)) {
    reasons.push('The tool has no input schema object.');
  } else {
    const reserved = findReservedKey(listing.inputSchema);
    if (reserved !== undefined) {
      reasons.push(`The input schema uses the key "${reserved}", which could change what a function receives.`);
    }
  }
  return reasons;
}

/** `$schema` names the JSON Schema dialect; it tells the model nothing and costs prompt tokens. */
function withoutDialect(schema: JSONSchema): JSONSchema {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}
