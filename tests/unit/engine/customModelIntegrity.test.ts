/**
 * SRI hashes on custom models: the form accepts well-formed ones (the same rule as web-llm's
 * isValidSRI), refuses malformed ones next to their field, and the hashes reach the ModelRecord web-llm
 * loads, always with onFailure "error" so a mismatch stops the load.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isValidSRI } from '@mlc-ai/web-llm';
import { validateCustomModel, type CustomModelInput } from '../../../src/engine/customModelForm.ts';
import {
  modelRecordFor,
  sriProblem,
  toModelRecord,
  type CustomModelIntegrity,
  type CustomModelRecord,
} from '../../../src/engine/customModelRecord.ts';
import { CUSTOM_MODEL_EXAMPLE } from '../../../src/engine/catalog.data.ts';

const sri = (algo: 'sha256' | 'sha384' | 'sha512', text: string) =>
  `${algo}-${createHash(algo).update(text).digest('base64')}`;
const base: CustomModelInput = {
  id: 'my-model',
  modelUrl: CUSTOM_MODEL_EXAMPLE.modelUrl,
  modelLib: { kind: 'url', url: 'https://example.org/libs/My-q4f32_1-v0_2_86-webgpu.wasm' },
  formatId: 'hermes',
};

describe('sriProblem (the custom-model form check for SRI hashes)', () => {
  const samples = [
    sri('sha256', 'a'),
    sri('sha384', 'b'),
    sri('sha512', 'c'),
    sri('sha256', 'a').replace(/=+$/, ''), // unpadded base64 of the right length
    sri('sha256', 'a').slice(0, -4),
    `${sri('sha256', 'a')}=`,
    'sha1-' + createHash('sha1').update('a').digest('base64'),
    'md5-abc',
    'SHA256-' + createHash('sha256').update('a').digest('base64'),
    'sha256-',
    'sha256-!!!!',
    'sha256 ' + createHash('sha256').update('a').digest('base64'),
    'not a hash',
    '',
    sri('sha512', 'c').slice(0, 60),
    'sha384-' + createHash('sha256').update('a').digest('base64'),
  ];

  it('accepts exactly what web-llm isValidSRI accepts', () => {
    for (const s of samples) expect(sriProblem(s) === undefined, s).toBe(isValidSRI(s));
  });

  it('explains what is wrong with a malformed hash', () => {
    expect(sriProblem('md5-abc')).toMatch(/sha256-, sha384- or sha512-/);
    expect(sriProblem('not a hash')).toMatch(/Not an SRI hash/);
    expect(sriProblem('sha384-' + createHash('sha256').update('a').digest('base64'))).toMatch(
      /sha384 digest is 48 bytes.*this one is 32 bytes/,
    );
  });
});

describe('custom models with integrity hashes', () => {
  it('keeps well-formed hashes and passes them to web-llm with onFailure "error"', async () => {
    const hashes = {
      config: sri('sha256', 'config'),
      modelLib: sri('sha384', 'lib'),
      tokenizerJson: sri('sha512', 'tok'),
      tokenizerModel: '',
    };
    const result = await validateCustomModel({ ...base, integrity: hashes }, { existingIds: [] });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.record.integrity).toEqual({
      config: hashes.config,
      model_lib: hashes.modelLib,
      tokenizer: { 'tokenizer.json': hashes.tokenizerJson },
    });
    expect(toModelRecord(result.record).integrity).toEqual({ ...result.record.integrity, onFailure: 'error' });
    // The worker rebuilds the record from what the UI sends and keeps the hashes.
    expect(modelRecordFor({ kind: 'custom', record: result.record })?.integrity).toEqual({
      ...result.record.integrity,
      onFailure: 'error',
    });
  });

  it('refuses malformed hashes with an error on each field, and saves nothing', async () => {
    const result = await validateCustomModel(
      {
        ...base,
        integrity: {
          config: 'md5-abc',
          modelLib: 'sha256-tooShort',
          tokenizerJson: 'hello',
          tokenizerModel: sri('sha256', 'ok'),
        },
      },
      { existingIds: [] },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual([
      'integrityConfig',
      'integrityModelLib',
      'integrityTokenizerJson',
    ]);
  });

  it('the worker drops hashes that are not well-formed, or sent under unknown keys, and never lets them warn only', () => {
    const good = sri('sha256', 'x');
    const plain: CustomModelRecord = {
      id: 'm',
      displayName: 'm',
      modelUrl: 'https://h/m/resolve/main/',
      modelLibUrl: 'https://h/m.wasm',
      formatId: 'hermes',
      requiredFeatures: [],
    };
    // What a message could carry past the types: structured clone keeps any shape.
    const tampered = {
      config: 'bogus',
      model_lib: good,
      tokenizer: { 'tokenizer.json': good, 'evil.bin': good },
      onFailure: 'warn',
    } as unknown as CustomModelIntegrity;
    const record = modelRecordFor({ kind: 'custom', record: { ...plain, integrity: tampered } });
    expect(record?.integrity).toEqual({ model_lib: good, tokenizer: { 'tokenizer.json': good }, onFailure: 'error' });
    expect(modelRecordFor({ kind: 'custom', record: plain })?.integrity).toBeUndefined();
  });
});
