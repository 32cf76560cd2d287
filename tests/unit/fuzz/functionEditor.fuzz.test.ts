/**
 * Fuzzes the function editor (FunctionsState.addUserFunction → checkUserFunction → validateFunctionSpec
 * → UserFunctionStore) with invalid schemas, bad names, duplicates and huge inputs. Each input is bad
 * by construction; the property: it is refused with readable reasons, and the stored functions (the
 * real IndexedDB store, over fake-indexeddb) and the toggles are byte-for-byte what they were.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import fc from 'fast-check';
import { Script } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinFunctions } from '../../../src/functions/index.ts';
import { MAX_CODE_LENGTH } from '../../../src/functions/userFunctions.ts';
import { USER_FUNCTIONS_DB_NAME, UserFunctionStore } from '../../../src/functions/userFunctionStore.ts';
import {
  MAX_DESCRIPTION_LENGTH,
  MAX_SCHEMA_DEPTH,
  MAX_SCHEMA_LENGTH,
} from '../../../src/lib/validate/validateFunctionSpec.ts';
import { FunctionsState } from '../../../src/ui/state/functions.svelte.ts';
import { runFuzz } from './runFuzz.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';

/** Syntax check like the sandbox's (compile, never run); Node's compiler stands in for the browser's. */
const sandbox = {
  async compile(code: string) {
    try {
      new Script(`(async function (args) {\n${code}\n})`);
      return { ok: true as const };
    } catch (error) {
      return { ok: false as const, message: error instanceof Error ? error.message : String(error) };
    }
  },
  async run(): Promise<never> {
    throw new Error('user code never runs in this test');
  },
};

const factory = new IDBFactory();
const storage = new MemoryStorage();
let state: FunctionsState;
const SAVED = 'saved_function';

/** Everything the editor could have changed: the raw IndexedDB records and localStorage. */
async function snapshot(): Promise<string> {
  const request = factory.open(USER_FUNCTIONS_DB_NAME);
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
  });
  try {
    const store = db.transaction('functions').objectStore('functions');
    const [keys, values] = await Promise.all(
      [store.getAllKeys(), store.getAll()].map(
        (r) =>
          new Promise<unknown>((resolve, reject) => {
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error ?? new Error('read failed'));
          }),
      ),
    );
    return JSON.stringify({ keys, values, localStorage: storage.getItem('callama:functionToggles') });
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  state = new FunctionsState({ store: new UserFunctionStore(factory), sandbox, storage });
  await state.ready;
  state.toggle('get_location', true);
  const saved = await state.addUserFunction({
    definition: JSON.stringify({
      name: SAVED,
      description: 'Already saved.',
      parameters: { type: 'object', properties: { q: { type: 'string' } } },
    }),
    code: 'return args.q;',
  });
  expect(saved).toEqual({ ok: true, name: SAVED });
});

const validCode = 'return args;';
const identifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}$/);
const okParameters = { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] };
const SIMPLE_TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

/** Names that break the rule "a letter or _, then letters, digits or _, at most 64". */
const badName = fc.oneof(
  fc.tuple(fc.constantFrom(...'0123456789'.split('')), identifier).map(([d, rest]) => `${d}${rest}`),
  fc
    .tuple(identifier, fc.constantFrom('-', ' ', '.', '$', 'é', '/', '"', '\u0000', '\n', '😀', '(', ')'), identifier)
    .map(([a, bad, b]) => `${a}${bad}${b}`),
  fc.integer({ min: 65, max: 300 }).map((n) => 'a'.repeat(n)),
  fc.constant(''),
);
const nonStringName = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);

/** Parameter schemas that are wrong by construction, each for a different reason. */
const badParameters = fc.oneof(
  // not an object schema at all
  fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 })),
  // an object whose "type" is not "object"
  fc
    .jsonValue({ maxDepth: 2 })
    .filter((t) => t !== 'object')
    .map((type) => ({ type, properties: {} })),
  // an argument whose type is not a JSON Schema type
  fc
    .string({ maxLength: 12 })
    .filter((t) => !SIMPLE_TYPES.includes(t))
    .map((type) => ({ type: 'object', properties: { q: { type } } })),
  // a required argument missing from "properties"
  identifier.filter((r) => r !== 'q').map((r) => ({ ...okParameters, required: ['q', r] })),
  // "properties" that is not a map of schemas
  fc
    .oneof(fc.string(), fc.integer(), fc.array(fc.jsonValue(), { minLength: 1, maxLength: 3 }))
    .map((properties) => ({ type: 'object', properties })),
  // a keyword with a value JSON Schema does not allow
  fc
    .constantFrom<[string, unknown]>(
      ['minLength', -1],
      ['maxLength', 'ten'],
      ['pattern', '('],
      ['pattern', '[a-'],
      ['enum', []],
      ['items', 5],
      ['minimum', '0'],
      ['multipleOf', 0],
      ['uniqueItems', 'yes'],
      ['required', 'q'],
      ['anyOf', []],
      ['format', 7],
    )
    .map(([keyword, value]) => ({ type: 'object', properties: { q: { type: 'string', [keyword]: value } } })),
  // a $ref that points nowhere
  identifier.map((name) => ({ type: 'object', properties: { q: { $ref: `#/$defs/${name}` } } })),
);

function nested(depth: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < depth; i++) schema = { type: 'object', properties: { a: schema } };
  return schema;
}

/** Inputs over the size limits, each with everything else right. */
const huge = fc.oneof(
  fc.record({ name: identifier, extra: fc.integer({ min: 1, max: 20_000 }) }).map(({ name, extra }) => ({
    definition: JSON.stringify({
      name: `huge_${name}`,
      description: 'd'.repeat(MAX_DESCRIPTION_LENGTH + extra),
      parameters: okParameters,
    }),
    code: validCode,
  })),
  fc.record({ name: identifier, extra: fc.integer({ min: 1, max: 100 }) }).map(({ name, extra }) => ({
    definition: JSON.stringify({ name: `huge_${name}`, parameters: nested(MAX_SCHEMA_DEPTH + extra) }),
    code: validCode,
  })),
  fc.record({ name: identifier, count: fc.integer({ min: 1, max: 3 }) }).map(({ name, count }) => ({
    definition: JSON.stringify({
      name: `huge_${name}`,
      parameters: {
        type: 'object',
        properties: Object.fromEntries(
          Array.from({ length: Math.ceil((MAX_SCHEMA_LENGTH * count) / 40) }, (_, i) => [
            `argument_${i}`,
            { type: 'string', description: 'x' },
          ]),
        ),
      },
    }),
    code: validCode,
  })),
  fc.record({ name: identifier, extra: fc.integer({ min: 1, max: 50_000 }) }).map(({ name, extra }) => ({
    definition: JSON.stringify({ name: `huge_${name}`, parameters: okParameters }),
    code: `return ${JSON.stringify('c'.repeat(MAX_CODE_LENGTH + extra))};`,
  })),
);

async function expectRefusedAndNothingStored(
  input: { definition: string; code: string },
  before: string,
): Promise<void> {
  const namesBefore = state.all.map((f) => f.id);
  const result = await state.addUserFunction(input);
  expect(result.ok, `accepted ${input.definition.slice(0, 200)}`).toBe(false);
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  for (const error of result.errors) {
    // A clear error: words, short enough to read, whatever the size of the input.
    expect(error.trim().length).toBeGreaterThan(10);
    expect(error.length).toBeLessThanOrEqual(600);
  }
  expect(state.all.map((f) => f.id)).toEqual(namesBefore);
  expect(await snapshot()).toBe(before);
}

describe('function editor — fuzzed bad input is refused and changes no stored data', { timeout: 60_000 }, () => {
  it('bad names', async () => {
    const before = await snapshot();
    await runFuzz(
      'function editor: bad names',
      fc.asyncProperty(fc.oneof(badName, nonStringName), async (name) => {
        await expectRefusedAndNothingStored(
          { definition: JSON.stringify({ name, parameters: okParameters }), code: validCode },
          before,
        );
      }),
      { seed: 6101, numRuns: 300 },
    );
  });

  it('duplicate names (built-ins and saved functions), in every accepted definition shape', async () => {
    const before = await snapshot();
    const taken = [SAVED, ...builtinFunctions.map((b) => b.spec.name)];
    const definition = fc
      .tuple(fc.constantFrom(...taken), fc.constantFrom('openai', 'tool', 'trelis'))
      .map(([name, shape]) => {
        if (shape === 'openai') return { name, description: 'again', parameters: okParameters };
        if (shape === 'tool') return { type: 'function', function: { name, parameters: okParameters } };
        return { function: name, description: 'again', arguments: [{ name: 'q', type: 'string', description: 'q' }] };
      });
    await runFuzz(
      'function editor: duplicate names',
      fc.asyncProperty(definition, async (def) => {
        await expectRefusedAndNothingStored({ definition: JSON.stringify(def), code: validCode }, before);
      }),
      { seed: 6102, numRuns: 200 },
    );
  });

  it('invalid schemas', async () => {
    const before = await snapshot();
    await runFuzz(
      'function editor: invalid parameter schemas',
      fc.asyncProperty(identifier, badParameters, async (name, parameters) => {
        await expectRefusedAndNothingStored(
          { definition: JSON.stringify({ name: `new_${name}`, parameters }), code: validCode },
          before,
        );
      }),
      { seed: 6103, numRuns: 400 },
    );
  });

  it('definitions that are not JSON objects, and code that does not compile', async () => {
    const before = await snapshot();
    const notAnObject = fc.oneof(
      fc.string({ maxLength: 80 }).filter((text) => {
        try {
          const value: unknown = JSON.parse(text);
          return typeof value !== 'object' || value === null || Array.isArray(value);
        } catch {
          return true;
        }
      }),
      fc
        .jsonValue({ maxDepth: 2 })
        .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
        .map((v) => JSON.stringify(v)),
    );
    const badCode = fc.oneof(
      fc.constantFrom(
        '',
        '   ',
        '\n\t',
        'return {',
        '}',
        'function (',
        'await await',
        'let let = 1;',
        'return )',
        '<script>',
      ),
      fc.constantFrom('{', '(', '[', '`', '/*').map((opener) => `return ${opener}`),
    );
    await runFuzz(
      'function editor: non-object definitions and code that does not compile',
      fc.asyncProperty(
        fc.oneof(
          notAnObject.map((definition) => ({ definition, code: validCode })),
          identifier.chain((name) =>
            badCode.map((code) => ({
              definition: JSON.stringify({ name: `new_${name}`, parameters: okParameters }),
              code,
            })),
          ),
        ),
        async (input) => {
          await expectRefusedAndNothingStored(input, before);
        },
      ),
      { seed: 6104, numRuns: 300 },
    );
  });

  it('huge inputs', async () => {
    const before = await snapshot();
    await runFuzz(
      'function editor: huge descriptions, schemas and code',
      fc.asyncProperty(huge, async (input) => {
        await expectRefusedAndNothingStored(input, before);
      }),
      { seed: 6105, numRuns: 60 },
    );
  });
});
