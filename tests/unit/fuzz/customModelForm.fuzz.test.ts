/**
 * Fuzzes "Add a custom model" (CustomModelsState.add → validateCustomModel) with bad weights and
 * library URLs: text that is not a URL, schemes other than https (javascript:, data:, file:…), plain
 * http to another machine, libraries that are not .wasm files, blanks. Each input is bad by
 * construction; the property: it is refused with a message on the right field, nothing is fetched,
 * and the saved models (localStorage) are byte-for-byte what they were.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CustomModelInput } from '../../../src/engine/customModelForm.ts';
import { CustomModelsState } from '../../../src/ui/state/customModels.svelte.ts';
import { runFuzz } from './runFuzz.ts';
import { MemoryStorage } from '../../doubles/memoryStorage.ts';

const storage = new MemoryStorage();
let state: CustomModelsState;
const fetched: string[] = [];
/** Answers like a real MLC weights folder, so only the URL can be the reason for a refusal. */
const fetchFn = async (url: string) => {
  fetched.push(url);
  return { ok: true, status: 200, text: async () => '{}' };
};

const good: CustomModelInput = {
  id: 'Saved-Model',
  modelUrl: 'https://huggingface.co/me/saved-MLC/resolve/main/',
  modelLib: { kind: 'url', url: 'https://example.com/libs/Llama-2-7b-chat-hf-q4f32_1-v0_2_86-webgpu.wasm' },
  formatId: 'trelis-v2',
};

function dump(): string {
  return JSON.stringify(
    Array.from({ length: storage.length }, (_, i) => storage.key(i)).map((k) => [k, k && storage.getItem(k)]),
  );
}

beforeAll(async () => {
  state = new CustomModelsState(storage);
  const saved = await state.add(good, fetchFn);
  expect(saved.ok).toBe(true);
  fetched.length = 0;
});

const LOCAL = new Set(['localhost', '127.0.0.1', '[::1]']);
const path = fc
  .array(fc.stringMatching(/^[A-Za-z0-9._-]{1,10}$/), { maxLength: 3 })
  .map((parts) => `/${parts.join('/')}`);

/** Each bad URL with the words its refusal must contain. */
const badUrl: fc.Arbitrary<{ url: string; says: RegExp }> = fc.oneof(
  fc
    .string({ maxLength: 60 })
    .filter((s) => s.trim() !== '' && !URL.canParse(s.trim()))
    .map((url) => ({ url, says: /Not a valid URL/ })),
  fc
    .tuple(
      fc.constantFrom(
        'javascript:',
        'data:',
        'file://',
        'ftp://',
        'ws://',
        'wss://',
        'blob:',
        'chrome://',
        'about:',
        'mailto:',
        'hf://',
      ),
      fc.domain(),
      path,
    )
    .map(([scheme, host, p]) => ({ url: `${scheme}${host}${p}`, says: /Unsupported scheme/ })),
  fc
    .tuple(fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), path)
    .map(([host, port, p]) => `http://${host}${port ? `:${port}` : ''}${p}`)
    .filter((url) => !LOCAL.has(new URL(url).hostname))
    .map((url) => ({ url, says: /Use https:\/\// })),
  fc.constantFrom('', ' ', '\t', '\n  ').map((url) => ({ url, says: /Enter the/ })),
);

async function expectRefusedOnField(
  input: CustomModelInput,
  field: 'modelUrl' | 'modelLib',
  says: RegExp,
  before: string,
): Promise<void> {
  const result = await state.add(input, fetchFn);
  expect(result.ok, `accepted ${JSON.stringify(input)}`).toBe(false);
  if (result.ok) return;
  expect(result.errors[field]).toMatch(says);
  expect(fetched).toEqual([]);
  expect(state.all.map((m) => m.id)).toEqual([good.id]);
  expect(dump()).toBe(before);
}

describe('custom model form — fuzzed bad URLs are refused and change no stored data', { timeout: 60_000 }, () => {
  it('bad weights URLs', async () => {
    const before = dump();
    await runFuzz(
      'custom model form: bad weights URLs',
      fc.asyncProperty(badUrl, fc.stringMatching(/^[A-Za-z][A-Za-z0-9._-]{0,20}$/), async ({ url, says }, id) => {
        await expectRefusedOnField({ ...good, id: `new-${id}`, modelUrl: url }, 'modelUrl', says, before);
      }),
      { seed: 6301, numRuns: 400 },
    );
  });

  it('bad model library URLs, and https URLs that are not .wasm files', async () => {
    const before = dump();
    const notWasm = fc
      .tuple(fc.domain(), path, fc.constantFrom('', '.js', '.wasm.txt', '.WASM2', '/'))
      .map(([host, p, ending]) => ({ url: `https://${host}${p}${ending}`, says: /\.wasm/ }))
      .filter(({ url }) => !/\.wasm(\?.*)?$/.test(url));
    await runFuzz(
      'custom model form: bad model library URLs',
      fc.asyncProperty(fc.oneof(badUrl, notWasm), async ({ url, says }) => {
        await expectRefusedOnField(
          { ...good, id: 'New-Model', modelLib: { kind: 'url', url } },
          'modelLib',
          says,
          before,
        );
      }),
      { seed: 6302, numRuns: 400 },
    );
  });
});
