/**
 * One `<|tool>declaration:name{…}<tool|>` block, byte for byte as Gemma 4's E2B chat template writes it
 * (macros `format_function_declaration` and `format_parameters`, ollama/ollama
 * model/renderers/testdata/gemma4_e2b_chat_template.jinja2 — H; cross-checked with ollama's Go
 * renderer model/renderers/gemma4.go — M):
 *
 *   declaration:get_weather{description:<|"|>Get weather<|"|>,parameters:{properties:{city:{
 *   description:<|"|>City name<|"|>,type:<|"|>STRING<|"|>}},required:[<|"|>city<|"|>],type:<|"|>OBJECT<|"|>}}
 *
 * (one line). Each property writes, in this fixed order and only when present: description; enum
 * (STRING only); items (ARRAY only, its keys in dictsort order); nullable; properties and required
 * (OBJECT only); then always `type`. Properties come in dictsort order. The template's quirks are
 * kept because the model was trained on them: a missing description is written empty; a type list
 * (`["string","null"]`) is upper-cased as Python prints a list (`['STRING', 'NULL']`); an OBJECT
 * without `properties` lists its own non-standard keys as properties. One deviation: the template
 * closes `parameters:{` only inside its `type` branch; here it is always closed (a schema without a
 * top-level type would otherwise leave the braces unbalanced).
 */
import type { FunctionSpec, JSONSchema } from '../types/functionSpec.ts';
import { dictsort, GEMMA_QUOTE, gemmaValue } from './gemmaValue.ts';

const STANDARD_KEYS = ['description', 'type', 'properties', 'required', 'nullable'];

const quote = (s: string) => GEMMA_QUOTE + s + GEMMA_QUOTE;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Jinja `value['type'] | upper`: a string upper-cased, a list as Python's repr upper-cased, nothing as ''. */
function upperType(type: unknown): string {
  if (typeof type === 'string') return type.toUpperCase();
  if (Array.isArray(type)) return `[${type.map((t) => `'${String(t).toUpperCase()}'`).join(', ')}]`;
  return '';
}

/** `[<|"|>a<|"|>,<|"|>b<|"|>]`: a required list. */
function requiredList(required: readonly unknown[]): string {
  return `required:[${required.map((r) => quote(String(r))).join(',')}]`;
}

function stringList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `items:{…}` of an ARRAY property: the items schema's keys in dictsort order. */
function itemsSpec(items: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of dictsort(items)) {
    if (value === null || value === undefined) continue;
    if (key === 'properties') {
      parts.push(`properties:{${isRecord(value) ? formatParameters(value, false) : ''}}`);
    } else if (key === 'required') {
      parts.push(requiredList(stringList(value)));
    } else if (key === 'type') {
      parts.push(
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a schema's type is a string (or a list)
        `type:${gemmaValue(Array.isArray(value) ? value.map((t) => String(t).toUpperCase()) : String(value).toUpperCase())}`,
      );
    } else {
      parts.push(`${key}:${gemmaValue(value)}`);
    }
  }
  return `items:{${parts.join(',')}}`;
}

/** One `key:{…}` property entry. A value that is not a schema object reads as an empty one (as Jinja's lookups do). */
function property(key: string, raw: unknown): string {
  const value: Record<string, unknown> = isRecord(raw) ? raw : {};
  const parts: string[] = [];
  const description = value['description'];
  if (typeof description === 'string' && description !== '') parts.push(`description:${quote(description)}`);
  const type = upperType(value['type']);
  const enumValues = value['enum'];
  const items = value['items'];
  if (type === 'STRING' && Array.isArray(enumValues) && enumValues.length > 0)
    parts.push(`enum:${gemmaValue(enumValues)}`);
  else if (type === 'ARRAY' && isRecord(items) && Object.keys(items).length > 0) parts.push(itemsSpec(items));
  if (value['nullable']) parts.push('nullable:true');
  if (type === 'OBJECT') {
    const properties = value['properties'];
    parts.push(
      `properties:{${isRecord(properties) ? formatParameters(properties, false) : formatParameters(value, true)}}`,
    );
    const required = stringList(value['required']);
    if (required.length > 0) parts.push(requiredList(required));
  }
  parts.push(`type:${quote(type)}`);
  return `${key}:{${parts.join(',')}}`;
}

/** `format_parameters`: every property in dictsort order; `filterKeys` skips the schema keywords themselves. */
function formatParameters(properties: Record<string, unknown>, filterKeys: boolean): string {
  return dictsort(properties)
    .filter(([key]) => !filterKeys || !STANDARD_KEYS.includes(key))
    .map(([key, value]) => property(key, value))
    .join(',');
}

/** `declaration:name{description:…,parameters:{…}}` (without the `<|tool>` tags). */
export function gemmaDeclaration(fn: FunctionSpec): string {
  const params: JSONSchema = fn.parameters;
  let out = `declaration:${fn.name}{description:${quote(fn.description ?? '')}`;
  out += ',parameters:{';
  if (isRecord(params.properties) && Object.keys(params.properties).length > 0)
    out += `properties:{${formatParameters(params.properties, false)}},`;
  if (Array.isArray(params.required) && params.required.length > 0) out += `${requiredList(params.required)},`;
  if (params.type !== undefined) out += `type:${quote(upperType(params.type))}`;
  return `${out}}}`;
}

/** The whole block as the system turn lists it. */
export function gemmaToolBlock(fn: FunctionSpec): string {
  return `<|tool>${gemmaDeclaration(fn)}<tool|>`;
}
